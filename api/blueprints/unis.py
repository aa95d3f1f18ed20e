"""UNIS: login challenges and decisions (public, called by UNIS), accounts and login records (operators)."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, jsonify

from api import login_record_reads, unis_accounts
from api.auth import requires, services
from api.clock import iso_time
from api.models import unis as m
from api.observability.metrics import count_login, timed_verification
from api.operations import operation
from api.responses import no_store
from ca_sim.operators import Action
from unis.accounts import Account
from unis.login import LoginAttempt, SignatureFormat, xml_login_document

blueprint = Blueprint("unis", __name__, url_prefix="/api/v1/unis")
TAG = "UNIS"


@blueprint.post("/challenges")
@operation(tag=TAG, summary="Create a login challenge", responses={201: m.Challenge})
def create_challenge() -> tuple[Response, int]:
    """UNIS-8/9/10: a fresh one-time challenge (32 random bytes, 5 minutes)."""
    challenge = services().logins.create_challenge(services().clock())
    body = {
        "challenge_id": challenge.challenge_id,
        "nonce": base64.b64encode(challenge.nonce).decode("ascii"),
        "expires_at": iso_time(challenge.expires_at),
        "xml_to_sign": xml_login_document(challenge).decode("utf-8"),
    }
    return no_store(jsonify(body)), 201


@blueprint.post("/logins")
@operation(tag=TAG, summary="Decide a login", body=m.LoginRequest, responses={200: m.LoginDecision})
def log_in(body: m.LoginRequest) -> Response:
    """The verify endpoint UNIS calls: 200 with the decision whenever the signature could be evaluated
    (accepted, or refused with reason codes); 4xx only for malformed requests. The challenge is consumed
    by the attempt."""
    if body.cms is not None:
        signature, signature_format = body.cms, SignatureFormat.CMS
    else:
        assert body.xml is not None
        signature, signature_format = body.xml.encode("utf-8"), SignatureFormat.XML
    attempt = LoginAttempt(body.challenge_id, signature_format, signature, body.biometric)
    with timed_verification("login"):
        decision = services().logins.log_in(attempt, services().clock())
    count_login(decision.decision.value, decision.reasons)
    return no_store(jsonify(decision.to_json()))


# --- accounts (UNIS-4, 5, 5-1, 6, 12) ----------------------------------------------------------------

ACCOUNT = {200: m.Account}
CHANGE = (404, 409)


@blueprint.post("/accounts")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(
    tag=TAG, summary="Create an account", body=m.NewAccount, responses={201: m.Account}, problems=(409,)
)
def create_account(body: m.NewAccount) -> tuple[Response, int]:
    """UNIS-4: an account for an IIN, with a role and a territorial chamber."""
    account = unis_accounts.create(body.iin, body.role, body.chamber)
    return jsonify(account.to_json(services().clock())), 201


@blueprint.get("/accounts")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="List accounts", query=m.AccountQuery, responses={200: m.AccountList})
def list_accounts(query: m.AccountQuery) -> Response:
    """Keyset pagination by account id."""
    status, after, limit = query.status, query.after, query.limit
    ctx = services()
    found = ctx.accounts.page(status=status, after_id=after, limit=limit)
    now = ctx.clock()
    return jsonify(
        {
            "accounts": [a.to_json(now) for a in found],
            "next_after": found[-1].account_id if len(found) == limit else None,
        }
    )


@blueprint.post("/accounts/lookup")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(
    tag=TAG, summary="Find an account by IIN", body=m.IinLookup, responses={200: m.Account}, problems=(404,)
)
def lookup_account(body: m.IinLookup) -> Response:
    """Find an account by IIN (in the body, never in a URL that access logs keep)."""
    return jsonify(unis_accounts.lookup(body.iin).to_json(services().clock()))  # PD-22: audited


@blueprint.get("/accounts/<int:account_id>")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(
    tag=TAG, summary="An account and its history", responses={200: m.AccountDetails}, problems=(400, 404)
)
def get_account(account_id: int) -> Response:
    """Every change with who, when and why."""
    account, history = unis_accounts.read(account_id)  # PD-22: audited
    return jsonify({**account.to_json(services().clock()), "history": [e.to_json() for e in history]})


def _account(account: Account) -> Response:
    return jsonify(account.to_json(services().clock()))


@blueprint.post("/accounts/<int:account_id>/suspension")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="Suspend an account", body=m.Suspension, responses=ACCOUNT, problems=CHANGE)
def suspend_account(account_id: int, body: m.Suspension) -> Response:
    """UNIS-5-1: a temporary block (licence suspension, leave) with an optional end date."""
    return _account(unis_accounts.suspend(account_id, body.reason, body.until))


@blueprint.post("/accounts/<int:account_id>/resumption")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="Resume a suspended account", responses=ACCOUNT, problems=(400, *CHANGE))
def resume_account(account_id: int) -> Response:
    """UNIS-5-1: end a suspension early."""
    return _account(unis_accounts.resume(account_id))


@blueprint.post("/accounts/<int:account_id>/block")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="Block an account", body=m.Block, responses=ACCOUNT, problems=CHANGE)
def block_account(account_id: int, body: m.Block) -> Response:
    """UNIS-5/6: until an operator lifts it."""
    return _account(unis_accounts.block(account_id, body.reason))


@blueprint.post("/accounts/<int:account_id>/unblock")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="Lift a block", responses=ACCOUNT, problems=(400, *CHANGE))
def unblock_account(account_id: int) -> Response:
    """Lift a block, e.g. UNIS-12's once the user has a new certificate."""
    return _account(unis_accounts.unblock(account_id))


@blueprint.post("/accounts/<int:account_id>/termination")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
@operation(tag=TAG, summary="Terminate an account", body=m.Termination, responses=ACCOUNT, problems=CHANGE)
def terminate_account(account_id: int, body: m.Termination) -> Response:
    """UNIS-5/6: access ends for good."""
    return _account(unis_accounts.terminate(account_id, body.reason))


@blueprint.get("/login-records")
@requires(Action.READ_AUDIT)
@operation(tag=TAG, summary="Login records", query=m.LoginRecordQuery, responses={200: m.LoginRecords})
def list_login_records(query: m.LoginRecordQuery) -> Response:
    """Reconstruct logins: every attempt (masked IIN, decision, reasons, challenge, certificate, revocation
    evidence), newest first, filtered by challenge, account or certificate serial; for auditors. The read
    is audited about every person whose records it returned (PD-22)."""
    records = login_record_reads.read(
        challenge_id=query.challenge_id,
        account_id=query.account_id,
        serial=query.serial,
        before_id=query.before,
        limit=query.limit,
    )
    return jsonify({"records": [r.to_json() for r in records]})
