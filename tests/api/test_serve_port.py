"""``kzpki serve``'s listening sockets: one per worker, so a client's keep-alive connections spread over the
workers, and a port something already listens on refused before anything is prepared.

On one shared listening socket the worker that wakes first may take a whole burst of connections (a client's
keep-alive pool, wrk's 8), leaving the other workers idle; with a SO_REUSEPORT socket per worker
(``api.commands.serve.gunicorn_options``) the kernel spreads them. Without the port check a second server
on the same port would then start and share the first one's connections, each answering from its own data
directory: both kinds of listener are refused, a plain one and one that allows sharing the port, as a
running ``kzpki serve``'s workers do.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.servers import free_port, running_server, server_env

CONNECTIONS = 16  # all on one of 2 workers' sockets by chance: 2 x 2^-16


@pytest.fixture(params=["plain", "reuse_port"])
def listener(request: pytest.FixtureRequest) -> Iterator[int]:
    """A socket listening on a free loopback port (with SO_REUSEPORT for ``reuse_port``); its port."""
    with socket.socket() as taken:
        if request.param == "reuse_port":
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def test_serve_refuses_a_port_something_listens_on(listener: int, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"KZPKI_HOME": str(home), "KZPKI_DATABASE_URL": None, "KZPKI_CA_PASSPHRASE": None}
    result = CliRunner(env=env).invoke(cli, ["serve", "--port", str(listener)])
    assert result.exit_code == 1, result.output
    assert f"cannot serve on 127.0.0.1:{listener}: Address already in use" in result.output
    assert "choose another --port" in result.output and "Traceback" not in result.output
    assert not (home / "kzpki.db").exists()  # nothing was prepared


def test_serve_refuses_a_host_that_does_not_resolve(tmp_path: Path) -> None:
    env = {"KZPKI_HOME": str(tmp_path / "home"), "KZPKI_DATABASE_URL": None, "KZPKI_CA_PASSPHRASE": None}
    result = CliRunner(env=env).invoke(cli, ["serve", "--host", "no-such-host.invalid", "--port", "8080"])
    assert result.exit_code == 1, result.output
    assert "cannot serve on no-such-host.invalid:8080" in result.output and "Traceback" not in result.output


def _tcp_sockets(port: int, state: str) -> set[int]:
    """The inodes of the IPv4 sockets on local ``port`` in ``state`` (hex, e.g. ``0A`` LISTEN), Linux."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
            inodes.add(int(fields[9]))
    return inodes


def _socket_inodes(pid: int) -> set[int]:
    """The inodes of the sockets process ``pid`` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def _children(pid: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").glob("[0-9]*") if _parent(p) == pid]


def _parent(process: Path) -> int:
    try:
        text = (process / "stat").read_text()
    except OSError:
        return 0
    return int(text[text.rindex(")") + 2 :].split()[1])


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the sockets from Linux /proc")
def test_keep_alive_connections_spread_over_both_workers(tmp_path: Path) -> None:
    port = free_port()
    with running_server(server_env(tmp_path / "home", port), port, workers=2) as server:
        deadline = time.monotonic() + 30
        while len(_tcp_sockets(port, "0A")) < 2:  # each worker's own listening socket, once it has booted
            assert time.monotonic() < deadline, "the workers did not each listen on the port"
            time.sleep(0.1)
        with ExitStack() as stack:
            for _ in range(CONNECTIONS):  # opened at once, as a client's keep-alive pool is
                client = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10))
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert client.recv(64).startswith(b"HTTP/1.1 200")
            listening, established = _tcp_sockets(port, "0A"), _tcp_sockets(port, "01")
            sockets = [_socket_inodes(child) for child in _children(server.pid)]
            held = [len(own & established) for own in sockets if own & listening]  # the workers'
        assert len(held) == 2 and sum(held) == CONNECTIONS and min(held) >= 1, held
