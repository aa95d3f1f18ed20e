"""Certificates received inside a signature (CMS SignedData, an RFC 3161 token), interned by DER.

A returning user sends the same certificate with every login; parsing it again (asn1crypto and
``cryptography``, its names, extensions and key) was about a fifth of a login. :func:`embedded_cert` keeps
the :class:`Cert` of each DER seen, with what was computed from it, in a bounded :class:`Memo`, and hands
each login a copy of it (:meth:`Cert.sharing_values`): the values computed so far are immutable and shared,
the asn1crypto tree is not (its lazy parse is not safe across threads), so concurrent logins never parse
one tree at once. Whether a certificate decodes (:attr:`Cert.decodes`) is a pure function of its DER and is
interned with it: a certificate that does not is no candidate, on every login.

Memory: a Cert as a login leaves it (DER, asn1crypto and ``cryptography`` parses, names, extensions) holds
~8 KB of Python objects for an RSA-2048 leaf of the bench's NCA profile (tracemalloc), plus
``cryptography``'s own copy of the DER, so the 2,048 entries take ~20 MB. Certificates above
:data:`INTERNED_BYTES` (no NCA certificate comes near) are never interned, so input sized to fill the
memo cannot hold more than ~2,048 x 8 KiB of DER and their parses.
"""

from __future__ import annotations

from collections.abc import Iterable

from verifier.certificate import Cert
from verifier.memo import DER_KEY_BYTES, Memo

INTERNED_BYTES = DER_KEY_BYTES
_INTERNED: Memo[bytes, Cert | None] = Memo(2048)


def embedded_cert(der: bytes) -> Cert | None:
    """The :class:`Cert` of a certificate's DER found inside a CMS or OCSP structure (as received, see
    ``pki.cms.embedded_certificate_ders``), or None when its names or key do not decode. Raises nothing of
    its own: decoding errors become None, as :attr:`Cert.decodes` decides."""
    fresh = Cert(der)
    if len(der) > INTERNED_BYTES:
        return fresh if fresh.decodes else None
    stored = _INTERNED.get(der, lambda: fresh if fresh.decodes else None)
    if stored is None or stored is fresh:
        return stored
    return stored.sharing_values()


def embedded_certs(ders: Iterable[bytes]) -> list[Cert]:
    """:func:`embedded_cert` of each, in order, those that do not decode left out."""
    return [c for c in map(embedded_cert, ders) if c is not None]
