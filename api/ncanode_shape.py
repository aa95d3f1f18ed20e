"""THE translation of kzpki verdicts into NCANode v3's response shapes (``api.models.ncanode``).

NCANode's facts per certificate (``CertificateWrapper.toCertificateInfo`` at 9f642fe) are recomputed here
from the certificate itself; ``valid`` comes from our verdict, never from NCANode's weaker rule (dates, an
issuer found, and revocation only when asked). Where our verdict refuses, ``message`` says why with the
verdict's reason codes, so an integrator sees the difference instead of a bare ``false``.

Formats copied from NCANode's serialisation: dates as Jackson's ``StdDateFormat`` in UTC
(``2022-01-18T04:15:39.000+00:00``); ``serialNumber`` as ``BigInteger.toString(16)``; ``signAlg`` as the
Java algorithm name; ``subject.dn`` as ``X500Principal.toString()`` (RFC 1779 style, most specific RDN
first); ``tsp.tsa`` as Bouncy Castle's ``GeneralName.toString()``; ``tsp.serialNumber`` as the hex of the
two's-complement bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509

from api.models import ncanode as n
from pki import oids
from pki.cms import load_signed_data
from pki.errors import InvalidInput
from verifier.pdf import PdfSignatureVerdict
from verifier.verdict import CheckId, CheckStatus, RevocationEvidence, SignerReport, Verdict

# NCANode's CertificateKeyUser: the role OIDs under 1.2.398.3.3.4 it names.
KEY_USERS: dict[str, n.KeyUser] = {
    "1.2.398.3.3.4.1.1": "INDIVIDUAL",
    "1.2.398.3.3.4.1.2": "ORGANIZATION",
    "1.2.398.3.3.4.1.2.1": "CEO",
    "1.2.398.3.3.4.1.2.2": "CAN_SIGN",
    "1.2.398.3.3.4.1.2.3": "CAN_SIGN_FINANCIAL",
    "1.2.398.3.3.4.1.2.4": "HR",
    "1.2.398.3.3.4.1.2.5": "EMPLOYEE",
    "1.2.398.3.3.4.2": "NCA_PRIVILEGES",
    "1.2.398.3.3.4.2.1": "NCA_ADMIN",
    "1.2.398.3.3.4.2.2": "NCA_MANAGER",
    "1.2.398.3.3.4.2.3": "NCA_OPERATOR",
    "1.2.398.3.3.4.3": "IDENTIFICATION",
    "1.2.398.3.3.4.3.1": "IDENTIFICATION_CON",
    "1.2.398.3.3.4.3.2": "IDENTIFICATION_REMOTE",
    "1.2.398.3.3.4.3.2.1": "IDENTIFICATION_REMOTE_DIGITAL_ID",
}
# X509Certificate.getSigAlgName(): the JCA names (Kalkan's for the Kazakh GOST algorithms).
SIGN_ALGORITHMS: dict[str, str] = {
    "1.2.840.113549.1.1.5": "SHA1withRSA",
    "1.2.840.113549.1.1.11": "SHA256withRSA",
    "1.2.840.113549.1.1.12": "SHA384withRSA",
    "1.2.840.113549.1.1.13": "SHA512withRSA",
    "1.2.840.113549.1.1.10": "RSASSA-PSS",
    "1.2.840.10045.4.3.2": "SHA256withECDSA",
    "1.2.840.10045.4.3.3": "SHA384withECDSA",
    "1.2.840.10045.4.3.4": "SHA512withECDSA",
    oids.KZ_GOST2004_SIGNATURE: "ECGOST34310",
    oids.KZ_GOST2015_256_SIGNATURE: "ECGOST3410-2015-256",
    oids.KZ_GOST2015_512_SIGNATURE: "ECGOST3410-2015-512",
}
# KalkanUtil.getHashingAlgorithmByOID (its TSPAlgorithms table; others are null there too).
TSP_HASHES: dict[str, str] = {
    "1.2.840.113549.2.5": "MD5",
    "1.3.14.3.2.26": "SHA1",
    "2.16.840.1.101.3.4.2.4": "SHA224",
    "2.16.840.1.101.3.4.2.1": "SHA256",
    "2.16.840.1.101.3.4.2.2": "SHA384",
    "2.16.840.1.101.3.4.2.3": "SHA512",
    oids.KZ_GOST3411_94: "GOST34311",
}
# X500Principal.toString() keywords (JDK AVAKeyword, RFC 1779 style).
_JDK_KEYWORDS = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "T",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "2.5.4.46": "DNQUALIFIER",
    "2.5.4.4": "SURNAME",
    "2.5.4.42": "GIVENNAME",
    "2.5.4.43": "INITIALS",
    "2.5.4.44": "GENERATION",
    "1.2.840.113549.1.9.1": "EMAILADDRESS",
    "0.9.2342.19200300.100.1.1": "UID",
    "2.5.4.5": "SERIALNUMBER",
}
# Bouncy Castle BCStyle keywords (X500Name.toString inside GeneralName.toString).
_BC_KEYWORDS = {**_JDK_KEYWORDS, "1.2.840.113549.1.9.1": "E", "2.5.4.12": "T"}
_SIGNATURE_LEVEL = frozenset(
    {
        CheckId.STRUCTURE,
        CheckId.SIGNERS,
        CheckId.SIGNER_CERTIFICATE,
        CheckId.SIGNATURE,
        CheckId.CONTENT,
        CheckId.CONTENT_TYPE,
        CheckId.MESSAGE_DIGEST,
        CheckId.REFERENCE_DIGEST,
        CheckId.SIGNED_ATTRIBUTES,
        CheckId.SIGNING_CERTIFICATE,
        CheckId.ALGORITHM,
        CheckId.XML,
    }
)


def java_date(value: dt.datetime | None) -> str | None:
    """Jackson's StdDateFormat in UTC: ``2022-01-18T04:15:39.000+00:00``."""
    if value is None:
        return None
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+00:00"


