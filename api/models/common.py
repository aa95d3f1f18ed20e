"""Models every area shares: the RFC 9457 problem document and the health answer."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from api.operations import ResponseModel


class Problem(ResponseModel):
    """RFC 9457 problem document: every 4xx and 5xx of the kzpki API."""

    model_config = ConfigDict(extra="allow")  # structured extras (field, max_bytes, allowed, ...)

    type: str = Field(examples=["urn:kzpki:problem:missing_field"])
    title: str
    status: int
    code: str = Field(description="Stable machine code; branch on it.")
    detail: str = Field(description="What went wrong and what to do, for people.")
    instance: str
    field: str | None = Field(default=None, description="The offending field, when one is to blame.")


class Health(ResponseModel):
    status: Literal["ok"]
