"""Configuration: the one place that reads the environment. Everything else receives a :class:`Settings`.

Environment variables (all optional):

- ``KZPKI_HOME``: data directory (default ``./.kzpki``, created 0700), holds the SQLite database (0600),
  published CRLs and, in development only, the generated CA passphrase file (0600).
- ``KZPKI_DATABASE_URL``: a SQLAlchemy URL (default ``sqlite:///$KZPKI_HOME/kzpki.db``);
  ``postgresql+psycopg://...`` in production.
- ``KZPKI_CA_PASSPHRASE``: the passphrase that encrypts the CA private keys at rest (EDS-21). When
  unset, a random one is generated once into ``$KZPKI_HOME/ca-passphrase`` (mode 0600), never
  into the database.
- ``KZPKI_PUBLIC_URL``: the base URL written into certificates (AIA, CRL DP); default: for ``kzpki serve``
  the address it serves (:func:`served_url`), for other commands ``http://127.0.0.1:8080``.
- ``KZPKI_CRL_PUBLISH_INTERVAL``: seconds between the periodic CRL publisher's passes (default 60); one
  publisher runs across all instances sharing the database (``ca_sim.leases``).
- ``KZPKI_KEY_ALGORITHM``: ``rsa`` (default), ``ecdsa`` or ``gost`` for a new CA hierarchy.
- ``KZPKI_TEST_PKI``: ``1`` accepts the NCA's test identities with a warning.
- ``KZPKI_EXTRA_ANCHORS``: more trust anchors (PEM/DER files, separated by ``os.pathsep``).
- ``KZPKI_OPERATOR_TOKEN_DAYS``: lifetime of a new operator token in days (default 90, at most 366).
- ``KZPKI_BIOMETRIC_CERTS``: the biometric service certificates trusted for notaries' attestations
  (UNIS-2025-bio; PEM/DER files separated by ``os.pathsep``). Default: ``$KZPKI_HOME/biometric/*.pem``.
- ``KZPKI_LOG_FORMAT``: ``json`` (one JSON object per line), ``text``, or ``auto`` (default: text when stderr
  is a terminal, JSON otherwise); :func:`log_format`.
- ``KZPKI_METRICS_TOKEN``: the bearer token a Prometheus scraper sends to ``GET /metrics``; unset, the
  metrics endpoint is off (404 ``metrics_disabled``).
- ``KZPKI_STATE_ORGANISATION_BINS``: BINs (comma-separated) of the state organisations whose legal-entity
  certificates may sign documents (DD-8); civil servants of the state-bodies CA need no entry.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path

from storage.private_files import PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE

PASSPHRASE_FILE = "ca-passphrase"  # noqa: S105 - the file name of the development CA passphrase

LOG_FORMAT_VARIABLE = "KZPKI_LOG_FORMAT"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. Construct with :func:`load_settings` or directly in tests."""

    home: Path
    database_url: str
    ca_passphrase: bytes = field(repr=False)
    public_base_url: str = "http://127.0.0.1:8080"
    public_url_configured: bool = True  # False: KZPKI_PUBLIC_URL unset, public_base_url is the default
    key_algorithm: str = "rsa"
    test_pki: bool = False
    max_body_bytes: int = 1024 * 1024
    extra_anchor_paths: tuple[Path, ...] = ()
    biometric_certificate_paths: tuple[Path, ...] = ()
    crl_publish_interval_seconds: int = 60
    # PD-18: storage terms in days (see the README's retention table); `kzpki retention apply` enforces them
    login_record_retention_days: int = 3 * 365
    audit_subject_retention_days: int = 5 * 365
    metrics_token: str | None = field(default=None, repr=False)  # None: GET /metrics is off
    metrics_multiprocess: bool = False  # True under `kzpki serve`: workers' metrics merged from files
    state_organisation_bins: frozenset[str] = frozenset()  # DD-8: authorised state organisations
    operator_token_days: int = 90  # lifetime of a new operator token (ca_sim.operator_tokens)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``environ`` (default ``os.environ``), creating ``home`` (mode 0700) if
    needed. An existing ``home`` keeps its mode (``kzpki serve`` refuses a loose one: api.data_directory)."""
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("KZPKI_HOME", ".kzpki")).resolve()
    home.mkdir(mode=PRIVATE_DIRECTORY_MODE, parents=True, exist_ok=True)
    database_url = env.get("KZPKI_DATABASE_URL") or f"sqlite:///{home / 'kzpki.db'}"
    passphrase = env.get("KZPKI_CA_PASSPHRASE")
    anchors = tuple(Path(p) for p in env.get("KZPKI_EXTRA_ANCHORS", "").split(os.pathsep) if p)
    biometric = tuple(Path(p) for p in env.get("KZPKI_BIOMETRIC_CERTS", "").split(os.pathsep) if p)
    if not biometric:
        biometric = tuple(sorted((home / "biometric").glob("*.pem")))
    return Settings(
        home=home,
        database_url=database_url,
        ca_passphrase=passphrase.encode() if passphrase else _development_passphrase(home),
        public_base_url=env.get("KZPKI_PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/"),
        public_url_configured=bool(env.get("KZPKI_PUBLIC_URL")),
        key_algorithm=env.get("KZPKI_KEY_ALGORITHM", "rsa"),
        test_pki=env.get("KZPKI_TEST_PKI", "") == "1",
        extra_anchor_paths=anchors,
        biometric_certificate_paths=biometric,
        crl_publish_interval_seconds=_whole(env, "KZPKI_CRL_PUBLISH_INTERVAL", 60, "seconds"),
        login_record_retention_days=_whole(env, "KZPKI_RETENTION_LOGIN_DAYS", 3 * 365, "days"),
        audit_subject_retention_days=_whole(env, "KZPKI_RETENTION_AUDIT_DAYS", 5 * 365, "days"),
        metrics_token=env.get("KZPKI_METRICS_TOKEN") or None,
        state_organisation_bins=_bins(env, "KZPKI_STATE_ORGANISATION_BINS"),
        operator_token_days=_whole(env, "KZPKI_OPERATOR_TOKEN_DAYS", 90, "days"),
    )


def log_format(environ: dict[str, str] | None = None) -> str:
    """``KZPKI_LOG_FORMAT`` from ``environ`` (default ``os.environ``): ``auto`` when unset. Read on its own,
    before anything else is configured, by every process that logs."""
    env = os.environ if environ is None else environ
    return env.get(LOG_FORMAT_VARIABLE, "").strip() or "auto"


def served_url(host: str, port: int) -> str:
    """The base URL of a server listening on ``host``:``port``; a wildcard address names this machine."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - naming the wildcard, not binding to it
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _whole(env: dict[str, str], name: str, default: int, unit: str) -> int:
    """A whole number (1 or more) of ``unit`` from ``env[name]``; ValueError naming the variable otherwise."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number of {unit} (1 or more), not {text!r}")
    return int(text)


def _bins(env: dict[str, str], name: str) -> frozenset[str]:
    """Comma-separated 12-digit BINs from ``env[name]``. Raises ValueError naming the variable otherwise."""
    values = frozenset(v.strip() for v in env.get(name, "").split(",") if v.strip())
    wrong = sorted(v for v in values if not (len(v) == 12 and v.isdigit()))
    if wrong:
        raise ValueError(f"{name} must list 12-digit BINs separated by commas, not {wrong[0]!r}")
    return values


def _development_passphrase(home: Path) -> bytes:
    """A random passphrase kept in a 0600 file beside (never inside) the database."""
    path = home / PASSPHRASE_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()
