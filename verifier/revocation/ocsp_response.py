"""An OCSP response read without trusting anything yet: the parts RFC 6960 3.2 needs to judge it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import algos as asn1_algos
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.core import OctetString

from pki import oids
from pki.errors import ErrorCode, InvalidInput
from verifier.certificate import Cert
from verifier.revocation.outcome import NO_ANSWER, RevocationOutcome, invalid

_CERT_ID_HASHES = ("sha1", "sha256", "sha384", "sha512")


@dataclass(frozen=True)
class ParsedOcsp:
    """The parts of an OCSP response RFC 6960 3.2 needs, read without trusting anything yet."""

    status: str
    tbs: bytes
    signature_algorithm: asn1_algos.SignedDigestAlgorithm
    signature: bytes
    certs: tuple[Cert, ...]
    responder_by_key: bytes | None
    responder_name: asn1_x509.Name | None
    produced_at: dt.datetime | None
    responses: tuple[asn1_ocsp.SingleResponse, ...]
    nonce: bytes | None

    def echoes(self, nonce: bytes) -> bool:
        """Whether the response carries ``nonce`` (raw, or wrapped in an OCTET STRING as RFC 8954 says)."""
        return self.nonce is not None and self.nonce in (nonce, OctetString(nonce).dump())

    def names_responder(self, cert: Cert) -> bool:
        """Whether ``cert`` is the one the ResponderID names (by key hash or by name)."""
        if self.responder_by_key is not None:
            key_bits = cert.asn1.public_key["public_key"].contents[1:]
            return hashlib.sha1(key_bits).digest() == self.responder_by_key  # noqa: S324 - RFC 6960 KeyHash is SHA-1
        return self.responder_name is not None and cert.asn1.subject == self.responder_name


def parse_ocsp(der: bytes) -> ParsedOcsp:
    """Read an OCSP response. Raises InvalidInput(``malformed_ocsp``) when it cannot be decoded."""
    try:
        response = asn1_ocsp.OCSPResponse.load(der)
        status = response["response_status"].native
        if status != "successful":
            return ParsedOcsp(
                status, b"", asn1_algos.SignedDigestAlgorithm(), b"", (), None, None, None, (), None
            )
        basic = response["response_bytes"]["response"].parsed
        data = basic["tbs_response_data"]
        responder_id = data["responder_id"]
        nonce = None
        for extension in data["response_extensions"]:
            if extension["extn_id"].dotted == oids.OCSP_NONCE:
                nonce = bytes(extension["extn_value"].contents)
        return ParsedOcsp(
            status=status,
            tbs=data.dump(),
            signature_algorithm=basic["signature_algorithm"],
            signature=basic["signature"].native,
            certs=tuple(c for c in map(Cert.from_asn1, basic["certs"]) if c.decodes),
            responder_by_key=responder_id.chosen.native if responder_id.name == "by_key" else None,
            responder_name=responder_id.chosen if responder_id.name == "by_name" else None,
            produced_at=data["produced_at"].native,
            responses=tuple(data["responses"]),
            nonce=nonce,
        )
    except (ValueError, TypeError, KeyError):
        raise InvalidInput(ErrorCode.MALFORMED_OCSP, "the response cannot be decoded") from None


def matching_single_response(
    parsed: ParsedOcsp, leaf: Cert, issuer: Cert
) -> asn1_ocsp.SingleResponse | RevocationOutcome:
    """The SingleResponse whose CertID names ``leaf`` and its issuer (name and key hashes), or why none."""
    about_serial = [s for s in parsed.responses if s["cert_id"]["serial_number"].native == leaf.serial]
    if not about_serial:
        return dataclasses.replace(NO_ANSWER, message="OCSP: the response is about another certificate")
    key_bits = issuer.asn1.public_key["public_key"].contents[1:]  # BIT STRING value without unused-bits byte
    for single in about_serial:
        cert_id = single["cert_id"]
        hash_name = cert_id["hash_algorithm"]["algorithm"].native
        if hash_name not in _CERT_ID_HASHES:
            continue
        name_hash = hashlib.new(hash_name, issuer.asn1.subject.dump()).digest()
        key_hash = hashlib.new(hash_name, key_bits).digest()
        if cert_id["issuer_name_hash"].native == name_hash and cert_id["issuer_key_hash"].native == key_hash:
            return single
    return invalid("OCSP: the CertID names another issuer than the certificate's CA")
