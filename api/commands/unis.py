"""`kzpki unis import-accounts` (the UNIS accounts the fixture scenarios need) and `kzpki unis attest`
(a biometric attestation as the biometric service would sign it, UNIS-2025-bio)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import click

from api.clock import system_clock
from api.commands.options import EXISTING_FILE, parse_time
from api.config import load_settings
from api.database import dispose, open_database
from pki.errors import Conflict, InvalidInput
from pki.keys import load_certificate, load_private_key
from unis.accounts import Accounts, AccountStatus, Role
from unis.biometric import mint_attestation

IMPORT_ACTOR = "import-accounts"
# The reason recorded for an account imported in a non-active status.
IMPORT_REASONS = {
    AccountStatus.SUSPENDED: "leave",
    AccountStatus.BLOCKED: "chamber_decision",
    AccountStatus.TERMINATED: "dismissed",
}


def register(cli: click.Group) -> None:
    """Add ``unis`` to ``cli``."""
    cli.add_command(unis)


@click.group()
def unis() -> None:
    """UNIS accounts and login helpers."""


@unis.command("import-accounts")
@click.argument("manifest", type=EXISTING_FILE)
@click.option("--chamber", default="Нотариальная палата г. Алматы (SIM)", show_default=True)
def import_accounts(manifest: Path, chamber: str) -> None:
    """Create the UNIS accounts that MANIFEST's scenarios need, with their statuses (UNIS-4 .. UNIS-6).

    Existing accounts are left as they are; a scenario whose IIN is invalid (its login is refused by the
    verifier anyway) gets no account.
    """
    try:
        scenarios = json.loads(manifest.read_text(encoding="utf-8"))["scenarios"]
    except (ValueError, KeyError, TypeError):
        raise click.ClickException(f"{manifest} is not a fixtures manifest") from None
    settings = load_settings()
    sm = open_database(settings.database_url)
    accounts = Accounts(sm)
    created = existing = skipped = 0
    try:
        for scenario in scenarios:
            wanted: dict[str, Any] | None = scenario.get("account")
            if wanted is None:
                continue
            status = AccountStatus(wanted["status"])
            try:
                accounts.create(
                    iin=scenario["iin"],
                    role=Role(wanted["role"]),
                    chamber=chamber,
                    at=system_clock(),
                    actor=IMPORT_ACTOR,
                    status=status,
                    status_reason=IMPORT_REASONS.get(status),
                    allow_test_identities=settings.test_pki,
                )
                created += 1
            except Conflict:
                existing += 1
            except InvalidInput as exc:
                skipped += 1
                click.echo(f"{scenario['name']}: no account ({exc.code}: {exc.message})")
    finally:
        dispose(sm)
    click.echo(f"{created} accounts created, {existing} already present, {skipped} skipped")


@unis.command("attest")
@click.option("--key", "key_path", type=EXISTING_FILE, required=True,
              help="The biometric service's private key (PEM), e.g. FIXTURES/biometric/key.pem.")  # fmt: skip
@click.option("--cert", "cert_path", type=EXISTING_FILE, required=True,
              help="The biometric service's certificate (PEM or DER).")  # fmt: skip
@click.option("--iin", required=True, help="The person checked.")
@click.option("--challenge-id", required=True, help="The login challenge the check belongs to.")
@click.option("--checked-at", default=None, help="ISO 8601 time of the check (default now).")
@click.option("--result", type=click.Choice(["passed", "failed"]), default="passed", show_default=True)
def attest(
    key_path: Path, cert_path: Path, iin: str, challenge_id: str, checked_at: str | None, result: str
) -> None:
    """Print a base64 biometric attestation (UNIS-2025-bio), the ``biometric`` of a notary's login."""
    at = system_clock() if checked_at is None else parse_time(checked_at, "--checked-at")
    attestation = mint_attestation(
        private_key=load_private_key(key_path.read_bytes()),
        certificate=load_certificate(cert_path.read_bytes()),
        iin=iin,
        challenge_id=challenge_id,
        checked_at=at,
        result=result,
    )
    click.echo(base64.b64encode(attestation).decode("ascii"))