def certificate_info(
    certificate: asn1_x509.Certificate,
    *,
    valid: bool,
    report: SignerReport | None,
    requested: Sequence[str],
) -> n.CertificateInfo:
    """NCANode's CertificateInfo of ``certificate``; ``valid`` is ours, ``revocations`` our evidence when
    the request asked for revocation (NCANode lists only the methods asked for)."""
    tbs = certificate["tbs_certificate"]
    validity = tbs["validity"]
    return n.CertificateInfo(
        valid=valid,
        revocations=_revocations(report, requested),
        not_before=java_date(validity["not_before"].native),
        not_after=java_date(validity["not_after"].native),
        key_usage=key_usage_name(certificate),
        serial_number=format(tbs["serial_number"].native, "x"),
        sign_alg=SIGN_ALGORITHMS.get(certificate["signature_algorithm"]["algorithm"].dotted),
        key_user=_key_users(certificate),
        public_key=base64.b64encode(tbs["subject_public_key_info"].dump()).decode("ascii"),
        signature=base64.b64encode(certificate["signature_value"].native).decode("ascii"),
        subject=subject_of(tbs["subject"]),
        issuer=subject_of(tbs["issuer"]),
    )


def subject_of(name: asn1_x509.Name) -> n.CertificateSubject:
    """NCANode's CertificateSubject: CN, SURNAME, SERIALNUMBER (IIN... / BIN...), C, L, ST, E, O, OU
    (BIN) and GIVENNAME (the patronymic, ``lastName``), plus the whole DN."""
    fields: dict[str, Any] = {}
    for oid, value in _attributes(name):
        if oid == "2.5.4.3":
            fields["common_name"] = value
        elif oid == "2.5.4.4":
            fields["sur_name"] = value
        elif oid == "2.5.4.5":
            if value.startswith("BIN"):
                fields["bin"] = value.removeprefix("BIN")
            else:
                fields["iin"] = value.removeprefix("IIN")
        elif oid == "2.5.4.6":
            fields["country"] = value
        elif oid == "2.5.4.7":
            fields["locality"] = value
        elif oid == "2.5.4.8":
            fields["state"] = value
        elif oid == "1.2.840.113549.1.9.1":
            fields["email"] = value
        elif oid == "2.5.4.10":
            fields["organization"] = value
        elif oid == "2.5.4.11":
            fields["bin"] = value.removeprefix("BIN")
        elif oid == "2.5.4.42":
            fields["last_name"] = value
    return n.CertificateSubject(**fields, dn=jdk_dn(name))


