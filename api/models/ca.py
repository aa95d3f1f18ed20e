"""CA operations: applications, revocation / hold / release, CRL publication, the public register."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from api.models.fields import EndDateTime, PemOrBase64, Text, UtcDateTime, _Field
from api.models.limits import MAX_CSR_CHARS
from api.operations import RequestModel, ResponseModel
from ca_sim.grounds import Ground
from ca_sim.issuance import GeneratedKeyType, GostKeyType
from ca_sim.profiles import HIERARCHY_KINDS, CertificateKind, KeyStorage, LegalRole
from pki import keys
from pki.errors import ErrorCode
from pki.iin import Sex

# "generate the key for me": the names clients send; GOST R 34.10-2015-512 is what the real NCA issues today.
GENERATED_KEY_TYPES: dict[str, GeneratedKeyType] = {
    **{k.value: k for k in keys.KeyType},
    "gost2015_512": GostKeyType.GOST2015_512,
}
ISSUABLE = tuple(k for k in CertificateKind if k not in HIERARCHY_KINDS)


def _one_of(allowed: tuple[str, ...]) -> Any:
    def check(value: Any) -> Any:
        if value not in allowed:
            raise PydanticCustomError(
                ErrorCode.INVALID_VALUE, "must be one of: {allowed}", {"allowed": ", ".join(allowed)}
            )
        return value

    return AfterValidator(check)


_KINDS = tuple(k.value for k in ISSUABLE)
IssuableKind = Annotated[
    CertificateKind, _one_of(_KINDS), WithJsonSchema({"type": "string", "enum": list(_KINDS)})
]
KeyName = Annotated[
    str,
    _one_of(tuple(GENERATED_KEY_TYPES)),
    WithJsonSchema({"type": "string", "enum": list(GENERATED_KEY_TYPES)}),
]
Name = Annotated[str, Text(200)]


class _Date(_Field):
    """A calendar date YYYY-MM-DD in years 1900-2999 (a birth date; the CA judges the rest)."""

    def validate(self, value: Any) -> dt.date:
        if not isinstance(value, str) or len(value) != 10:
            raise PydanticCustomError(ErrorCode.WRONG_TYPE, "must be a date YYYY-MM-DD")
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(ErrorCode.INVALID_VALUE, "is not a real date YYYY-MM-DD") from None
        if not 1900 <= parsed.year <= 2999:
            raise PydanticCustomError(ErrorCode.DATETIME_OUT_OF_RANGE, "must lie in the years 1900-2999")
        return parsed

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "examples": ["1990-01-01"]}


class OrganizationIn(RequestModel):
    name: Annotated[str, Text(300)]
    bin: Annotated[str, Text(12, pattern="^[0-9]{12}$")]


class ApplicationIn(RequestModel):
    """An application for a certificate: types only; the CA checks the rules (EDS-14, EDS-14-1)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "individual_auth",
                    "iin": "900101300123",
                    "surname": "TESTOV",
                    "name": "TEST",
                    "generate_key": "gost2015_512",
                    "pkcs12_password": "a long passphrase",
                }
            ]
        }
    )

    kind: IssuableKind
    iin: Annotated[str, Text(12)] | None = None
    surname: Name | None = None
    name: Name | None = None
    patronymic: Name | None = None
    birth_date: Annotated[dt.date, _Date()] | None = None
    sex: Sex | None = None
    email: Name | None = None
    organization: OrganizationIn | None = None
    roles: list[LegalRole] = Field(default_factory=list)
    key_storage: KeyStorage = KeyStorage.FILE
    csr: Annotated[bytes, PemOrBase64(MAX_CSR_CHARS)] | None = Field(
        default=None, description="PKCS#10, PEM or base64 DER (the applicant keeps the key)."
    )
    generate_key: KeyName | None = Field(default=None, description="The CA generates the key (PKCS#12 back).")
    pkcs12_password: Name | None = Field(
        default=None, description="Protects the PKCS#12 when the CA generates the key."
    )


class IssuedCertificate(ResponseModel):
    ca_id: str
    kind: str
    serial: str = Field(description="Lower-case hex.")
    not_before: str
    not_after: str
    certificate_pem: str
    chain_pem: list[str]
    pkcs12: str | None = Field(description="Base64 PKCS#12 when the CA generated the key.")


class RevocationIn(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ground": "key_compromise", "document_ref": "application 2026/17"}]}
    )

    ground: Ground
    document_ref: Name
    invalidity_date: UtcDateTime | None = None


class DocumentRef(RequestModel):
    document_ref: Name


class HoldIn(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"document_ref": "letter 2026/41", "until": "2026-12-20"}]}
    )

    document_ref: Name
    until: EndDateTime | None = Field(
        default=None,
        description="Optional end of the hold (exclusive): the certificate is good again from then, with "
        "no further call (OCSP at once, removeFromCRL in the first delta CRL after it). A bare date is the "
        "start of that day in Kazakhstan (KZ-TIME). Without it the hold lasts until released.",
    )


class RegisterEntry(ResponseModel):
    """EDS-23: no name, IIN or other personal data."""

    ca_id: str
    serial: str
    status: Literal["good", "revoked", "on_hold"]
    reason: str | None
    revocation_time: str | None
    hold_until: str | None = Field(description="The end of a hold with an end date; else null.")


class IssuedTimeStamp(ResponseModel):
    """A token the National CA's TSA issued, as its ledger keeps it (RFC 3161 TSTInfo fields)."""

    serial: str = Field(description="TSTInfo serialNumber, lowercase hex.")
    gen_time: str = Field(json_schema_extra={"format": "date-time"})
    policy: str = Field(description="TSA policy OID (dotted).")
    imprint_algorithm: str = Field(description="Hash algorithm OID of the message imprint (dotted).")
    imprint: str = Field(description="The message imprint, hex: a hash, no personal data.")
    nonce: str | None = Field(description="The request's nonce, hex; null when it sent none.")
    tsa_certificate_sha256: str = Field(description="SHA-256 (hex) of the TSA certificate that signed it.")


class PublishedCrl(ResponseModel):
    ca_id: str
    kind: Literal["full", "delta"]
    crl_number: int
    this_update: str
    next_update: str


class PublishedCrls(ResponseModel):
    crls: list[PublishedCrl]
