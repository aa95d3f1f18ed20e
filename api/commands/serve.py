"""`kzpki serve`: the service on gunicorn, with periodic CRL publication (EDS-18.3).

The data directory is ``KZPKI_HOME`` (default ``./.kzpki``), the database SQLite in it unless
``KZPKI_DATABASE_URL`` names another. The CA hierarchy is created on first start, before any worker
forks. Each gunicorn worker builds its own app (no database connection crosses a fork). A separate
publisher process publishes due CRLs every ``KZPKI_CRL_PUBLISH_INTERVAL`` seconds (default 60; a full CRL
at least every 24 hours, a delta after status changes: EDS-18.3) and purges expired login challenges.

Several instances on one database. Each instance starts a publisher, but a pass runs only in the holder of
the ``crl-publisher`` lease (``ca_sim.leases``): each pass first takes or renews it for
:data:`LEASE_INTERVALS` intervals, so across all instances one publisher passes per interval. A stopped
publisher releases the lease (the next instance's publisher takes it on its next pass); a dead one's lapses
after three intervals. CRL numbers stay one increasing sequence either way (``ca_sim.crl_ledger``).

Stopping. The publisher is a plain subprocess (``kzpki serve-publisher``), not a ``multiprocessing``
child: a multiprocessing child started in the master is inherited by every forked worker in
``multiprocessing``'s bookkeeping, and each worker's interpreter exit then tried to terminate and join it
(``AssertionError: can only join a child process`` on every stop, and a restarted worker killed the
publisher). The master stops it on exit (SIGTERM, then waits); SIGTERM/SIGINT end its loop between two
rounds, so a stop prints no traceback and never interrupts a publication half-way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import click
from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID
from gunicorn.app.base import BaseApplication

from api.clock import system_clock
from api.config import LOG_FORMAT_VARIABLE, Settings, load_settings, served_url
from api.data_directory import loose_permissions
from api.database import dispose, open_database
from api.observability.multiprocess import metrics_directory, worker_exited
from api.observability.structured import LOG_FORMATS, AccessLogger, configure_logging, logging_config

# SQLite has one writer at a time and its busy handler sleeps (1, 2, 5 ... 100 ms); threads of one worker
# convoy on the GIL while one of them holds the write lock, so on SQLite each worker runs one thread
# (measured: p99 ~80 ms with 4 threads, ~25 ms with 1, same throughput), and logins of different workers
# take turns on a kernel lock instead of the busy handler (storage.serialised_writes). A client-server
# database overlaps its network round trips with more threads.
SQLITE_THREADS = 1
DEFAULT_THREADS = 4
PUBLISHER_LEASE = "crl-publisher"
LEASE_INTERVALS = 3  # the lease outlives a pass by this many publication intervals (a dead holder's lapses)
PUBLISHER_STOP_SECONDS = 10  # the master waits this long for the publisher to finish its round
CHALLENGE_RETENTION = dt.timedelta(days=1)  # expired challenges kept this long, then purged
_LOG = logging.getLogger(__name__)


def register(cli: click.Group) -> None:
    """Add ``serve`` (and the publisher it starts, ``serve-publisher``) to ``cli``."""
    cli.add_command(serve)
    cli.add_command(serve_publisher)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(1, 64),
    help=f"Threads per worker [default: {SQLITE_THREADS} on SQLite, {DEFAULT_THREADS} on another database].",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log each request.")
@click.option(
    "--log-format",
    type=click.Choice(LOG_FORMATS),
    default=None,
    help=f"Log lines as JSON or text; auto: text on a terminal [default: {LOG_FORMAT_VARIABLE} or auto].",
)
def serve(
    host: str, port: int, workers: int, threads: int | None, access_log: bool, log_format: str | None
) -> None:
    """Run the HTTP API (UNIS logins, CA operations, CRLs, OCSP) on gunicorn."""
    if log_format is not None:
        os.environ[LOG_FORMAT_VARIABLE] = log_format  # the publisher process logs the same way
    try:
        chosen = configure_logging(access_log=access_log)
    except ValueError as exc:  # KZPKI_LOG_FORMAT names no format
        raise click.UsageError(str(exc)) from None
    settings = load_settings()
    _refuse_loose_permissions(settings)
    _refuse_taken_port(host, port)
    if not settings.public_url_configured:
        settings = dataclasses.replace(settings, public_base_url=served_url(host, port))
    settings = dataclasses.replace(settings, metrics_multiprocess=True)
    _prepare(settings)
    if threads is None:
        threads = default_threads(settings.database_url)
    publisher = _PublisherProcess()
    options = {
        **gunicorn_options(host, port, workers, threads, chosen, access_log=access_log),
        "when_ready": publisher.start,
        "on_exit": publisher.stop,
        "child_exit": worker_exited,
    }
    _LOG.info("kzpki serving %s on http://%s:%s/ (%s workers x %s threads)", settings.home, host, port,
              workers, threads)  # fmt: skip
    with metrics_directory():  # prometheus_client's multi-process mode, before any worker forks
        GunicornServer(options, functools.partial(_load_app, settings)).run()


def gunicorn_options(
    host: str, port: int, workers: int, threads: int, log_format: str, *, access_log: bool = True
) -> dict[str, Any]:
    """The gunicorn settings of ``kzpki serve`` that shape every request: bind address, workers x threads of
    the gthread worker, a listening socket per worker, keep-alive 30 s, timeouts, request-line limit and the
    logging (``log_format`` ``json`` or ``text``; the access line per request unless ``access_log`` is
    False). The benchmark's echo app runs on exactly these (``bench/echo_app.py``)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 30,
        # Each worker listens on its own SO_REUSEPORT socket, among which the kernel spreads new connections.
        # On one shared socket the worker that wakes first takes the whole burst of a client's keep-alive
        # pool (measured: all 8 of wrk's connections in one worker, the other idle), so half the workers
        # may serve all traffic. `serve` first checks that nothing listens on the port (_refuse_taken_port).
        "reuse_port": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "limit_request_line": 8190,
        "logconfig_dict": logging_config(log_format, access_log=access_log),  # one handler, app and gunicorn
        "logger_class": AccessLogger,  # the access line from the atoms it needs, not gunicorn's every atom
        "control_socket_disable": True,  # gunicorn >= 23: no shared runtime-control socket in $HOME
    }


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from code with ``options``; each worker calls ``load`` for its own WSGI app."""

    def __init__(self, options: dict[str, Any], load: Callable[[], Any]) -> None:
        self._options = options
        self._load = load
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self._load()


def _load_app(settings: Settings) -> Any:
    from api.app import create_app  # imported in the worker, after the fork (logging as the master's)

    return create_app(settings)


def _refuse_taken_port(host: str, port: int) -> None:
    """Stop (exit 1) when ``host``:``port`` cannot be bound because something listens there, or ``host`` does
    not resolve. The workers bind with SO_REUSEPORT (:func:`gunicorn_options`), which would let a second
    ``kzpki serve`` on the same port share its connections silently, each answering from its own data; the
    probe binds without it, so any listener makes it fail. A port held only by connections in TIME_WAIT
    (a server just stopped) is free (SO_REUSEADDR, as gunicorn binds)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise click.ClickException(
            f"cannot serve on {host}:{port}: {reason}; stop what listens there or choose another --port"
        ) from None


