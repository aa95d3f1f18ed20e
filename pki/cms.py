"""CMS SignedData (RFC 5652) as NCALayer produces it, parsed: the structure, the attached content, the
embedded certificates, the signer's identifier and signed attributes, the revocation data a signature
carries, and the digests the signed attributes name. Building one is :mod:`pki.cms_signing`.

Parsing helpers never decide anything: the verifier does. Undecodable input raises
:class:`pki.errors.InvalidInput` with code ``malformed_signature``. No clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import algos, cms, core, crl, ocsp, tsp
from asn1crypto import pdf as asn1_pdf
from asn1crypto import x509 as asn1_x509

from pki import gost, oids
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm

# Digest OID -> hashlib name, for message digests and ESSCertID hashes (SHA-1 only for ESSCertID v1).
_HASHLIB_NAMES: dict[str, str] = {
    oids.SHA1: "sha1",
    oids.SHA256: "sha256",
    oids.SHA384: "sha384",
    oids.SHA512: "sha512",
}
# Every digest :func:`digest` computes; the GOST ones by ``pki.gost``, in the NCA's byte order.
DIGESTS: frozenset[str] = frozenset(_HASHLIB_NAMES) | oids.GOST_HASH_ALGORITHMS
_PEM = re.compile(rb"-----BEGIN (?:CMS|PKCS7|PKCS #7 SIGNED DATA)-----(.*?)-----END [A-Z #0-9]+-----", re.S)


class _EssCertIdV2(core.Sequence):
    """ESSCertIDv2 (RFC 5035 4) read for its hash: ``hashAlgorithm`` OPTIONAL instead of asn1crypto's DEFAULT
    sha256. asn1crypto builds a DigestAlgorithm value each time a DEFAULT field is absent, which DER requires
    for SHA-256, and that costs several times the rest of the parse; absent means SHA-256
    (:func:`first_cert_id`). The fields and the errors are otherwise asn1crypto's ``tsp.ESSCertIDv2``."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("hash_algorithm", algos.DigestAlgorithm, {"optional": True}),
        ("cert_hash", core.OctetString),
        ("issuer_serial", tsp.IssuerSerial, {"optional": True}),
    ]


class _EssCertIdsV2(core.SequenceOf):
    _child_spec = _EssCertIdV2


