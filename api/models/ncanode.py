"""NCANode v3's request and response JSON (its ``kz.ncanode.dto`` classes, read at commit 9f642fe), as
pydantic models with NCANode's camelCase member names.

Requests follow Jackson's leniency where NCANode has it (unknown members ignored, ``revocationCheck``
defaulting to none) and its ``@NotEmpty``/``@NotNull`` constraints; our field types add what NCANode
lacks (NUL and lone surrogates refused, sizes bounded). Responses mirror the DTOs' serialisation:
``CertificateInfo``, ``CertificateSubject`` and ``ErrorResponse`` drop null members (``@JsonInclude
(NON_NULL)``); the others keep them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from api.models.fields import Base64, PemOrBase64, Text
from api.models.limits import MAX_CERTIFICATE_CHARS, MAX_DOCUMENT_CHARS

RevocationMethod = Literal["OCSP", "CRL"]
KeyUsage = Literal["UNKNOWN", "AUTH", "SIGN"]
KeyUser = Literal[
    "INDIVIDUAL",
    "ORGANIZATION",
    "CEO",
    "CAN_SIGN",
    "CAN_SIGN_FINANCIAL",
    "HR",
    "EMPLOYEE",
    "NCA_PRIVILEGES",
    "NCA_ADMIN",
    "NCA_MANAGER",
    "NCA_OPERATOR",
    "IDENTIFICATION",
    "IDENTIFICATION_CON",
    "IDENTIFICATION_REMOTE",
    "IDENTIFICATION_REMOTE_DIGITAL_ID",
]
TsaPolicy = Literal["TSA_GOST2015_POLICY", "TSA_GOST_POLICY", "TSA_GOSTGT_POLICY"]
Document = Annotated[bytes, Base64(MAX_DOCUMENT_CHARS)]
MAX_SIGNERS = 16
MAX_CERTS = 64
DATE: dict[str, Any] = {"format": "date-time", "examples": ["2022-01-18T04:15:39.000+00:00"]}


class NcaRequest(BaseModel):
    """Base of NCANode requests: camelCase names (snake_case accepted too), strict JSON types."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, strict=True, frozen=True, extra="ignore"
    )


class NcaResponse(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


def _is_none(value: object) -> bool:
    return value is None


def omitted_if_null(**kwargs: Any) -> Any:
    """A member of a ``@JsonInclude(NON_NULL)`` DTO: default null, left out of the JSON when null."""
    return Field(default=None, exclude_if=_is_none, **kwargs)


class VerifyRequest(NcaRequest):
    revocation_check: list[RevocationMethod] = Field(
        default_factory=list,
        max_length=2,
        description="Which revocation answers NCANode consults (none by default). kzpki checks revocation "
        "whatever is sent, with these methods when given.",
    )


class CmsVerifyRequest(VerifyRequest):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"cms": "MIIG...", "revocationCheck": ["OCSP"]}]}
    )

    cms: Document
    data: Document | None = Field(default=None, description="The signed data of a detached CMS (base64).")


class CmsExtractRequest(NcaRequest):
    cms: Document


class XmlVerifyRequest(VerifyRequest):
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)]


class X509InfoRequest(VerifyRequest):
    certs: list[Annotated[bytes, PemOrBase64(MAX_CERTIFICATE_CHARS)]] = Field(max_length=MAX_CERTS)


class X509VerifyRequest(VerifyRequest):
    """NCANode's ``SbaVerifyRequest``: a raw signature over ``data`` (UTF-8 text) with the certificate's
    key, using the certificate's own signature algorithm."""

    certificate: Annotated[bytes, PemOrBase64(MAX_CERTIFICATE_CHARS)]
    signature: Document
    data: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)]


class KeyRequest(NcaRequest):
    """A PKCS#12 key container, its password and optionally the alias of the key in it."""

    key: Annotated[bytes, Base64(MAX_CERTIFICATE_CHARS)] = Field(description="PKCS#12, base64.")
    password: Annotated[str, Text(200)]
    key_alias: Annotated[str, Text(200)] | None = None