def _refuse_loose_permissions(settings: Settings) -> None:
    """Stop (exit 1, each path named with its fix) when group or others can access the data directory,
    the database or the passphrase file (``api.data_directory``)."""
    loose = loose_permissions(settings)
    if loose:
        lines = "\n  ".join(entry.describe() for entry in loose)
        raise click.ClickException(
            f"refusing to serve: the data directory must be private to this account (EDS-21):\n  {lines}"
        )


def _prepare(settings: Settings) -> None:
    """Create (or check) the CA hierarchy once, in the master, so workers only ever load it.

    Says so (stderr and the log) when the hierarchy's CA certificates point at another base URL than the
    one served: their AIA and CRL distribution point URLs are signed in and cannot follow the server.
    """
    from ca_sim.hierarchy import load_or_create_hierarchy

    sm = open_database(settings.database_url)
    try:
        hierarchy = load_or_create_hierarchy(
            sm, settings.ca_passphrase, settings.public_base_url, system_clock(), settings.key_algorithm
        )
    finally:
        dispose(sm)
    recorded = recorded_public_url(hierarchy.get("nca").certificate)
    if recorded is not None and recorded != settings.public_base_url:
        message = (
            f"the CA hierarchy was created for {recorded} (its CA certificates' AIA and CRL URLs point "
            f"there) but this server's public URL is {settings.public_base_url}: relying parties that "
            f"follow those URLs will not reach it. Serve on that address or set KZPKI_PUBLIC_URL={recorded}"
        )
        _LOG.warning(message)
        click.echo(f"warning: {message}", err=True)


