"""Models of the operations endpoints: readiness (``/readyz``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.operations import ResponseModel


class ComponentState(ResponseModel):
    status: Literal["ok"]
    detail: str = Field(description="What was found, for people.")


class Readiness(ResponseModel):
    """Every component usable. A failing one makes the answer a 503 problem document naming it instead."""

    status: Literal["ready"]
    components: dict[Literal["database", "ca_keys", "crls"], ComponentState]
