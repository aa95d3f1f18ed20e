"""CRLs of any size and content for the CRL index tests, assembled in DER by ca_sim's own CRL writer.

``MiniPki.crl`` goes through ``cryptography``'s builder, which refuses what a test of the index needs
(negative or oversized serials, duplicates) and is slow beyond ten thousand entries; this writes the
entries with :func:`ca_sim.crl_entry.encode_crl_entry` (or as raw DER) and signs the TBSCertList with
``ca_sim.crl``'s assembly, which the CA simulator uses for its million-entry CRLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509

from ca_sim import der
from ca_sim.crl import _sign_crl
from ca_sim.hierarchy import Authority
from ca_sim.profiles import CaUrls
from pki import oids
from tests.verifier.conftest import BASE, T0, Issued

_URLS = CaUrls(f"{BASE}/ca.cer", f"{BASE}/crl/nca.crl", f"{BASE}/crl/nca_d.crl", f"{BASE}/ocsp/")


def assemble_crl(
    issuer: Issued,
    entries: Sequence[bytes],
    *,
    number: int = 1,
    base: int | None = None,
    freshest: bool = False,
    this_update: dt.datetime = T0 - dt.timedelta(hours=1),
    next_update: dt.datetime = T0 + dt.timedelta(hours=26),
    signer: Issued | None = None,
) -> bytes:
    """A CRL of ``issuer`` listing the DER ``entries`` as they are; ``base`` makes it a delta CRL."""
    key_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()).key_identifier
    assert key_id is not None
    extensions = [
        der.extension(der.object_identifier(oids.EXT_CRL_NUMBER), False, der.integer(number)),
        der.extension(
            der.object_identifier(oids.EXT_AUTHORITY_KEY_IDENTIFIER),
            False,
            der.sequence(der.tlv(0x80, key_id)),
        ),
    ]
    if freshest:
        point = x509.DistributionPoint(
            [x509.UniformResourceIdentifier(f"{BASE}/crl/nca_d.crl")], None, None, None
        )
        extensions.append(
            der.extension(
                der.object_identifier(oids.EXT_FRESHEST_CRL), False, x509.FreshestCRL([point]).public_bytes()
            )
        )
    if base is not None:
        extensions.append(
            der.extension(der.object_identifier(oids.EXT_DELTA_CRL_INDICATOR), True, der.integer(base))
        )
    authority = Authority("test", issuer.cert, (signer or issuer).key, _URLS)  # type: ignore[arg-type]
    return _sign_crl(authority, this_update, next_update, list(entries), extensions)


def raw_entry(
    serial_octets: bytes, when: dt.datetime = T0 - dt.timedelta(days=1), extensions: bytes = b""
) -> bytes:
    """An entry whose serialNumber contents are ``serial_octets`` exactly (even when not minimal DER)."""
    return der.sequence(der.tlv(0x02, serial_octets), der.time(when), extensions)