class SignerRequest(KeyRequest):
    reference_uri: Annotated[str, Text(200)] | None = None


Signers = Annotated[list[SignerRequest], Field(min_length=1, max_length=MAX_SIGNERS)]


class Pkcs12InfoRequest(VerifyRequest):
    keys: Signers


class CmsCreateRequest(NcaRequest):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"data": "dGVzdDEyMw==", "signers": [{"key": "MIIM...", "password": "Qwerty12"}]}]
        }
    )

    cms: Document | None = Field(default=None, description="/cms/sign/add: the CMS to add signers to.")
    data: Document | None = Field(default=None, description="The data to sign (base64).")
    signers: Signers
    with_tsp: bool = Field(
        default=False,
        description="A signature time stamp per new signer from the National CA's TSA (RFC 3161).",
    )
    tsa_policy: TsaPolicy | None = None
    detached: bool = False


class XmlSignRequest(NcaRequest):
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)]
    signers: Signers
    clear_signatures: bool = False
    trim_xml: bool = False


class WsseSignRequest(KeyRequest):
    """NCANode's ``WsseSignRequest``: a SOAP envelope to sign with one key (no ``signers`` list)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "xml": '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                    "<soap:Body><ping/></soap:Body></soap:Envelope>",
                    "key": "MIIM...",
                    "password": "Qwerty12",
                }
            ]
        }
    )

    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)]
    trim_xml: bool = False


class PdfSigner(NcaRequest):
    """One signer of ``/pdf/sign``: the key, and what the signature dictionary says."""

    reason: Annotated[str, Text(500)] | None = None
    location: Annotated[str, Text(500)] | None = None
    contact_info: Annotated[str, Text(500)] | None = None
    signer: SignerRequest


class PdfSignRequest(NcaRequest):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"pdf": "JVBERi0...", "signers": [{"signer": {"key": "MIIM...", "password": "Qwerty12"}}]}
            ]
        }
    )

    pdf: Document = Field(description="The PDF, base64.")
    signers: Annotated[list[PdfSigner], Field(min_length=1, max_length=MAX_SIGNERS)]
    with_tsp: bool = Field(
        default=False,
        description="A signature time stamp per new signer from the National CA's TSA (RFC 3161).",
    )
    tsa_policy: TsaPolicy | None = None


class PdfVerifyRequest(VerifyRequest):
    pdf: Document = Field(description="The signed PDF, base64.")


class RevocationStatus(NcaResponse):
    revoked: bool
    by: RevocationMethod
    revocation_time: str | None = Field(json_schema_extra=DATE)
    reason: str | None


class CertificateSubject(NcaResponse):
    """Null members are omitted."""

    common_name: str | None = omitted_if_null()
    last_name: str | None = omitted_if_null(description="The patronymic (GIVENNAME).")
    sur_name: str | None = omitted_if_null()
    email: str | None = omitted_if_null()
    organization: str | None = omitted_if_null()
    gender: Literal["NONE", "MALE", "FEMALE"] | None = omitted_if_null()
    iin: str | None = omitted_if_null()
    bin: str | None = omitted_if_null()
    country: str | None = omitted_if_null()
    locality: str | None = omitted_if_null()
    state: str | None = omitted_if_null()
    dn: str | None = omitted_if_null()


class CertificateInfo(NcaResponse):
    """Null members are omitted."""

    valid: bool
    revocations: list[RevocationStatus] | None = omitted_if_null()
    not_before: str | None = omitted_if_null(json_schema_extra=DATE)
    not_after: str | None = omitted_if_null(json_schema_extra=DATE)
    key_usage: KeyUsage | None = omitted_if_null()
    serial_number: str | None = omitted_if_null(description="Lower-case hex, no leading zeros.")
    sign_alg: str | None = omitted_if_null()
    key_user: list[KeyUser] | None = omitted_if_null()
    public_key: str | None = omitted_if_null(description="SubjectPublicKeyInfo, base64.")
    signature: str | None = omitted_if_null(description="The certificate's signature, base64.")
    subject: CertificateSubject | None = omitted_if_null()
    issuer: CertificateSubject | None = omitted_if_null()


class TspInfo(NcaResponse):
    serial_number: str | None
    gen_time: str | None = Field(json_schema_extra=DATE)
    policy: str | None
    tsa: str | None
    tsp_hash_algorithm: str | None
    hash: str | None


class CmsSignerInfo(NcaResponse):
    certificates: list[CertificateInfo]
    tsp: TspInfo | None


class StatusResponse(NcaResponse):
    status: int = 200
    message: str = "OK"


class CmsVerificationResponse(StatusResponse):
    """``valid`` is kzpki's verdict; where it is false, ``message`` says why."""

    valid: bool
    signers: list[CmsSignerInfo]


