"""`kzpki operators`, `kzpki audit`, `kzpki crl` and `kzpki registry`: the CA operators' side on the host.

These commands act on the data directory (KZPKI_HOME) directly, as its administrator; each change is
recorded in the audit log with the actor ``cli:<login name>``. The HTTP API (operator tokens) is the
primary way to revoke; the revoke/hold/release commands here serve the host administrator.
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
import segno
from sqlalchemy.orm import Session, sessionmaker

from api.clock import system_clock
from api.commands.options import parse_time
from api.config import Settings, load_settings
from api.database import dispose, open_database
from ca_sim.audit import AuditLog, Outcome, derive_head_key
from ca_sim.certstore import serial_from_hex
from ca_sim.crl import CrlPublisher
from ca_sim.grounds import Ground
from ca_sim.hierarchy import CA_IDS, Hierarchy, load_or_create_hierarchy
from ca_sim.keystore import KeyStore
from ca_sim.operator_credentials import IssuedCredential, OperatorCredentials
from ca_sim.operator_tokens import MAX_TOKEN_LIFETIME
from ca_sim.operators import OperatorDirectory, Role
from ca_sim.registry import RevocationRegistry
from ca_sim.retention import RegisterArchive
from pki.calendar import iso_time, kz_date
from pki.errors import KzPkiError
from unis.records import LoginRecords


def register(cli: click.Group) -> None:
    """Add ``operators``, ``audit``, ``crl``, ``registry`` and ``retention`` to ``cli``."""
    for group in (operators, audit, crl, registry, retention):
        cli.add_command(group)


@dataclass
class _Context:
    settings: Settings
    sm: sessionmaker[Session]
    audit: AuditLog
    actor: str


@contextmanager
def _opened() -> Iterator[_Context]:
    """The data directory's database and audit log; domain errors become a one-line message and exit 1."""
    settings = load_settings()
    sm = open_database(settings.database_url)
    try:
        yield _Context(settings, sm, AuditLog(sm, derive_head_key(settings.ca_passphrase)), _actor())
    except KzPkiError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None
    finally:
        dispose(sm)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (e.g. a container user without a passwd entry)
        return "cli"


def _hierarchy(context: _Context, at: dt.datetime) -> Hierarchy:
    settings = context.settings
    return load_or_create_hierarchy(
        context.sm, settings.ca_passphrase, settings.public_base_url, at, settings.key_algorithm
    )


# --- operators -------------------------------------------------------------------------------------


@click.group()
def operators() -> None:
    """Operator accounts of the CAs (roles: operator, security_officer, auditor; tester in test mode only)."""


def _directory(context: _Context) -> OperatorDirectory:
    return OperatorDirectory(
        context.sm,
        context.audit,
        test_mode=context.settings.test_pki,
        token_lifetime=dt.timedelta(days=context.settings.operator_token_days),
    )


_DAYS = click.option(
    "--days",
    type=click.IntRange(1, MAX_TOKEN_LIFETIME.days),
    default=None,
    help="Lifetime of the token in days [default: KZPKI_OPERATOR_TOKEN_DAYS, else 90].",
)


_QR = click.option(
    "--qr/--no-qr",
    default=True,
    show_default=True,
    help="Print the TOTP secret as a QR code in the terminal too.",
)


def _lifetime(days: int | None) -> dt.timedelta | None:
    return None if days is None else dt.timedelta(days=days)


@operators.command("add")
@click.option("--name", required=True, help="Login name (2-64 letters, digits, '._@-').")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="The role.")
@click.option(
    "--ca", "ca_ids", multiple=True, type=click.Choice(CA_IDS), help="A CA an operator acts on (repeatable)."
)
@_DAYS
@_QR
def add_operator(name: str, role: str, ca_ids: tuple[str, ...], days: int | None, qr: bool) -> None:
    """Create an operator; print its bearer token (for the API) and its console sign-in: the login name, a
    password and the TOTP secret as an otpauth:// URI (and a QR code for an authenticator app). All are
    shown ONCE; the token and password are stored only hashed, the TOTP secret sealed."""
    now = system_clock()
    with _opened() as context:
        operator, token = _directory(context).add(name, role, ca_ids, now, context.actor, _lifetime(days))
        credential = _credentials(context).issue(operator.name, now, context.actor)
    scope = f" for {', '.join(sorted(operator.ca_ids))}" if operator.ca_ids else ""
    click.echo(f"operator {operator.name} ({operator.role.value}{scope}) created")
    _echo_credential(credential, qr)
    click.echo("its API token (shown once):")
    click.echo(token)  # the last line, for scripts


@operators.command("credentials")
@click.option("--name", required=True, help="The operator whose console password and TOTP secret to replace.")
@_QR
def issue_operator_credentials(name: str, qr: bool) -> None:
    """Give an operator a new console password and TOTP secret (a lost phone, a forgotten password); the old
    ones stop working at once. Shown ONCE. Audited."""
    with _opened() as context:
        credential = _credentials(context).issue(name, system_clock(), context.actor)
    _echo_credential(credential, qr)


