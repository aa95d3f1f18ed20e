"""Serializers for the DER bodies the OpenAPI document declares as binary (``application/ocsp-request``,
``application/timestamp-query``): the independent fuzzer sends the octets it generated, as a client would.

Loaded by the fuzzer's command line through ``SCHEMATHESIS_HOOKS`` (:mod:`tests.api.test_openapi_fuzz`)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.transport.serialization import Binary


@schemathesis.serializer("application/ocsp-request", "application/timestamp-query")
def der_body(context: schemathesis.SerializationContext, value: Any) -> dict[str, Any]:
    """The generated octets as the request body (a string, when one was generated, as UTF-8)."""
    if isinstance(value, Binary):
        return {"data": value.data}
    if isinstance(value, bytes):
        return {"data": value}
    return {"data": str(value).encode("utf-8", "surrogatepass")}