class _SigningCertificateV2(core.Sequence):
    """SigningCertificateV2 (RFC 5035 3) whose ESSCertIDv2s are :class:`_EssCertIdV2`."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("certs", _EssCertIdsV2),
        ("policies", asn1_x509.CertificatePolicies, {"optional": True}),
    ]


def first_cert_id(value: core.Asn1Value) -> tuple[str, bytes]:
    """(hash OID, certificate hash) of the first ESSCertID(v2) of a signingCertificate(V2) attribute value
    (RFC 5035 5.4: the first names the signer's certificate). v1 hashes are SHA-1; a v2 hash without its
    algorithm is SHA-256 (the DER of the DEFAULT).

    Raises ValueError, TypeError, KeyError or IndexError when the value cannot be read.
    """
    return _first_cert_id(isinstance(value, tsp.SigningCertificateV2), value.dump())


@lru_cache(maxsize=2048)
def _first_cert_id(v2: bool, encoded: bytes) -> tuple[str, bytes]:
    """:func:`first_cert_id` of the DER ``encoded`` SigningCertificateV2 (``v2``) or SigningCertificate, a
    pure function of them memoised (a returning user signs the same attribute with every login)."""
    if v2:
        ess = _SigningCertificateV2.load(encoded)["certs"][0]
        algorithm = ess["hash_algorithm"]
        hash_oid = oids.SHA256 if isinstance(algorithm, core.Void) else algorithm["algorithm"].dotted
        return hash_oid, ess["cert_hash"].native
    return oids.SHA1, tsp.SigningCertificate.load(encoded)["certs"][0]["cert_hash"].native


def load_signed_data(data: bytes) -> cms.SignedData:
    """Parse a CMS ContentInfo holding SignedData from DER, PEM or base64 (whitespace ignored).

    Raises InvalidInput(``malformed_signature``) for anything else, including another content type.
    """
    der = _to_der(data)
    try:
        content_info = cms.ContentInfo.load(der, strict=True)
        if content_info["content_type"].dotted != oids.CMS_SIGNED_DATA:
            raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, "the CMS content type is not SignedData")
        signed_data = content_info["content"]
        # Parse (without converting to Python values: .native marks asn1crypto values as changed, after
        # which dump() re-encodes them) what the verifier reads, so a broken structure fails here.
        signed_data["encap_content_info"]["content_type"].dotted  # noqa: B018
        signed_data["encap_content_info"]["content"].contents  # noqa: B018
        for signer_info in signed_data["signer_infos"]:
            signer_identifier(signer_info)
            signer_info["signature_algorithm"]["algorithm"].dotted  # noqa: B018
            for attribute in signer_info["signed_attrs"]:
                attribute["type"].dotted  # noqa: B018
                attribute["values"].contents  # noqa: B018
        embedded_certificate_ders(signed_data)
    except InvalidInput:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, "the CMS SignedData cannot be decoded") from None
    if not isinstance(signed_data, cms.SignedData):
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, "the CMS content is not SignedData")
    return signed_data


def encapsulated_content(signed_data: cms.SignedData) -> bytes | None:
    """The attached content, or None for a detached signature."""
    content = signed_data["encap_content_info"]["content"]
    if isinstance(content, core.Void) or content.native is None:
        return None
    value = content.native
    return value if isinstance(value, bytes) else content.contents


def embedded_certificates(signed_data: cms.SignedData) -> list[asn1_x509.Certificate]:
    """The X.509 certificates in the ``certificates`` field (other choices are ignored)."""
    return [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]


def embedded_certificate_ders(signed_data: cms.SignedData) -> tuple[bytes, ...]:
    """The DER of each X.509 certificate in the ``certificates`` field as received (other choices are
    ignored): its contents under a definite SEQUENCE header, not asn1crypto's ``dump()``, which re-encodes a
    value whose length ends in 0x80 (a GOST-2004 certificate of the NCA). Raises ValueError or TypeError
    when the field does not decode."""
    field = signed_data["certificates"]
    if isinstance(field, core.Void):
        return ()
    contents = bytes(field.contents)
    if len(contents) > _MEMOISED_SET_BYTES:
        return _certificate_ders(contents)
    return _memoised_certificate_ders(contents)


# A returning user sends the same certificates with every login; sets above this size (no NCA login's) are
# read each time, so the memo holds at most 2,048 x 16 KiB (twice: the key and the DERs), ~64 MB.
_MEMOISED_SET_BYTES = 16 * 1024


def _certificate_ders(contents: bytes) -> tuple[bytes, ...]:
    ders: list[bytes] = []
    for choice in cms.CertificateSet(contents=contents):
        chosen = choice.chosen
        if choice.name == "certificate":
            ders.append(core.Sequence(contents=chosen.contents).dump())
    return tuple(ders)


_memoised_certificate_ders = lru_cache(maxsize=2048)(_certificate_ders)


@dataclass(frozen=True)
class CarriedRevocation:
    """Revocation data that came with a signature (in its CMS, or in the PDF's Document Security Store):
    DER CRLs and DER OCSPResponses, each once. Nothing here is trusted: each counts only once the verifier
    has checked it as it checks the data it fetches."""

    crls: tuple[bytes, ...] = ()
    ocsp_responses: tuple[bytes, ...] = ()

    def __add__(self, other: CarriedRevocation) -> CarriedRevocation:
        return CarriedRevocation(
            tuple(dict.fromkeys((*self.crls, *other.crls))),
            tuple(dict.fromkeys((*self.ocsp_responses, *other.ocsp_responses))),
        )

    def __bool__(self) -> bool:
        return bool(self.crls or self.ocsp_responses)


NOTHING_CARRIED = CarriedRevocation()


class _CrlValues(core.SequenceOf):
    _child_spec = crl.CertificateList


class _BasicOcspValues(core.SequenceOf):
    _child_spec = ocsp.BasicOCSPResponse


class _RevocationValues(core.Sequence):
    """CAdES RevocationValues (ETSI TS 101 733 6.3.4, explicit tagging): CRLs and basic OCSP responses."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("crl_vals", _CrlValues, {"explicit": 0, "optional": True}),
        ("ocsp_vals", _BasicOcspValues, {"explicit": 1, "optional": True}),
        ("other_rev_vals", core.Any, {"explicit": 2, "optional": True}),
    ]


def carried_revocation(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> CarriedRevocation:
    """The revocation data the signature carries for ``signer_info``, as received: the CRLs and the OCSP
    responses (RFC 5940 ``id-ri-ocsp-response``) of the SignedData's ``crls`` field (RFC 5652 10.2.1); the
    crlVals and ocspVals of the signer's unsigned revocationValues attribute (CAdES-X-L; a basic response is
    given as the successful OCSPResponse holding it); and the CRLs and OCSP responses of its signed
    adbe-revocationInfoArchival attribute (ISO 32000-1 12.8.3.3.2: what Adobe Acrobat, and pyHanko for the
    ``adbe.pkcs7.detached`` sub-filter, embed in a PDF signature). Raises ValueError or TypeError when a
    present field does not decode."""
    crls: list[bytes] = []
    responses: list[bytes] = []
    field = signed_data["crls"]
    if not isinstance(field, core.Void):
        for choice in field:
            if choice.name == "crl":
                crls.append(_received(choice.chosen))
            elif choice.chosen["other_rev_info_format"].dotted == oids.RI_OCSP_RESPONSE:
                responses.append(_received(choice.chosen["other_rev_info"]))
    for value in _values_of(signer_info["unsigned_attrs"], oids.ATTR_REVOCATION_VALUES):
        values = _RevocationValues.load(value.dump())
        if not isinstance(values["crl_vals"], core.Void):
            crls.extend(_received(item) for item in values["crl_vals"])
        if not isinstance(values["ocsp_vals"], core.Void):
            responses.extend(_successful(_received(item)) for item in values["ocsp_vals"])
    for value in _values_of(signer_info["signed_attrs"], oids.ATTR_ADOBE_REVOCATION_INFO):
        archival = asn1_pdf.RevocationInfoArchival.load(value.dump())
        if not isinstance(archival["crl"], core.Void):
            crls.extend(_received(item) for item in archival["crl"])
        if not isinstance(archival["ocsp"], core.Void):
            responses.extend(_received(item) for item in archival["ocsp"])
    return CarriedRevocation(tuple(dict.fromkeys(crls)), tuple(dict.fromkeys(responses)))


def _values_of(attributes: core.Asn1Value, oid: str) -> Iterable[core.Asn1Value]:
    """The values of every ``oid`` attribute in ``attributes`` (a CMSAttributes field; none when absent)."""
    if isinstance(attributes, core.Void):
        return
    for attribute in attributes:
        if attribute["type"].dotted == oid:
            yield from attribute["values"]


def _successful(basic_response: bytes) -> bytes:
    """The DER OCSPResponse (successful, id-pkix-ocsp-basic) holding the DER BasicOCSPResponse."""
    return ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {
                "response_type": "basic_ocsp_response",
                "response": core.ParsableOctetString(basic_response),
            },
        }
    ).dump()


