"""Operational signals of the REAL server: ``kzpki serve`` (gunicorn, 2 workers) as a subprocess.

- ``/metrics`` merges the counters of every worker (prometheus_client's multi-process mode), in a private
  metrics directory that is gone once the server stopped.
"""

from __future__ import annotations

import stat
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import RunningServer, free_port, running_server, server_env

TOKEN = "e2e-metrics-token"
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
