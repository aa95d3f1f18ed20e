"""Models of the operations endpoints: readiness (``/readyz``) and NCANode's Spring Boot actuator."""

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


class ActuatorHealth(ResponseModel):
    """Spring Boot's health answer as NCANode serves it: UP (200), else DOWN or OUT_OF_SERVICE (503)."""

    status: Literal["UP", "DOWN", "OUT_OF_SERVICE"]


class ActuatorLink(ResponseModel):
    href: str
    templated: bool


class ActuatorLinks(ResponseModel):
    """Spring Boot's actuator root (HAL): the endpoints it serves."""

    links: dict[Literal["self", "health", "health-path"], ActuatorLink] = Field(alias="_links")
