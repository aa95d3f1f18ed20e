"""UNIS accounts in the console (issue 14.4; UNIS-4, 5, 5-1, 6, 12): find one by IIN, list them by status,
create one, suspend it on a temporary ground of the 2025 rules (licence suspension, leave, sick leave,
parental leave) with an optional end date, resume, block, unblock (UNIS-12's automatic block once the user
has a new certificate), terminate, each change after the confirmation step; and the login records of an
account, with decision and reasons and the IIN masked.

Accounts need ``manage_unis_accounts`` and login records ``read_audit``, exactly as the API's endpoints;
every read and change goes through ``api.unis_accounts`` and ``api.login_record_reads``, which the API
calls too, so each is audited as the API audits it (the owner as the entry's subject, PD-22). The IIN to
find or create an account is posted, never put in a URL; pages show it masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api import login_record_reads, unis_accounts
from api.auth import services
from api.console import form_fields, guard
from api.console.confirmation import two_step
from api.console.web import blueprint
from ca_sim.operators import Action, refusal_code
from pki.errors import ErrorCode, InvalidInput
from unis.accounts import AccountStatus, BlockReason, Role, SuspensionReason, TerminationReason

PAGE_SIZE = 25
LOGIN_PAGE_SIZE = 50
_MAX_CHAMBER = 200
# Blocks an operator sets by hand; eds_not_reissued is set by a login (UNIS-12), never chosen here.
MANUAL_BLOCK_REASONS = (BlockReason.SUSPECTED_MISUSE, BlockReason.CHAMBER_DECISION)
REASONS: dict[str, tuple[StrEnum, ...]] = {
    "suspend": tuple(SuspensionReason),
    "block": MANUAL_BLOCK_REASONS,
    "terminate": tuple(TerminationReason),
}
CHANGES = ("suspend", "resume", "block", "unblock", "terminate")
# The changes the page offers for the status in force (the domain refuses others: account_status_conflict).
OFFERED = {
    AccountStatus.ACTIVE: ("suspend", "block", "terminate"),
    AccountStatus.SUSPENDED: ("suspend", "resume", "block", "terminate"),
    AccountStatus.BLOCKED: ("unblock", "terminate"),
    AccountStatus.TERMINATED: (),
}


@dataclass(frozen=True)
class NewAccount:
    iin: str
    role: Role
    chamber: str


@dataclass(frozen=True)
class AccountChange:
    """A posted change: its reason (for suspend, block, terminate) and a suspension's end."""

    reason: StrEnum | None
    until: dt.datetime | None
    until_text: str


@blueprint.route("/accounts", methods=["GET"])
def accounts() -> str:
    """The find form and the accounts in id order, optionally of one stored status (keyset pages)."""
    guard.authorize(Action.MANAGE_UNIS_ACCOUNTS)
    status_text = request.args.get("status", "")
    status = form_fields.choice(status_text, tuple(AccountStatus), "status") if status_text else None
    after = form_fields.row_id(request.args.get("after", "0"), "after", minimum=0)
    found = services().accounts.page(status=status, after_id=after, limit=PAGE_SIZE + 1)
    rows, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    return render_template(
        "console/accounts.html",
        rows=rows,
        more=more,
        status=status_text,
        statuses=[s.value for s in AccountStatus],
        at=services().clock(),
    )


@blueprint.route("/accounts/lookup", methods=["POST"])
def lookup_account() -> Response:
    """Find the account of the posted IIN (audited, PD-22) and show it."""
    guard.authorize(Action.MANAGE_UNIS_ACCOUNTS)
    account = unis_accounts.lookup(form_fields.iin(request.form.get("iin", "")))
    return redirect(url_for("console.account", account_id=account.account_id), 303)


@blueprint.route("/accounts/new", methods=["GET", "POST"])
def new_account() -> Response | str:
    """UNIS-4: create an account after the confirmation step."""
    guard.authorize(Action.MANAGE_UNIS_ACCOUNTS)

    def perform(form: NewAccount) -> Response:
        account = unis_accounts.create(form.iin, form.role, form.chamber)
        return redirect(url_for("console.account", account_id=account.account_id, done="create"), 303)

    return two_step("console/account_new.html", _new_account_form, perform, roles=[r.value for r in Role])


