"""Operational signals of the REAL server: ``kzpki serve`` (gunicorn, 2 workers) as a subprocess.

- ``/metrics`` merges the counters of every worker (prometheus_client's multi-process mode), in a private
  metrics directory that is gone once the server stopped.
- Its log (stderr, not a terminal) is JSON, one object per line, from gunicorn and the app alike; one access
  line per request with method, path (no query string), status, duration_ms and the request id that the
  response echoes in X-Request-ID; no full IIN anywhere, wherever the client put one.
"""

from __future__ import annotations

import json
import re
import stat
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import RunningServer, free_port, running_server, server_env

TOKEN = "e2e-metrics-token"
IIN = "870412300415"  # an IIN-shaped number the client puts in a path, a query and a header
WORKERS = 2
REQUESTS = 24


@dataclass
class Served:
    running: RunningServer
    temporary: Path  # the server's TMPDIR


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("observe-home")
    temporary = home / "tmp"
    temporary.mkdir()
    port = free_port()
    env = server_env(home, port, KZPKI_METRICS_TOKEN=TOKEN, TMPDIR=str(temporary))
    with running_server(env, port, workers=WORKERS) as running:
        yield Served(running, temporary)
    assert not list(temporary.glob("kzpki-metrics-*")), "the metrics directory outlived the server"
    assert "Traceback" not in running.output, running.output
    lines = _log_lines(running.output)  # every line of the whole run, shutdown included, is JSON
    assert {"gunicorn.error", "gunicorn.access", "api.commands.serve"} <= {line["logger"] for line in lines}
    assert IIN not in running.output


def _log_lines(output: str) -> list[dict]:
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line), line
    return lines


def _get(
    server: RunningServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(server.base_url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _access_line(server: RunningServer, request_id: str) -> dict:
    """The access line of the request ``request_id`` (gunicorn writes it once the response is sent)."""
    deadline = time.monotonic() + 10
    while True:
        found = [
            line for line in _log_lines(server.read_log())
            if line["logger"] == "gunicorn.access" and line.get("request_id") == request_id
        ]  # fmt: skip
        if found or time.monotonic() > deadline:
            assert len(found) == 1, found
            return found[0]
        time.sleep(0.1)


def _metrics(server: RunningServer) -> str:
    request = urllib.request.Request(
        server.base_url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


def _ocsp_errors(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "kzpki_ocsp_requests_total" and sample.labels == {
                "cache": "error",
                "source": "http",
            }:
                return sample.value
    return 0.0


def test_metrics_merge_every_workers_counters(served: Served) -> None:
    """Requests land on whichever worker accepts them; every scrape, whichever worker answers it, counts all
    of them (a worker's own in-memory counters would show only its share)."""
    (directory,) = served.temporary.glob("kzpki-metrics-*")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    before = _ocsp_errors(_metrics(served.running))
    for _ in range(REQUESTS):
        status, _ = served.running.post_bytes("/ocsp/", b"not DER", "application/ocsp-request")
        assert status == 400
    scrapes = {_ocsp_errors(_metrics(served.running)) - before for _ in range(2 * WORKERS)}
    assert scrapes == {REQUESTS}
    assert list(directory.glob("counter_*.db")), "no per-worker metric files"


def test_pd_one_json_access_line_per_request_with_the_echoed_request_id(served: Served) -> None:
    status, headers = _get(served.running, f"/healthz?iin={IIN}", {"X-Request-ID": "trace-7.a:b_c"})
    assert status == 200 and headers["X-Request-ID"] == "trace-7.a:b_c"
    line = _access_line(served.running, "trace-7.a:b_c")
    assert (line["method"], line["path"], line["status"], line["level"]) == ("GET", "/healthz", 200, "info")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"] == "GET /healthz 200" and "iin" not in json.dumps(line)


def test_pd_request_ids_are_generated_when_absent_or_unsafe(served: Served) -> None:
    for given in (None, f"id-{IIN}", "a b", "x" * 200):
        status, headers = _get(served.running, "/healthz", {} if given is None else {"X-Request-ID": given})
        assert status == 200
        generated = headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated) and generated != given
        assert _access_line(served.running, generated)["path"] == "/healthz"


def test_pd_an_iin_in_the_path_is_masked_in_the_access_line(served: Served) -> None:
    status, headers = _get(served.running, f"/api/v1/register/nca/{IIN}")
    assert status == 404
    line = _access_line(served.running, headers["X-Request-ID"])
    assert line["path"] == "/api/v1/register/nca/********0415" and line["status"] == 404
