"""Request and response models of the document service (DD-8, DD-9, DD-14)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from api.models.fields import EndDateTime, PemOrBase64, Text
from api.models.limits import MAX_DOCUMENT_CHARS
from api.models.owner import SignedChallenge
from api.models.unis import exactly_one_signature
from api.models.verdict import Verdict
from api.operations import RequestModel, ResponseModel
from pki.errors import ErrorCode


class DocumentSubmission(RequestModel):
    """A state body's signed document: exactly one of ``cms`` or ``xml``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"cms": "MIAGCSqGSIb3DQEHAqCAMIACAQEx..."}]})

    cms: Annotated[bytes, PemOrBase64(MAX_DOCUMENT_CHARS)] | None = Field(
        default=None,
        description="Attached CMS SignedData whose content is the digitalDocument XML: base64 DER or PEM.",
    )
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = Field(
        default=None, description="The digitalDocument XML with its enveloped XMLDSig signature(s)."
    )

    @model_validator(mode="after")
    def _one_signature(self) -> Self:
        exactly_one_signature(self.cms, self.xml)
        return self


class GrantRequest(SignedChallenge):
    """The owner's consent (DD-9): a fresh challenge signed by the owner, and either ``expires_at``
    (temporary access) or ``continuous: true`` (until revoked)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"challenge_id": "3q2-7w", "cms": "MIAGCSqGSIb3...", "expires_at": "2026-12-15"}]
        }
    )

    expires_at: EndDateTime | None = Field(
        default=None,
        description="The first instant access is refused (a bare date: the start of that Kazakh day).",
    )
    continuous: bool = Field(default=False, description="Access until the owner revokes it (DD-14).")

    @model_validator(mode="after")
    def _one_term(self) -> Self:
        if (self.expires_at is None) != self.continuous:
            raise PydanticCustomError(
                ErrorCode.INVALID_VALUE, "send exactly one of expires_at (temporary) or continuous: true"
            )
        return self


class DocumentSigner(ResponseModel):
    kind: Literal["civil_servant", "state_organisation"]
    organisation: str
    bin: str
    name: str | None
    iin_masked: str | None = Field(description="The signer's IIN, all but the last four digits hidden.")
    certificate_serial: str
    certificate_issuer: str


class Document(ResponseModel):
    """A document accepted into the service, with its verdict at submission (the signing-time verdict)."""

    document_id: int
    submitted_at: str
    signature_format: Literal["cms", "xml"]
    title: str
    document_type: str | None
    owner_iin_masked: str
    signers: list[DocumentSigner]
    verdict: Verdict


class Grant(ResponseModel):
    """An Open Access grant (DD-14)."""

    grant_id: int
    document_id: int
    created_at: str
    access: Literal["temporary", "continuous"]
    expires_at: str | None
    revoked_at: str | None
    state: Literal["active", "expired", "revoked"]


class NewGrant(Grant):
    """A new grant: its URL (the token is shown only here) and the URL as a QR code."""

    url: str = Field(description="Opens the document for whoever holds it, without an account.")
    qr_png: str = Field(description="The URL as a QR code, PNG image, base64.")
    qr_svg: str = Field(description="The URL as a QR code, SVG document.")


class DocumentView(ResponseModel):
    grant_id: int
    at: str
    outcome: Literal["shown", "expired", "revoked"]
    current_indication: str | None = Field(description="The verdict at the view (shown views).")


class OwnDocument(Document):
    grants: list[Grant]
    views: list[DocumentView] = Field(description="Every opening of a grant's URL, shown or refused.")


class OwnDocuments(ResponseModel):
    iin_masked: str
    as_of: str
    documents: list[OwnDocument]