def _received(value: core.Asn1Value) -> bytes:
    """The DER of a parsed SEQUENCE as received: its contents under a definite header (see
    :func:`embedded_certificate_ders`)."""
    return core.Sequence(contents=value.contents).dump()


def signer_identifier(signer_info: cms.SignerInfo) -> tuple[int | None, bytes]:
    """What the SignerIdentifier names (RFC 5652 5.3): (serial, issuer Name DER as received) for
    issuerAndSerialNumber, (None, key identifier) for subjectKeyIdentifier. Raises ValueError or TypeError
    when it does not decode."""
    return _signer_identifier(bytes(signer_info["sid"].dump()))


@lru_cache(maxsize=2048)
def _signer_identifier(encoded: bytes) -> tuple[int | None, bytes]:
    """:func:`signer_identifier` of the DER SignerIdentifier, memoised (a returning user's is the same with
    every login; a SignerIdentifier is a name and a serial, or a key identifier: small)."""
    sid = cms.SignerIdentifier.load(encoded)
    if sid.name == "subject_key_identifier":
        return None, bytes(sid.chosen.native)
    return int(sid.chosen["serial_number"].native), bytes(sid.chosen["issuer"].dump())


def signed_attributes_der(signer_info: cms.SignerInfo) -> bytes | None:
    """What the signature covers if signed attributes exist: their received encoding as SET (RFC 5652 5.4)."""
    attrs = signer_info["signed_attrs"]
    if isinstance(attrs, core.Void):
        return None
    encoded = attrs.dump()
    return b"\x31" + encoded[1:]


