"""The owner's proof of possession: a fresh challenge signed with their own key, checked exactly as a login
(PD-24 subject access, DD-9 consent to share a document)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from api.models.fields import PemOrBase64, Text
from api.models.limits import MAX_DOCUMENT_CHARS
from api.models.unis import exactly_one_signature
from api.operations import RequestModel


class SignedChallenge(RequestModel):
    """A challenge (``POST /api/v1/unis/challenges``) signed by the owner: one of ``cms`` or ``xml``."""

    challenge_id: Annotated[str, Text(200)]
    cms: Annotated[bytes, PemOrBase64(MAX_DOCUMENT_CHARS)] | None = Field(
        default=None, description="CMS SignedData over the nonce, attached or detached: base64 DER or PEM."
    )
    xml: Annotated[str, Text(MAX_DOCUMENT_CHARS, multiline=True)] | None = Field(
        default=None, description="Enveloped XMLDSig of xml_to_sign."
    )

    @model_validator(mode="after")
    def _one_signature(self) -> Self:
        exactly_one_signature(self.cms, self.xml)
        return self