class VerificationResponse(StatusResponse):
    """``valid`` is kzpki's verdict; where it is false, ``message`` says why."""

    valid: bool
    signers: list[CertificateInfo | None]


class CmsDataResponse(StatusResponse):
    data: str


class CmsResponse(StatusResponse):
    cms: str


class XmlSignResponse(StatusResponse):
    xml: str


class PdfSignResponse(StatusResponse):
    pdf: str


class PdfSignerInfo(NcaResponse):
    """One signature of the PDF: ``valid`` is kzpki's verdict for it (coverage, CMS, chain, revocation)."""

    valid: bool
    reason: str | None
    location: str | None
    contact_info: str | None
    sign_date: str | None = Field(
        json_schema_extra=DATE, description="The dictionary's /M: the signer's claim."
    )
    certificate: CertificateInfo | None
    signature_algorithm: str | None = Field(description="The /SubFilter, e.g. ETSI.CAdES.detached.")
    digest_algorithm: str | None = Field(description="The CMS digest algorithm's OID.")


class PdfVerificationResponse(StatusResponse):
    """``valid`` when every signature is; where it is false, ``message`` says why."""

    valid: bool
    signers: list[PdfSignerInfo]


class Pkcs12AliasesResponse(StatusResponse):
    aliases: list[list[str]]


class JwtHeader(NcaRequest):
    alg: Annotated[str, Text(20)] = Field(
        description="GG2015, GG2004, ES256, ES384, ES512, RS256, RS384 or RS512 (the key must fit it)."
    )
    typ: Annotated[str, Text(20)] = Field(examples=["JWT"])


class JwtRequest(NcaRequest):
    header: JwtHeader
    payload: dict[str, Any] = Field(
        description="The claims, in order; null members are left out, as NCANode does.",
        examples=[{"cbin": "012345678909", "mcheck": "DS", "iat": 1631925900, "exp": 1631929500}],
    )


class JwtEncodeRequest(KeyRequest):
    """NCANode's ``JwtEncodeRequest``: the token to sign and the PKCS#12 key to sign it with."""

    jwt: JwtRequest


class JwtDecodeRequest(NcaRequest):
    jwt: Annotated[str, Text(MAX_DOCUMENT_CHARS)] = Field(description="The compact token.")
    key: Annotated[bytes, PemOrBase64(MAX_CERTIFICATE_CHARS)] = Field(
        description="The signer's X.509 certificate (base64 DER or PEM)."
    )


class JwtEncodeResponse(StatusResponse):
    jwt: str


class DecodedJwt(NcaResponse):
    header: dict[str, str | None] = Field(description="alg and typ, as NCANode shows them.")
    payload: dict[str, Any]


class JwtDecodeResponse(StatusResponse):
    """``valid``: the signature verifies with the certificate's key, the time claims hold now and the
    certificate passes kzpki's verifier; where it is false, ``message`` says why."""

    valid: bool
    jwt: DecodedJwt


class ErrorResponse(NcaResponse):
    """NCANode's error body (HTTP 400 for a client error). kzpki never answers 500 for input."""

    status: int
    message: str
    details: str | None = omitted_if_null()