def recorded_public_url(ca_certificate: x509.Certificate) -> str | None:
    """The base URL a CA certificate's AIA caIssuers URL was built on (``<base>/cert/...``), or None."""
    try:
        access = ca_certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for description in access:
        location = description.access_location
        if description.access_method == AuthorityInformationAccessOID.CA_ISSUERS and isinstance(
            location, x509.UniformResourceIdentifier
        ):
            base, found, _ = location.value.rpartition("/cert/")
            if found:
                return base
    return None


def default_threads(database_url: str) -> int:
    """Threads per worker when ``--threads`` is not given: one on SQLite, more on a client-server database."""
    return SQLITE_THREADS if database_url.startswith("sqlite") else DEFAULT_THREADS


class _PublisherProcess:
    """The CRL publisher beside gunicorn: started when the master is ready, stopped when it exits."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, _server: Any) -> None:
        command = [sys.executable, "-m", "api", "serve-publisher", "--parent-pid", str(os.getpid())]
        self._process = subprocess.Popen(command)  # noqa: S603 - our own command, same environment

    def stop(self, _server: Any) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=PUBLISHER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@click.command("serve-publisher", hidden=True)
@click.option("--parent-pid", required=True, type=int, help="Exit when this process (the server) is gone.")
def serve_publisher(parent_pid: int) -> None:
    """The CRL publisher loop of ``kzpki serve`` (started by it; not for direct use)."""
    configure_logging()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    run_publisher(load_settings(), parent_pid, stopping)


def run_publisher(settings: Settings, parent_pid: int, stopping: threading.Event) -> None:
    """Every ``settings.crl_publish_interval_seconds``, while holding the publisher lease: publish due CRLs
    and purge old challenges; until the server (``parent_pid``) is gone or ``stopping`` is set (checked
    every second, never in the middle of a pass). Releases the lease on the way out."""
    from ca_sim.audit import AuditLog, derive_head_key
    from ca_sim.crl import CrlPublisher
    from ca_sim.hierarchy import load_or_create_hierarchy
    from ca_sim.leases import Leases
    from ca_sim.registry import RevocationRegistry
    from unis.challenges import Challenges, derive_challenge_key

    configure_logging()
    sm = open_database(settings.database_url)
    now = system_clock()
    hierarchy = load_or_create_hierarchy(
        sm, settings.ca_passphrase, settings.public_base_url, now, settings.key_algorithm
    )
    registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(settings.ca_passphrase)))
    publisher = CrlPublisher(hierarchy.authorities, registry, settings.home / "crl")
    challenges = Challenges(sm, derive_challenge_key(settings.ca_passphrase))
    leases = Leases(sm)
    holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    interval = settings.crl_publish_interval_seconds
    ttl = dt.timedelta(seconds=LEASE_INTERVALS * interval)
    held: bool | None = None  # unknown until the first pass
    while os.getppid() == parent_pid and not stopping.is_set():
        now = system_clock()
        try:
            was_held, held = held, leases.acquire(PUBLISHER_LEASE, holder, now, ttl) is not None
            if held:
                if not was_held:
                    _LOG.info("CRL publisher took the lease as %s", holder)
            elif was_held is not False:
                change = "is standby" if was_held is None else "lost the lease"
                _LOG.info("CRL publisher %s as %s: %s holds the lease", change, holder,
                          leases.holder(PUBLISHER_LEASE, now))  # fmt: skip
            if held:
                published = publisher.publish_due(now)
                for issued in published:
                    _LOG.info("published %s CRL %s of %s", issued.record.kind.value, issued.record.crl_number,
                              issued.record.ca_id)  # fmt: skip
                challenges.purge(expired_before=now - CHALLENGE_RETENTION)
                _LOG.info("CRL publisher pass as %s: %d CRLs published", holder, len(published))
        except Exception:  # keep publishing after a transient failure (e.g. the database was busy)
            _LOG.exception("CRL publication failed; retrying in %s s", interval)
        for _ in range(interval):
            if os.getppid() != parent_pid or stopping.wait(1):
                break
    if held:
        try:
            leases.release(PUBLISHER_LEASE, holder, system_clock())
        except Exception:  # the database is gone: the lease lapses by itself
            _LOG.exception("could not release the CRL publisher lease; it lapses in %s", ttl)
    dispose(sm)
