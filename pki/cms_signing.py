"""CMS SignedData (RFC 5652) as NCALayer produces it, built (RSA / ECDSA / GOST keys): signing, co-signing
and signature time stamps.

For tests, fixtures, the end-to-end login test and anything that must sign a UNIS challenge:
:func:`sign_cms` makes an attached or detached SignedData with the signed attributes content-type,
message-digest, signing-time and signingCertificateV2 (RFC 5035), sorted as DER requires so that OpenSSL
(``openssl cms -verify``) accepts it. A GOST key (``pki.gost``) signs as NCALayer does: the digest of its
key type (Streebog-512 for GOST 2015-512) and the Kazakh signature OID with an explicit NULL parameter
(gost.md). Parsing is :mod:`pki.cms`. No clock: the signing time is a parameter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from pki import gost, oids
from pki.calendar import ensure_utc
from pki.cms import digest, encapsulated_content, load_signed_data
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm
from pki.keys import PrivateKey, certificate_der

_CRYPTOGRAPHY_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    oids.SHA256: hashes.SHA256,
    oids.SHA384: hashes.SHA384,
    oids.SHA512: hashes.SHA512,
}
_RSA_WITH: dict[str, str] = {
    oids.SHA256: oids.SHA256_WITH_RSA,
    oids.SHA384: oids.SHA384_WITH_RSA,
    oids.SHA512: oids.SHA512_WITH_RSA,
}
_ECDSA_WITH: dict[str, str] = {
    oids.SHA256: oids.ECDSA_WITH_SHA256,
    oids.SHA384: oids.ECDSA_WITH_SHA384,
    oids.SHA512: oids.ECDSA_WITH_SHA512,
}


def sign_cms(
    content: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    signing_time: dt.datetime | None,
    detached: bool = False,
    extra_certificates: Sequence[x509.Certificate] = (),
    digest_algorithm: str | None = None,
    rsa_pss: bool = False,
    signing_certificate_v2: bool = True,
    content_type: str = oids.CMS_DATA,
    embed_certificates: bool = True,
) -> bytes:
    """A DER ContentInfo holding SignedData over ``content`` signed by ``private_key``.

    ``signing_time`` (tz-aware) becomes the signing-time attribute when given. ``detached``
    leaves the content out (the verifier then needs it supplied). ``extra_certificates``
    (e.g. the issuing CA) are added after the signer's certificate. RSA keys sign with PKCS#1
    v1.5 unless ``rsa_pss``; ECDSA keys with ECDSA; GOST keys with GOST R 34.10 over the hash of
    their key type. ``digest_algorithm`` (None: SHA-256, or the GOST key type's hash) must be
    SHA-256/384/512 for RSA and ECDSA and the key type's hash for GOST, else UnsupportedAlgorithm.
    ``content_type`` is the eContentType (id-data; id-ct-TSTInfo for an RFC 3161 time-stamp token, whose
    ``content`` is then the DER TSTInfo). ``embed_certificates`` False leaves the ``certificates`` field
    out (a time-stamp request with certReq false, RFC 3161 2.4.1).
    """
    digest_algorithm = _signing_digest(private_key, digest_algorithm)
    signer_der = certificate_der(certificate)
    signer = asn1_x509.Certificate.load(signer_der)
    attributes = [
        _attribute("content_type", [content_type]),
        _attribute("message_digest", [digest(digest_algorithm, content)]),
    ]
    if signing_time is not None:
        attributes.append(_attribute("signing_time", [cms.Time({"utc_time": ensure_utc(signing_time)})]))
    if signing_certificate_v2:
        attributes.append(cms.CMSAttribute.load(_signing_certificate_v2(signer_der)))
    # DER: SET OF sorted by encoding, or OpenSSL's re-encoding would not match what we signed.
    attributes.sort(key=lambda a: a.dump())
    signed_attrs = cms.CMSAttributes(attributes)
    signature_algorithm, signature = _sign(private_key, signed_attrs.dump(), digest_algorithm, rsa_pss)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": signer.issuer, "serial_number": signer.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_algorithm}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": signature_algorithm,
            "signature": signature,
        }
    )
    encapsulated: dict[str, object] = {"content_type": content_type}
    if not detached:
        # id-data has asn1crypto's OCTET STRING spec; other types (TSTInfo) are taken as an Asn1Value
        encapsulated["content"] = (
            content if content_type == oids.CMS_DATA else core.ParsableOctetString(content)
        )
    fields: dict[str, object] = {
        "version": "v1" if content_type == oids.CMS_DATA else "v3",  # RFC 5652 5.1
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_algorithm})],
        "encap_content_info": encapsulated,
        "signer_infos": [signer_info],
    }
    if embed_certificates:
        fields["certificates"] = [
            signer,
            *(asn1_x509.Certificate.load(certificate_der(c)) for c in extra_certificates),
        ]
    signed_data = cms.SignedData(fields)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _signing_digest(key: PrivateKey | gost.GostPrivateKey, requested: str | None) -> str:
    """The digest OID a signature by ``key`` uses (see :func:`sign_cms`)."""
    if isinstance(key, gost.GostPrivateKey):
        natural = gost.hash_oid_for_signature(key.signature_oid)
        allowed: Iterable[str] = (natural,)
    else:
        natural, allowed = oids.SHA256, _CRYPTOGRAPHY_HASHES
    chosen = requested or natural
    if chosen not in allowed:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM, f"digest {chosen} is not offered for signing"
        )
    return chosen


@lru_cache(maxsize=256)
def _signing_certificate_v2(signer_der: bytes) -> bytes:
    """The DER signingCertificateV2 attribute (RFC 5035) naming the certificate ``signer_der`` by its SHA-256
    hash, issuer and serial; memoised, a pure function of the certificate: asn1crypto takes about 10 ms to
    build one (ten times the rest of a signature), and a signer (a TSA, a returning user) names the same
    certificate every time."""
    signer = asn1_x509.Certificate.load(signer_der)
    ess = tsp.ESSCertIDv2(
        {
            "hash_algorithm": {"algorithm": "sha256"},
            "cert_hash": hashlib.sha256(signer_der).digest(),
            "issuer_serial": {
                "issuer": [asn1_x509.GeneralName({"directory_name": signer.issuer})],
                "serial_number": signer.serial_number,
            },
        }
    )
    return _attribute("signing_certificate_v2", [tsp.SigningCertificateV2({"certs": [ess]})]).dump()


def _attribute(name: str, values: list[object]) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": name, "values": values})


def _sign(
    key: PrivateKey | gost.GostPrivateKey, data: bytes, digest_oid: str, rsa_pss: bool
) -> tuple[algos.SignedDigestAlgorithm, bytes]:
    if isinstance(key, gost.GostPrivateKey):
        gost_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": key.signature_oid, "parameters": core.Null()}
        )
        return gost_algorithm, gost.sign(key, data)
    hash_algorithm = _CRYPTOGRAPHY_HASHES[digest_oid]()
    if isinstance(key, rsa.RSAPrivateKey):
        if rsa_pss:
            salt = hash_algorithm.digest_size
            pss = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=salt)
            params = algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": digest_oid},
                    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": digest_oid}},
                    "salt_length": salt,
                }
            )
            algorithm = algos.SignedDigestAlgorithm({"algorithm": oids.RSASSA_PSS, "parameters": params})
            return algorithm, key.sign(data, pss, hash_algorithm)
        algorithm = algos.SignedDigestAlgorithm({"algorithm": _RSA_WITH[digest_oid]})
        return algorithm, key.sign(data, padding.PKCS1v15(), hash_algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = algos.SignedDigestAlgorithm({"algorithm": _ECDSA_WITH[digest_oid]})
        return algorithm, key.sign(data, ec.ECDSA(hash_algorithm))
    raise UnsupportedAlgorithm(
        ErrorCode.UNSUPPORTED_ALGORITHM, f"cannot sign CMS with a {type(key).__name__}"
    )


def add_signer(
    cms_data: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    signing_time: dt.datetime | None,
    detached_content: bytes | None = None,
    detached: bool = False,
) -> bytes:
    """``cms_data`` (DER, PEM or base64 SignedData) with one more SignerInfo over the same content (a
    co-signature, RFC 5652 5.1): the earlier SignerInfos are kept byte for byte, the certificate and
    digest algorithm added when new. A detached CMS needs ``detached_content``; the result encapsulates
    the content unless ``detached``.

    Raises InvalidInput(``malformed_signature``) for undecodable input and (``signed_data_missing``) for
    a detached CMS without its content.
    """
    existing = load_signed_data(cms_data)
    encapsulated = encapsulated_content(existing)
    content = encapsulated if encapsulated is not None else detached_content
    if content is None:
        raise InvalidInput(ErrorCode.SIGNED_DATA_MISSING, "a detached CMS needs its data to be co-signed")
    content_type = existing["encap_content_info"]["content_type"].dotted
    added = load_signed_data(
        sign_cms(
            content,
            private_key,
            certificate,
            signing_time=signing_time,
            detached=True,
            content_type=content_type,
        )
    )
    digests = list(existing["digest_algorithms"])
    known = {d.dump() for d in digests}
    digests += [d for d in added["digest_algorithms"] if d.dump() not in known]
    certificates = [] if isinstance(existing["certificates"], core.Void) else list(existing["certificates"])
    present = {c.dump() for c in certificates}
    certificates += [c for c in added["certificates"] if c.dump() not in present]
    encapsulated_info: dict[str, object] = {"content_type": content_type}
    if not detached:
        encapsulated_info["content"] = (
            content if content_type == oids.CMS_DATA else core.ParsableOctetString(content)
        )
    merged: dict[str, object] = {
        "version": existing["version"],
        "digest_algorithms": digests,
        "encap_content_info": encapsulated_info,
        "certificates": certificates,
        "signer_infos": [*existing["signer_infos"], *added["signer_infos"]],
    }
    if not isinstance(existing["crls"], core.Void):
        merged["crls"] = existing["crls"]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(merged)}).dump()


# (digest OID, signature value) -> a DER RFC 3161 time-stamp token over that digest of the value.
TimeStamper = Callable[[str, bytes], bytes]


def with_signature_time_stamps(cms_data: bytes, stamp: TimeStamper, *, keep: Collection[bytes] = ()) -> bytes:
    """``cms_data`` (DER, PEM or base64 SignedData) with a signature time stamp on each SignerInfo whose
    DER is not in ``keep`` (those, and everything else, kept as they are): the unsigned attribute
    id-aa-signatureTimeStampToken (RFC 3161 Appendix A) holding ``stamp(digest OID, signature value)``,
    the token over the signature value hashed with the SignerInfo's own digest algorithm. (SignerInfos
    are a SET OF: DER orders them by encoding, so a co-signer's index says nothing about its age.)

    Raises InvalidInput(``malformed_signature``) for undecodable input, and what ``stamp`` raises.
    """
    signed_data = load_signed_data(cms_data)
    signer_infos = list(signed_data["signer_infos"])
    for signer_info in signer_infos:
        if signer_info.dump() in keep:
            continue
        token = stamp(signer_info["digest_algorithm"]["algorithm"].dotted, signer_info["signature"].native)
        unsigned = signer_info["unsigned_attrs"]
        attributes = [] if isinstance(unsigned, core.Void) else list(unsigned)
        attributes.append(_attribute("signature_time_stamp_token", [cms.ContentInfo.load(token)]))
        signer_info["unsigned_attrs"] = cms.CMSAttributes(attributes)
    signed_data["signer_infos"] = cms.SignerInfos(signer_infos)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
