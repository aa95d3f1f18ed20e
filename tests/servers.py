"""Real ``kzpki`` processes for end-to-end tests: the CLI as a subprocess, and ``kzpki serve`` on a free port.

    env = server_env(home, port)                 # KZPKI_HOME, its database, passphrase, public URL
    kzpki(env, "operators", "add", ...)          # a CLI command; its stdout (fails the test on exit != 0)
    with running_server(env, port, workers=2) as server:
        status, body = server.call("POST", "/api/v1/unis/challenges")
    server.output                                # everything the server printed, after it stopped

The server's output goes to a file in the data directory (a pipe nobody reads could fill and stall it).
On leaving the block the server gets SIGTERM and has 20 s to stop before its process group is killed;
``server.output`` then holds its log, so tests can assert a clean stop.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.databases import database_url

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 60  # first start creates the CA hierarchy (RSA keys) on a shared 2-core machine
STOP_SECONDS = 20


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(home: Path, port: int, *, database: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a ``kzpki`` process on data directory ``home`` serving on ``port``.

    Its database is ``database`` (a URL) when given, else the one ``tests.databases`` names by
    ``home/kzpki.db``: that SQLite file, or in the PostgreSQL half of the run a PostgreSQL database of its
    own (dropped when the test worker finishes).
    """
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KZPKI_HOME": str(home),
        "KZPKI_DATABASE_URL": database or database_url(home / "kzpki.db"),
        "KZPKI_CA_PASSPHRASE": "e2e passphrase",
        "KZPKI_PUBLIC_URL": f"http://127.0.0.1:{port}",
        **extra,
    }


def kzpki(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run ``kzpki ARGS`` with ``env``; its stdout. Fails the test when it exits non-zero."""
    result = subprocess.run(
        [sys.executable, "-m", "api", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class RunningServer:
    """A started ``kzpki serve``: JSON calls against it, and its output once stopped."""

    def __init__(self, base_url: str, env: dict[str, str], log: Path, pid: int) -> None:
        self.base_url, self.env, self._log = base_url, env, log
        self.pid = pid  # gunicorn's master; its workers are its children
        self.output = ""

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None, timeout: float = 30
    ) -> tuple[int, Any]:
        """``method path`` with ``body`` as JSON (and a bearer ``token``): the status and the decoded JSON."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def get_bytes(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        """GET ``path`` (e.g. a CRL): the status and the raw body."""
        return _raw(urllib.request.Request(self.base_url + path), timeout)

    def post_bytes(self, path: str, data: bytes, content_type: str, timeout: float = 30) -> tuple[int, bytes]:
        """POST raw ``data`` (e.g. an OCSP request): the status and the raw body."""
        request = urllib.request.Request(self.base_url + path, data=data, method="POST")
        request.add_header("Content-Type", content_type)
        return _raw(request, timeout)

    def read_log(self) -> str:
        return self._log.read_text(errors="replace") if self._log.exists() else ""


def _raw(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def running_server(
    env: dict[str, str], port: int, *, workers: int = 2, extra_args: Sequence[str] = ()
) -> Iterator[RunningServer]:
    """``kzpki serve --port PORT --workers N EXTRA_ARGS`` with ``env``, ready (``/healthz`` answers) on entry,
    stopped by SIGTERM on exit (killed after :data:`STOP_SECONDS`)."""
    log = Path(env["KZPKI_HOME"]) / f"server-{port}.log"
    log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, as load_settings makes it
    command = [
        sys.executable,
        "-m",
        "api",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        *extra_args,
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = RunningServer(f"http://127.0.0.1:{port}", env, log, process.pid)
    try:
        _wait_ready(server, process)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        server.output = server.read_log()


def _wait_ready(server: RunningServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(server.base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            pytest.fail(f"kzpki serve did not start:\n{server.read_log()}")
        time.sleep(0.1)
