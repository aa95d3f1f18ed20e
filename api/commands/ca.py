"""`kzpki ca init` (create or load the CA hierarchy) and `kzpki fixtures` (the test-scenario generator)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from cryptography.hazmat.primitives import hashes
from sqlalchemy.orm import Session, sessionmaker

from api.clock import system_clock
from api.commands.options import parse_time
from api.config import Settings, load_settings
from api.database import dispose, open_database
from ca_sim import fixtures as fixtures_generator
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.hierarchy import CA_IDS, Hierarchy, load_or_create_hierarchy
from ca_sim.issuance import Issuer
from ca_sim.registry import RevocationRegistry
from pki import keys
from pki.calendar import add_years
from pki.errors import KzPkiError

# A hierarchy the fixtures command creates starts this long before the fixtures time, so that the
# back-dated scenarios (issued up to 2 years before) still fall inside their CA's validity.
FIXTURES_CA_BACKDATE_YEARS = 3


def register(cli: click.Group) -> None:
    """Add ``ca`` and ``fixtures`` to ``cli``."""
    cli.add_command(ca)
    cli.add_command(fixtures)


@click.group()
def ca() -> None:
    """The simulated CAs (root, gov, nca) of the data directory (KZPKI_HOME)."""


@ca.command("init")
@click.option(
    "--key-algorithm",
    type=click.Choice(["rsa", "ecdsa", "gost"]),
    default=None,
    help="Algorithm of a NEW hierarchy (default: KZPKI_KEY_ALGORITHM, else rsa). Ignored when one exists.",
)
@click.option(
    "--rsa-key-size",
    type=click.Choice(["2048", "4096"]),
    default="2048",
    show_default=True,
    help="RSA CA key size of a new RSA hierarchy.",
)
def init(key_algorithm: str | None, rsa_key_size: str) -> None:
    """Create the CA hierarchy (or load the existing one) and write the CA certificates to KZPKI_HOME/ca/."""
    settings = load_settings()
    sm = open_database(settings.database_url)
    try:
        hierarchy = _load_hierarchy(
            settings, sm, system_clock(), key_algorithm or settings.key_algorithm, int(rsa_key_size)
        )
        directory = settings.home / "ca"
        directory.mkdir(parents=True, exist_ok=True)
        for ca_id in CA_IDS:
            certificate = hierarchy.get(ca_id).certificate
            path = directory / f"{ca_id}.pem"
            path.write_bytes(keys.certificate_pem(certificate))
            fingerprint = certificate.fingerprint(hashes.SHA256()).hex(":").upper()
            validity = (
                f"{certificate.not_valid_before_utc:%Y-%m-%d} to {certificate.not_valid_after_utc:%Y-%m-%d}"
            )
            click.echo(f"{ca_id:5} {path}  SHA-256 {fingerprint}  valid {validity}")
    finally:
        dispose(sm)


@click.command("fixtures")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output directory.",
)
@click.option(
    "--at",
    "at_text",
    default=None,
    help="Fixtures time, ISO 8601 (e.g. 2026-03-02T08:00:00Z; no zone = UTC). Default: now.",
)
def fixtures(out_dir: Path, at_text: str | None) -> None:
    """Issue the named test scenarios with the data directory's CAs into OUT, with OUT/manifest.json.

    Creates the hierarchy (valid from 3 years before --at) when the data directory has none. Revoked and
    on-hold scenarios are recorded in the data directory's revocation registry.
    """
    at = parse_time(at_text, "--at") if at_text else system_clock()
    settings = load_settings()
    sm = open_database(settings.database_url)
    try:
        hierarchy = _load_hierarchy(
            settings, sm, add_years(at, -FIXTURES_CA_BACKDATE_YEARS), settings.key_algorithm, 2048
        )
        audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
        issuer = Issuer(hierarchy, sm, audit)
        manifest = fixtures_generator.generate_fixtures(
            out_dir, at, hierarchy, issuer, RevocationRegistry(sm, audit)
        )
    except KzPkiError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None
    finally:
        dispose(sm)
    click.echo(
        f"{len(manifest['scenarios'])} scenarios at {manifest['generated_at']} in {out_dir}/manifest.json"
    )


def _load_hierarchy(
    settings: Settings, sm: sessionmaker[Session], at: dt.datetime, key_algorithm: str, rsa_key_size: int
) -> Hierarchy:
    try:
        return load_or_create_hierarchy(
            sm, settings.ca_passphrase, settings.public_base_url, at, key_algorithm, rsa_key_size=rsa_key_size
        )
    except KzPkiError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None
