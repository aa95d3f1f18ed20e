"""Public verification requests: a certificate, a signed document (CMS, XMLDSig or a WS-Security SOAP
envelope), a time-stamp token."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from api.models.fields import Base64, PemOrBase64, Text, UtcDateTime
from api.models.limits import MAX_CERTIFICATE_CHARS, MAX_DOCUMENT_CHARS
from api.operations import RequestModel
from pki.errors import ErrorCode
from verifier import Purpose

Document = Annotated[bytes, Base64(MAX_DOCUMENT_CHARS)]
AT = "Validation time ('as of'), default now."


class InspectRequest(RequestModel):
    certificate: Annotated[bytes, PemOrBase64(MAX_CERTIFICATE_CHARS)]
    purpose: Purpose = Purpose.DOCUMENT
    at: UtcDateTime | None = Field(default=None, description=AT)


class VerifyRequest(RequestModel):
    """Exactly one of ``cms`` (base64, ``data`` for a detached CMS), ``xml`` (text) or ``soap`` (text)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"cms": "MIAGCSqGSIb3DQEHAqCAMIACAQEx...", "at": "2026-01-31T12:00:00Z"}]
        }
    )

    cms: Document | None = None
    data: Document | None = Field(default=None, description="The signed data of a detached CMS.")
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = None
    soap: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = Field(
        default=None, description="A SOAP envelope (1.1 or 1.2) signed with WS-Security, as text."
    )
    at: UtcDateTime | None = Field(default=None, description=AT)

    @model_validator(mode="after")
    def _one_signature(self) -> Self:
        if sum(value is not None for value in (self.cms, self.xml, self.soap)) != 1:
            raise PydanticCustomError(
                ErrorCode.INVALID_VALUE,
                "send exactly one of cms (base64 CMS), xml (signed XML text) or soap (a SOAP envelope "
                "signed with WS-Security)",
            )
        return self


class PdfVerifyRequest(RequestModel):
    pdf: Document = Field(description="The signed PDF, base64.")
    at: UtcDateTime | None = Field(default=None, description=AT)


class TimestampRequest(RequestModel):
    token: Document = Field(description="The RFC 3161 TimeStampToken (a CMS ContentInfo).")
    data: Document | None = Field(
        default=None, description="The time-stamped data, to compare with the imprint."
    )
    at: UtcDateTime | None = Field(default=None, description=AT)