def jdk_dn(name: asn1_x509.Name) -> str:
    """``X500Principal.toString()``: RDNs from the last encoded to the first, ``, `` between them."""
    parts = []
    for rdn in reversed(list(name.chosen)):
        parts.append(" + ".join(_ava(attribute, _JDK_KEYWORDS) for attribute in rdn))
    return ", ".join(parts)


def bc_name(name: asn1_x509.Name) -> str:
    """Bouncy Castle's ``X500Name.toString()`` (BCStyle): RDNs in encoded order, ``,`` between them."""
    return ",".join("+".join(_ava(a, _BC_KEYWORDS, quote=False) for a in rdn) for rdn in name.chosen)


def why_invalid(verdict: Verdict) -> str:
    """The ``message`` of a refusal: each failed or unknown check once, with its reason code."""
    lines = []
    for check in verdict.checks:
        if check.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN) and check.reason is not None:
            who = "" if check.signer is None else f"signer {check.signer}: "
            lines.append(f"{who}{check.id}: {check.message} ({check.reason.value})")
    if not lines:
        lines.append(f"{verdict.indication.value}: no check passed")
    return "kzpki: " + "; ".join(lines)


def certificate_valid(verdict: Verdict, index: int | None) -> bool:
    """Whether the certificate-level checks (chain, validity, key usage, identity, revocation) of signer
    ``index`` all held; signature-level checks are judged by the overall ``valid``."""
    for check in verdict.checks:
        if check.signer != index or check.id in _SIGNATURE_LEVEL:
            continue
        if check.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN):
            return False
    return True


def cms_response(
    verdict: Verdict, signed_data: asn1_cms.SignedData, requested: Sequence[str]
) -> n.CmsVerificationResponse:
    """``/cms/verify``: one CmsSignerInfo per SignerInfo, its certificate(s) and time stamp."""
    certificates = [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]
    signers = []
    for index, signer_info in enumerate(signed_data["signer_infos"]):
        report = _report(verdict, index)
        matched = [c for c in certificates if _identifies(signer_info["sid"], c)]
        infos = [
            certificate_info(c, valid=certificate_valid(verdict, index), report=report, requested=requested)
            for c in matched
        ]
        verified = report is not None and report.signature_timestamp is not None  # NCANode: validated
        signers.append(n.CmsSignerInfo(certificates=infos, tsp=tsp_info(signer_info) if verified else None))
    return n.CmsVerificationResponse(
        valid=verdict.passed, signers=signers, message="OK" if verdict.passed else why_invalid(verdict)
    )


def certificates_response(
    verdicts: Sequence[tuple[Verdict, asn1_x509.Certificate] | None],
    requested: Sequence[str],
    *,
    signature_valid: bool = True,
    failure: str | None = None,
) -> n.VerificationResponse:
    """``/x509/info``, ``/xml/verify``, ``/x509/verify``, ``/pkcs12/info``: one CertificateInfo per entry
    (null for an entry that is no certificate, as NCANode)."""
    signers: list[n.CertificateInfo | None] = []
    messages = [] if failure is None else [failure]
    valid = bool(verdicts) and signature_valid
    for position, entry in enumerate(verdicts):
        if entry is None:
            signers.append(None)
            messages.append(f"[{position}]: Invalid certificate given.")
            valid = False
            continue
        verdict, certificate = entry
        index = verdict.signers[0].index if verdict.kind != "certificate" and verdict.signers else None
        ok = certificate_valid(verdict, index) if verdict.kind != "certificate" else verdict.passed
        report = verdict.signers[0] if verdict.signers else None
        signers.append(certificate_info(certificate, valid=ok, report=report, requested=requested))
        if not verdict.passed:
            valid = False
            messages.append(why_invalid(verdict))
    if not verdicts and failure is None:
        messages.append("kzpki: nothing to verify")
    return n.VerificationResponse(valid=valid, signers=signers, message="; ".join(messages) or "OK")


