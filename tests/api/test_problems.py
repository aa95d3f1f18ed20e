"""The one error mapping: domain errors to their status, anything unexpected to a generic 500 without a
stack trace; logs never hold a full IIN or a bearer token."""

from __future__ import annotations

import logging

import pytest

from api.app import create_app
from api.logs import ScrubbingFilter, scrub
from pki.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Refused,
    Unauthenticated,
    UnsupportedAlgorithm,
)
from tests.api.support import assert_problem


@pytest.fixture(scope="module")
def failing_client(api_settings, services):
    app = create_app(api_settings, services=services)
    errors = {
        "invalid": InvalidInput("bad_thing", "fix the thing", field="thing"),
        "unauthenticated": Unauthenticated("missing_token", "log in"),
        "forbidden": Forbidden("role_forbidden", "not you"),
        "missing": NotFound("unknown_x", "no x"),
        "conflict": Conflict("already_revoked", "it is revoked"),
        "refused": Refused("under_age", "too young"),
        "unsupported": UnsupportedAlgorithm("unsupported_algorithm", "GOST 1994"),
    }

    def raise_named(name: str):
        if name == "crash":
            raise RuntimeError("secret internals: IIN 800101300001 at /srv/db")
        raise errors[name]

    app.add_url_rule("/test/raise/<name>", view_func=raise_named)
    return app.test_client()


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("invalid", 400, "bad_thing"),
        ("unauthenticated", 401, "missing_token"),
        ("forbidden", 403, "role_forbidden"),
        ("missing", 404, "unknown_x"),
        ("conflict", 409, "already_revoked"),
        ("refused", 422, "under_age"),
        ("unsupported", 422, "unsupported_algorithm"),
    ],
)
def test_domain_errors_map_to_their_status(failing_client, name, status, code):
    body = assert_problem(failing_client.get(f"/test/raise/{name}"), status, code)
    assert body["type"] == f"urn:kzpki:problem:{code}"
    if name == "invalid":
        assert body["field"] == "thing"


def test_unexpected_error_is_a_generic_500_and_logged_scrubbed(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="api.problems"):
        response = failing_client.get("/test/raise/crash")
    body = assert_problem(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True) and "RuntimeError" not in body["detail"]
    record = caplog.records[-1]
    ScrubbingFilter().filter(record)
    assert "800101300001" not in record.getMessage() + (record.exc_text or "")
    assert "********0001" in record.exc_text


def test_scrub_masks_iins_and_bearer_tokens():
    text = scrub("login IIN800101300001 by 800101300001 with Authorization: Bearer abc.DEF-123 serial 1a2b")
    assert "800101300001" not in text and text.count("********0001") == 2
    assert "abc.DEF-123" not in text and "serial 1a2b" in text
