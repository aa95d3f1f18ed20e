"""Time-stamp tokens built for the verifier tests: a TSTInfo, a MiniPki TSA's token over it, and a
document signature carrying a signature time stamp (RFC 3161 2.4.2 and Appendix A)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import algos, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from pki import gost, oids
from pki.cms import digest
from pki.cms_signing import TimeStamper, sign_cms, with_signature_time_stamps
from tests.verifier.conftest import T0, Issued, MiniPki

DATA = b"the document that was time-stamped"


@dataclass(frozen=True)
class GostTsa:
    key: gost.GostPrivateKey
    cert: x509.Certificate


def tst_info(
    data: bytes,
    imprint_algorithm: str = oids.SHA256,
    tsa: x509.Name | None = None,
    gen_time: dt.datetime = T0,
    *,
    imprint: bytes | None = None,
) -> bytes:
    """A TSTInfo stamping ``data`` at ``gen_time``, its imprint hashed with ``imprint_algorithm`` (or the
    hash ``imprint`` itself, as a request gives it)."""
    info = {
        "version": "v1",
        "policy": "1.2.398.3.3.2.6.1",
        "message_imprint": {
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": imprint_algorithm}),
            "hashed_message": digest(imprint_algorithm, data) if imprint is None else imprint,
        },
        "serial_number": 7,
        "gen_time": gen_time,
        "nonce": 42,
    }
    if tsa is not None:
        info["tsa"] = asn1_x509.GeneralName({"directory_name": asn1_x509.Name.load(tsa.public_bytes())})
    return tsp.TSTInfo(info).dump()


def tsa_token(tsa: Issued | GostTsa, pki: MiniPki, *, info: bytes | None = None, **options: object) -> bytes:
    """A token of ``tsa`` over ``info`` (default :func:`tst_info` of DATA): one signer, ESS attribute."""
    return sign_cms(
        tst_info(DATA) if info is None else info,
        tsa.key,
        tsa.cert,
        signing_time=T0,
        content_type=oids.CMS_TST_INFO,
        extra_certificates=[pki.nca.cert],
        **options,  # type: ignore[arg-type]
    )


def signature_stamped(pki: MiniPki, stamp: TimeStamper, signer: Issued | None = None) -> bytes:
    """A document signature over DATA at T0 (by ``signer``, default a new ``sign`` leaf), time-stamped by
    ``stamp``."""
    signer = signer or pki.leaf("sign")
    signed = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    return with_signature_time_stamps(signed, stamp)


def stamper(
    pki: MiniPki,
    stamped: Callable[[bytes], bytes] = lambda value: value,
    gen_time: dt.datetime = T0,
    tsa: Issued | None = None,
) -> TimeStamper:
    """Tokens of a MiniPki TSA (``tsa``, default a new one) at ``gen_time`` over ``stamped(signature
    value)``, hashed with the signer's digest."""
    tsa = tsa or pki.leaf("tsa")
    return lambda oid, value: tsa_token(tsa, pki, info=tst_info(stamped(value), oid, gen_time=gen_time))