def xml_response(
    verdict: Verdict, certificates: Sequence[asn1_x509.Certificate | None], requested: Sequence[str]
) -> n.VerificationResponse:
    """``/xml/verify``: one CertificateInfo per signature (null where it names no certificate)."""
    signers: list[n.CertificateInfo | None] = []
    for index, certificate in enumerate(certificates):
        if certificate is None:
            signers.append(None)
            continue
        report = _report(verdict, index)
        signers.append(
            certificate_info(
                certificate, valid=certificate_valid(verdict, index), report=report, requested=requested
            )
        )
    return n.VerificationResponse(
        valid=verdict.passed, signers=signers, message="OK" if verdict.passed else why_invalid(verdict)
    )


def pdf_response(
    results: Sequence[PdfSignatureVerdict], requested: Sequence[str]
) -> n.PdfVerificationResponse:
    """``/pdf/verify``: one PdfSignerInfo per signature, first signer first, its certificate as
    ``/cms/verify`` shows it; ``message`` names each invalid signature's field and why."""
    infos, refusals = [], []
    for result in results:
        signature, verdict = result.signature, result.verdict
        certificate, digest_algorithm = None, None
        try:
            signed_data = load_signed_data(signature.cms)
        except InvalidInput:
            signed_data = None
        if signed_data is not None and len(signed_data["signer_infos"]):
            shown = cms_response(verdict, signed_data, requested).signers[0].certificates
            certificate = shown[0] if shown else None
            digest_algorithm = signed_data["signer_infos"][0]["digest_algorithm"]["algorithm"].dotted
        infos.append(
            n.PdfSignerInfo(
                valid=verdict.passed,
                reason=signature.reason,
                location=signature.location,
                contact_info=signature.contact_info,
                sign_date=java_date(signature.signed_at),
                certificate=certificate,
                signature_algorithm=signature.sub_filter,
                digest_algorithm=digest_algorithm,
            )
        )
        if not verdict.passed:
            refusals.append(f"{signature.field_name}: {why_invalid(verdict).removeprefix('kzpki: ')}")
    valid = not refusals
    return n.PdfVerificationResponse(
        valid=valid, signers=infos, message="OK" if valid else "kzpki: " + "; ".join(refusals)
    )


def tsp_info(signer_info: asn1_cms.SignerInfo) -> n.TspInfo | None:
    """The signature time stamp of a signer (id-aa-signatureTimeStampToken), as NCANode's TspInfo (shown
    only once the verifier has verified it, as NCANode validates it first)."""
    attributes = signer_info["unsigned_attrs"]
    if attributes.native is None:
        return None
    for attribute in attributes:
        if attribute["type"].dotted != oids.ATTR_SIGNATURE_TIME_STAMP:
            continue
        try:
            token = attribute["values"][0]
            info = token["content"]["encap_content_info"]["content"].parsed
            serial = info["serial_number"].native
            imprint = info["message_imprint"]
            tsa = info["tsa"]
            return n.TspInfo(
                serial_number=_twos_complement_hex(serial),
                gen_time=java_date(info["gen_time"].native),
                policy=info["policy"].dotted,
                tsa=None if tsa.native is None else _general_name(tsa),
                tsp_hash_algorithm=TSP_HASHES.get(imprint["hash_algorithm"]["algorithm"].dotted),
                hash=imprint["hashed_message"].native.hex(),
            )
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None  # NCANode logs and leaves tsp out too
    return None


def _revocations(report: SignerReport | None, requested: Sequence[str]) -> list[n.RevocationStatus]:
    """NCANode's ``revocations``: nothing unless ``revocationCheck`` asked. An answer from a CRL or an OCSP
    response is listed once, by that method. An answer from the issuing CA's own register (our CAs), which
    the CA's OCSP responder and CRLs are made from, is listed for each method asked for, in NCANode's
    order (the CRL's entry, then OCSP's), so that a client asking for OCSP reads ``by: OCSP``."""
    if not requested or report is None or report.revocation is None:
        return []
    evidence = report.revocation
    if evidence.source == "registry":
        methods: list[n.RevocationMethod] = [m for m in ("CRL", "OCSP") if m in requested]
    else:
        methods = ["OCSP" if evidence.source == "ocsp" else "CRL"]
    return [_revocation_status(evidence, by) for by in methods]


