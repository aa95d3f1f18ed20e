"""Structured logs (api.observability.structured): JSON lines or readable text, request ids, IINs masked.

The real server's lines (gunicorn's and the app's) are checked in ``test_observability_server.py``; here the
pieces, in this process and in a subprocess that configures logging as ``kzpki serve`` does.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys

import pytest
from flask import Flask

from api.logs import ScrubbingFilter
from api.observability.structured import (
    JsonFormatter,
    RequestIdFilter,
    TextFormatter,
    install_request_ids,
    request_id_from,
    resolve_format,
)
from tests.servers import ROOT

IIN = "870412300415"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_is_text_on_a_terminal_and_json_otherwise():
    assert resolve_format("auto", _Terminal()) == "text"
    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("json", _Terminal()) == "json" and resolve_format("text", io.StringIO()) == "text"
    with pytest.raises(ValueError, match="log format"):
        resolve_format("xml", io.StringIO())


def test_request_ids_are_echoed_when_plain_and_generated_otherwise(client):
    given = client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert given.headers["X-Request-ID"] == "req-42"
    made = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made) and made != client.get("/healthz").headers["X-Request-ID"]
    assert client.get("/no/such/path").headers["X-Request-ID"]  # routing errors too
    for unsafe in (IIN, "a\nb", "x" * 129, "", "Bearer abc"):
        assert request_id_from(unsafe) != unsafe


@pytest.fixture
def captured() -> tuple[Flask, io.StringIO]:
    """A small app with the request ids, and a handler configured as the service's (JSON, filters)."""
    app = Flask("logs-test")
    install_request_ids(app)
    log = logging.getLogger("kzpki.test.logs")

    @app.get("/work")
    def work() -> str:
        log.warning("looked up IIN %s", IIN)
        try:
            raise ValueError(f"no account for {IIN}")
        except ValueError:
            log.exception("lookup failed")
        return "done"

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(ScrubbingFilter())
    log.addHandler(handler)
    yield app, stream
    log.removeHandler(handler)


def test_pd_app_lines_are_json_with_the_request_id_and_no_full_iin(captured):
    app, stream = captured
    response = app.test_client().get("/work", headers={"X-Request-ID": "abc-1"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["looked up IIN ********0415", "lookup failed"]
    assert {line["request_id"] for line in lines} == {"abc-1"}
    assert [line["level"] for line in lines] == ["warning", "error"]
    assert "ValueError: no account for ********0415" in lines[1]["exception"]
    assert IIN not in stream.getvalue()


def test_text_lines_carry_the_same_fields():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "GET /healthz 200", None, None)
    record.__dict__.update(request_id="r1", method="GET", path="/healthz", status=200, duration_ms=1.5)
    line = TextFormatter().format(record)
    assert line.endswith(" INFO gunicorn.access GET /healthz 200 request_id=r1 method=GET path=/healthz "
                         "status=200 duration_ms=1.5")  # fmt: skip


_CONFIGURED = """
import logging, warnings
from api.observability.structured import configure_logging
print(configure_logging({fmt!r}))
logging.getLogger("kzpki.test").info("account %s", "{iin}")
logging.getLogger("gunicorn.error").info("Booting worker")
warnings.warn("something odd")
"""


def test_pd_a_configured_process_logs_json_lines_with_warnings_and_iins_masked():
    result = subprocess.run(
        [sys.executable, "-c", _CONFIGURED.format(fmt=None, iin=IIN)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "json"  # stderr is a pipe: auto means JSON
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["logger"], line["level"]) for line in lines] == [
        ("kzpki.test", "info"),
        ("gunicorn.error", "info"),
        ("py.warnings", "warning"),
    ]
    assert lines[0]["message"] == "account ********0415" and IIN not in result.stderr
    assert "something odd" in lines[2]["message"]


def test_text_format_on_request():
    result = subprocess.run(
        [sys.executable, "-c", _CONFIGURED.format(fmt="text", iin=IIN)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(r"\S+Z INFO kzpki\.test account \*{8}0415", first), first