def _credentials(context: _Context) -> OperatorCredentials:
    passphrase = context.settings.ca_passphrase
    return OperatorCredentials(
        context.sm, context.audit, KeyStore(context.sm).wrapping_key(passphrase), passphrase
    )


def _echo_credential(credential: IssuedCredential, qr: bool) -> None:
    click.echo(f"console sign-in (shown once): login name {credential.operator}, password:")
    click.echo(credential.password)
    click.echo("TOTP secret for an authenticator app (SHA-1, 6 digits, 30 s):")
    click.echo(credential.totp_uri)
    if qr:
        buffer = io.StringIO()
        segno.make(credential.totp_uri, error="m").terminal(out=buffer, compact=True)
        click.echo(buffer.getvalue(), nl=False)


@operators.command("token")
@click.option("--name", required=True, help="The operator the new token is for.")
@_DAYS
def issue_operator_token(name: str, days: int | None) -> None:
    """Make a further token for an operator (e.g. before the current one expires); shown ONCE."""
    with _opened() as context:
        token = _directory(context).issue_token(name, system_clock(), context.actor, _lifetime(days))
    click.echo(f"a new token for operator {name} (shown once):")
    click.echo(token)


@operators.command("list")
def list_operators() -> None:
    """Every operator token: id, operator, role, scope, created, expires, status. No secret is printed."""
    with _opened() as context:
        tokens = _directory(context).tokens()
    now = system_clock()
    click.echo(f"{'id':>5}  {'operator':24} {'role':16} {'scope':10} {'created':20} {'expires':20} status")
    for info in tokens:
        click.echo(
            f"{info.id:>5}  {info.operator:24} {info.role:16} {','.join(info.ca_ids) or '-':10} "
            f"{iso_time(info.created_at.replace(microsecond=0)):20} "
            f"{iso_time(info.expires_at.replace(microsecond=0)):20} {info.status(now).value}"
        )


@operators.command("revoke")
@click.argument("token_id", type=int)
def revoke_operator_token(token_id: int) -> None:
    """Revoke the token TOKEN_ID (from `kzpki operators list`): refused at its next use. Audited."""
    with _opened() as context:
        info = _directory(context).revoke_token(token_id, system_clock(), context.actor)
    click.echo(f"token {info.id} of operator {info.operator} revoked")


@operators.command("disable")
@click.option("--name", required=True, help="The operator to disable.")
def disable_operator(name: str) -> None:
    """Disable an operator: its token stops working at once."""
    with _opened() as context:
        _directory(context).disable(name, system_clock(), context.actor)
    click.echo(f"operator {name} disabled")


# --- audit -----------------------------------------------------------------------------------------


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
def verify_audit() -> None:
    """Check every entry and the head record; exit 1 naming the first bad entry."""
    with _opened() as context:
        report = context.audit.verify_chain()
    if not report.ok:
        raise click.ClickException(f"audit log broken at entry {report.broken_seq}: {report.problem}")
    click.echo(f"audit log intact: {report.entries} entries")


# --- CRLs ------------------------------------------------------------------------------------------


@click.group()
def crl() -> None:
    """Certificate revocation lists."""


@crl.command("publish")
@click.option("--ca", "ca_ids", multiple=True, type=click.Choice(CA_IDS), help="Only this CA (repeatable).")
def publish_crl(ca_ids: tuple[str, ...]) -> None:
    """Publish a full and a delta CRL now into KZPKI_HOME/crl/ (EDS-18.3: on demand)."""
    now = system_clock()
    with _opened() as context:
        hierarchy = _hierarchy(context, now)
        registry = RevocationRegistry(context.sm, context.audit)
        directory = context.settings.home / "crl"
        publisher = CrlPublisher(hierarchy.authorities, registry, directory, audit=context.audit)
        published = publisher.publish(now, ca_ids or None, requested_by=context.actor)
    for issued in published:
        record = issued.record
        click.echo(
            f"{record.ca_id:4} {record.kind.value:5} #{record.crl_number:<5} {record.entries:>8} entries  "
            f"next update {record.next_update:%Y-%m-%d %H:%M:%SZ}  {directory}"
        )


# --- the register ----------------------------------------------------------------------------------


@click.group()
def registry() -> None:
    """The revocation register (EDS-16, EDS-18)."""


@registry.command("archive")
@click.option(
    "--before",
    "before_text",
    required=True,
    help="Archive revocations older than this (a date: its start in Kazakhstan).",
)
@click.option("--apply", "apply_", is_flag=True, help="Move them (default: only print what would move).")
def archive(before_text: str, apply_: bool) -> None:
    """Move revocations older than --before out of the live register (EDS-16: at least 5 years old).

    Dry run by default. Archived certificates stay revoked for OCSP and leave the CRLs.
    """
    before = parse_time(before_text, "--before")
    with _opened() as context:
        report = RegisterArchive(context.sm, context.audit).archive(
            before, system_clock(), context.actor, dry_run=not apply_
        )
    for item in report.items:
        click.echo(
            f"{item.ca_id:4} {item.serial:40} {item.reason:22} revoked {kz_date(item.revocation_time)}"
        )
    verb = "would move" if report.dry_run else "moved"
    hint = " (dry run: add --apply to move them)" if report.dry_run and report.items else ""
    click.echo(f"{verb} {len(report.items)} revocation entries older than {before.isoformat()}{hint}")