@blueprint.route("/accounts/<int:account_id>", methods=["GET"])
def account(account_id: int) -> str:
    """The account (IIN masked), its status in force and history, and the changes its status allows."""
    operator = guard.authorize(Action.MANAGE_UNIS_ACCOUNTS)
    found, history = unis_accounts.read(account_id)
    at = services().clock()
    status = found.status_at(at)
    done = request.args.get("done")
    return render_template(
        "console/account.html",
        account=found,
        status=status,
        history=history,
        offered=OFFERED[status],
        unis12=status is AccountStatus.BLOCKED and found.status_reason == BlockReason.EDS_NOT_REISSUED,
        may_read_logins=refusal_code(operator, Action.READ_AUDIT, None) is None,
        done=done if done in (*CHANGES, "create") else None,
    )


@blueprint.route("/accounts/<int:account_id>/<change>", methods=["GET", "POST"])
def account_change(account_id: int, change: str) -> Response | str:
    """GET: the form; POST ``step=review``: what will happen; POST ``step=confirm``: do it."""
    if change not in CHANGES:
        raise InvalidInput(ErrorCode.INVALID_VALUE, ", ".join(CHANGES), field="change")
    guard.authorize(Action.MANAGE_UNIS_ACCOUNTS)
    found, _ = unis_accounts.read(account_id)  # the page shows whose account it is: a read (PD-22)

    def perform(form: AccountChange) -> Response:
        if change == "suspend":
            unis_accounts.suspend(account_id, SuspensionReason(str(form.reason)), form.until)
        elif change == "resume":
            unis_accounts.resume(account_id)
        elif change == "block":
            unis_accounts.block(account_id, BlockReason(str(form.reason)))
        elif change == "unblock":
            unis_accounts.unblock(account_id)
        else:
            unis_accounts.terminate(account_id, TerminationReason(str(form.reason)))
        return redirect(url_for("console.account", account_id=account_id, done=change), 303)

    return two_step(
        "console/account_change.html",
        lambda: _change_form(change),
        perform,
        account=found,
        status=found.status_at(services().clock()),
        change=change,
        reasons=[r.value for r in REASONS.get(change, ())],
    )


@blueprint.route("/accounts/<int:account_id>/logins", methods=["GET"])
def account_logins(account_id: int) -> str:
    """The account's login records, newest first (keyset pages), for those who may read them (the API's
    ``read_audit``); the read is audited about the account's owner (PD-22)."""
    guard.authorize(Action.READ_AUDIT)
    before = (
        form_fields.row_id(request.args.get("before", ""), "before") if request.args.get("before") else None
    )
    records = login_record_reads.read(account_id=account_id, before_id=before, limit=LOGIN_PAGE_SIZE + 1)
    rows, more = records[:LOGIN_PAGE_SIZE], len(records) > LOGIN_PAGE_SIZE
    return render_template("console/account_logins.html", account_id=account_id, rows=rows, more=more)


def _new_account_form() -> NewAccount:
    chamber = request.form.get("chamber", "").strip()
    if not chamber or len(chamber) > _MAX_CHAMBER:
        raise InvalidInput(ErrorCode.INVALID_CHAMBER, "chamber must be 1-200 characters", field="chamber")
    role = form_fields.choice(request.form.get("role", ""), tuple(Role), "role")
    return NewAccount(form_fields.iin(request.form.get("iin", "")), Role(role), chamber)


def _change_form(change: str) -> AccountChange:
    """The posted reason and end date, checked enough to show back (the domain checks them again)."""
    allowed = REASONS.get(change, ())
    reason = form_fields.choice(request.form.get("reason", ""), allowed, "reason") if allowed else None
    until_text = request.form.get("until", "").strip() if change == "suspend" else ""
    until = form_fields.kz_date_start(until_text, "until") if until_text else None
    if until is not None and until <= services().clock():
        raise InvalidInput(
            ErrorCode.INVALID_SUSPENSION_END, "the suspension end must be in the future", field="until"
        )
    return AccountChange(reason, until, until_text)