def _revocation_status(evidence: RevocationEvidence, by: n.RevocationMethod) -> n.RevocationStatus:
    """One ``CertificateRevocationStatus`` of ``evidence`` reported as method ``by`` ("CRL" or "OCSP")."""
    revoked = evidence.status in ("revoked", "on_hold")
    if by == "OCSP":  # NCANode: the OcspStatus message
        reason: str | None = "Unknown status" if evidence.status == "unknown" else "OK"
    else:  # NCANode: java.security.cert.CRLReason's name, "" without one, null when not listed
        reason = (evidence.reason or "").upper() if revoked else None
    return n.RevocationStatus(
        revoked=revoked, by=by, revocation_time=java_date(evidence.revocation_time), reason=reason
    )


def key_usage_name(certificate: asn1_x509.Certificate) -> n.KeyUsage:
    """CertificateKeyUsage.fromKeyUsageBits: digitalSignature+nonRepudiation SIGN, digitalSignature+
    keyEncipherment AUTH, else UNKNOWN (also without the extension, where NCANode fails)."""
    usage = certificate.key_usage_value
    bits = set() if usage is None else set(usage.native)
    if {"digital_signature", "non_repudiation"} <= bits:
        return "SIGN"
    if {"digital_signature", "key_encipherment"} <= bits:
        return "AUTH"
    return "UNKNOWN"


def _key_users(certificate: asn1_x509.Certificate) -> list[n.KeyUser]:
    usage = certificate.extended_key_usage_value
    dotted = [] if usage is None else [purpose.dotted for purpose in usage]
    return [name for oid, name in KEY_USERS.items() if oid in dotted]


def _attributes(name: asn1_x509.Name) -> Iterable[tuple[str, str]]:
    for rdn in name.chosen:
        for attribute in rdn:
            value = attribute["value"].native
            yield attribute["type"].dotted, value if isinstance(value, str) else str(value)


def _ava(attribute: asn1_x509.NameTypeAndValue, keywords: dict[str, str], *, quote: bool = True) -> str:
    oid = attribute["type"].dotted
    keyword = keywords.get(oid)
    value = attribute["value"].native
    if keyword is None or not isinstance(value, str):
        return f"{'OID.' if quote else ''}{oid}=#{attribute['value'].dump().hex()}"
    if quote and (any(c in value for c in ',+=\n<>#;"\\') or value != value.strip()):
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif not quote:
        value = "".join("\\" + c if c in ',+="\\<>;' else c for c in value)
    return f"{keyword}={value}"


def _general_name(name: asn1_x509.GeneralName) -> str:
    """Bouncy Castle GeneralName.toString(): ``<tag>: <value>``."""
    tags = {
        "other_name": 0,
        "rfc822_name": 1,
        "dns_name": 2,
        "x400_address": 3,
        "directory_name": 4,
        "edi_party_name": 5,
        "uniform_resource_identifier": 6,
        "ip_address": 7,
        "registered_id": 8,
    }
    value = bc_name(name.chosen) if name.name == "directory_name" else str(name.native)
    return f"{tags[name.name]}: {value}"


def _twos_complement_hex(value: int) -> str:
    length = (value + (value < 0)).bit_length() // 8 + 1
    return value.to_bytes(length, "big", signed=True).hex()


def _report(verdict: Verdict, index: int) -> SignerReport | None:
    return next((s for s in verdict.signers if s.index == index), None)


def _identifies(sid: asn1_cms.SignerIdentifier, certificate: asn1_x509.Certificate) -> bool:
    if sid.name == "issuer_and_serial_number":
        chosen = sid.chosen
        return bool(
            chosen["serial_number"].native == certificate.serial_number
            and chosen["issuer"].dump() == certificate.issuer.dump()
        )
    return bool(sid.chosen.native == certificate.key_identifier)