class SignedAttributes:
    """The signed attributes of one SignerInfo, indexed by type in one pass, for a reader that asks for
    several types (a verifier's checks: scanning them per type read every type's OID again). The values
    are parsed only when asked for."""

    def __init__(self, signer_info: cms.SignerInfo) -> None:
        attrs = signer_info["signed_attrs"]
        self._by_type: dict[str, list[cms.CMSAttribute]] | None = None
        if not isinstance(attrs, core.Void):
            self._by_type = {}
            for attribute in attrs:
                self._by_type.setdefault(attribute["type"].dotted, []).append(attribute)

    def values(self, oid: str) -> list[core.Asn1Value] | None:
        """The values of the attribute ``oid``, every occurrence's merged; None when it is absent."""
        if self._by_type is None or oid not in self._by_type:
            return None
        return [value for attribute in self._by_type[oid] for value in attribute["values"]]


def attribute_values(signer_info: cms.SignerInfo, oid: str) -> list[core.Asn1Value] | None:
    """The values of the signed attribute ``oid``; None when absent. Several occurrences are merged."""
    return SignedAttributes(signer_info).values(oid)


def find_signer_certificate(
    signer_info: cms.SignerInfo, certificates: Iterable[asn1_x509.Certificate]
) -> asn1_x509.Certificate | None:
    """The certificate the SignerIdentifier names (issuer+serial or subjectKeyIdentifier), or None."""
    sid = signer_info["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if certificate.serial_number == wanted["serial_number"].native and _same_name(
                certificate.issuer, wanted["issuer"]
            ):
                return certificate
        elif certificate.key_identifier is not None and certificate.key_identifier == sid.chosen.native:
            return certificate
    return None


def _same_name(a: asn1_x509.Name, b: asn1_x509.Name) -> bool:
    """RFC 5280 name equality: the same encoding (fast), else asn1crypto's normalised comparison."""
    return a.dump() == b.dump() or a == b


def digest(digest_oid: str, data: bytes) -> bytes:
    """The ``digest_oid`` hash of ``data`` (any OID in :data:`DIGESTS`; GOST hashes in the NCA's byte order).

    Raises UnsupportedAlgorithm for an unknown digest.
    """
    name = _HASHLIB_NAMES.get(digest_oid)
    if name is not None:
        return hashlib.new(name, data).digest()
    if digest_oid in oids.GOST_HASH_ALGORITHMS:
        return gost.digest(digest_oid, data)
    raise UnsupportedAlgorithm(
        ErrorCode.UNSUPPORTED_ALGORITHM, f"digest algorithm {digest_oid} is not supported"
    )


def _to_der(data: bytes) -> bytes:
    if data.lstrip()[:1] == b"\x30":
        return data.lstrip()  # DER: never strip its end, the last octets may have whitespace values
    stripped = data.strip()
    match = _PEM.search(stripped)
    body = match.group(1) if match else stripped
    try:
        der = base64.b64decode(b"".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            ErrorCode.MALFORMED_SIGNATURE, "the signature is neither DER, PEM nor base64 CMS"
        ) from None
    if der[:1] != b"\x30":
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, "the decoded signature is not a DER structure")
    return der