_SERIAL = click.option("--serial", required=True, help="Certificate serial, hex.")
_CA = click.option("--ca", "ca_id", required=True, type=click.Choice(CA_IDS), help="The issuing CA.")
_DOCUMENT = click.option("--document", required=True, help="The supporting document (EDS-18).")
_REQUESTED_BY = click.option("--requested-by", required=True, help="Who asked for it.")


@registry.command("revoke")
@_CA
@_SERIAL
@click.option("--ground", required=True, type=click.Choice([g.value for g in Ground if g is not Ground.HOLD]))
@_DOCUMENT
@_REQUESTED_BY
@click.option("--invalidity-date", default=None, help="When the key became invalid (ISO 8601).")
def revoke(
    ca_id: str, serial: str, ground: str, document: str, requested_by: str, invalidity_date: str | None
) -> None:
    """Revoke a certificate on an EDS-18 ground (or key compromise, EDS-17)."""
    invalid = parse_time(invalidity_date, "--invalidity-date") if invalidity_date else None
    with _opened() as context:
        status = RevocationRegistry(context.sm, context.audit).revoke(
            ca_id,
            serial_from_hex(serial),
            ground,
            system_clock(),
            _by(context, requested_by),
            document,
            invalid,
        )
    click.echo(f"{ca_id} {serial}: revoked ({status.reason.value if status.reason else '-'})")


@registry.command("hold")
@_CA
@_SERIAL
@_DOCUMENT
@_REQUESTED_BY
def hold(ca_id: str, serial: str, document: str, requested_by: str) -> None:
    """Suspend a certificate (certificateHold)."""
    with _opened() as context:
        RevocationRegistry(context.sm, context.audit).hold(
            ca_id, serial_from_hex(serial), system_clock(), _by(context, requested_by), document
        )
    click.echo(f"{ca_id} {serial}: on hold")


@registry.command("release")
@_CA
@_SERIAL
@_DOCUMENT
@_REQUESTED_BY
def release(ca_id: str, serial: str, document: str, requested_by: str) -> None:
    """Lift a hold: the certificate is good again (removeFromCRL in the next delta CRL)."""
    with _opened() as context:
        RevocationRegistry(context.sm, context.audit).release(
            ca_id, serial_from_hex(serial), system_clock(), _by(context, requested_by), document
        )
    click.echo(f"{ca_id} {serial}: released")


def _by(context: _Context, requested_by: str) -> str:
    return f"{context.actor} for {requested_by}"


# --- retention (PD-18) -----------------------------------------------------------------------------


@click.group()
def retention() -> None:
    """Storage terms of personal data (PD-18): destroy or anonymise what is past its term."""


@retention.command("apply")
@click.option("--login-days", type=click.IntRange(min=1), help="Login records' term (default: settings).")
@click.option(
    "--audit-days", type=click.IntRange(min=1), help="Audit subject links' term (default: settings)."
)
@click.option("--apply", "apply_", is_flag=True, help="Do it (default: only print what would be done).")
def retention_apply(login_days: int | None, audit_days: int | None, apply_: bool) -> None:
    """Destroy login records and unlink audit entries from their subjects once past their term.

    Never touches the certificate register (EDS-16 keeps revoked certificates five years, `registry
    archive` moves them) nor the audit chain: an anonymised entry keeps its seal, so `audit verify` still
    passes. Dry run by default; either way the run is itself audited.
    """
    with _opened() as context:
        now = system_clock()
        settings = context.settings
        login_term = dt.timedelta(days=login_days or settings.login_record_retention_days)
        audit_term = dt.timedelta(days=audit_days or settings.audit_subject_retention_days)
        dry_run = not apply_
        records = LoginRecords(context.sm).destroy_before(now - login_term, dry_run=dry_run)
        unlinked = context.audit.anonymise_before(now - audit_term, dry_run=dry_run)
        details = {
            "dry_run": dry_run,
            "login_records_before": now - login_term,
            "login_records": records,
            "audit_entries_before": now - audit_term,
            "audit_entries": unlinked,
        }
        context.audit.record(context.actor, "retention_apply", "personal_data", Outcome.SUCCESS, details, now)
    verb = "would destroy" if dry_run else "destroyed"
    click.echo(f"{verb} {records} login records older than {login_term.days} days")
    verb = "would anonymise" if dry_run else "anonymised"
    click.echo(f"{verb} {unlinked} audit entries about owners older than {audit_term.days} days")
    if dry_run and (records or unlinked):
        click.echo("(dry run: add --apply to do it)")
