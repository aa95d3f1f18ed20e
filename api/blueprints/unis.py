"""UNIS: login challenges and decisions (public, called by UNIS), accounts and login records (operators)."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, jsonify, request

from api import payloads
from api.auth import audited, current_operator, requires, services
from api.clock import iso_time
from ca_sim.operators import Action
from pki.errors import ErrorCode, InvalidInput, NotFound
from unis import accounts
from unis.accounts import AccountStatus, BlockReason, Role, SuspensionReason, TerminationReason
from unis.login import LoginAttempt, SignatureFormat, xml_login_document
from unis.records import find_login_records

blueprint = Blueprint("unis", __name__, url_prefix="/api/v1/unis")

MAX_BIOMETRIC_BYTES = 64 * 1024


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/challenges")
def create_challenge() -> tuple[Response, int]:
    """UNIS-8/9/10: a fresh one-time challenge (32 random bytes, 5 minutes)."""
    challenge = services().logins.create_challenge(services().clock())
    body = {
        "challenge_id": challenge.challenge_id,
        "nonce": base64.b64encode(challenge.nonce).decode("ascii"),
        "expires_at": iso_time(challenge.expires_at),
        "xml_to_sign": xml_login_document(challenge).decode("utf-8"),
    }
    return _no_store(jsonify(body)), 201


@blueprint.post("/logins")
def log_in() -> Response:
    """The verify endpoint UNIS calls: 200 with the decision whenever the signature could be evaluated."""
    body = payloads.json_object()
    challenge_id = payloads.required_string(body, "challenge_id", max_length=200)
    limit = services().settings.max_body_bytes
    if ("cms" in body) == ("xml" in body):
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, "send exactly one of cms (base64 CMS) or xml (signed XML text)"
        )
    if "cms" in body:
        text = payloads.required_string(body, "cms", max_length=2 * limit)
        cms = text.encode("ascii", "replace") if text.lstrip().startswith("-----BEGIN") else None
        signature = cms if cms is not None else payloads.decode_base64(text, "cms")
        signature_format = SignatureFormat.CMS
    else:
        signature = payloads.required_string(body, "xml", max_length=limit).encode("utf-8")
        signature_format = SignatureFormat.XML
    biometric = payloads.base64_bytes(body, "biometric", max_bytes=MAX_BIOMETRIC_BYTES, required=False)
    attempt = LoginAttempt(challenge_id, signature_format, signature, biometric)
    decision = services().logins.log_in(attempt, services().clock())
    return _no_store(jsonify(decision.to_json()))


# --- accounts (UNIS-4, 5, 5-1, 6, 12) ----------------------------------------------------------------


@blueprint.post("/accounts")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def create_account() -> tuple[Response, int]:
    body = payloads.json_object()
    iin = payloads.required_string(body, "iin", max_length=12)
    role = payloads.enum_value(body, "role", Role)
    assert role is not None
    chamber = payloads.required_string(body, "chamber", max_length=200)
    ctx = services()
    with audited("unis_create_account", f"iin:{iin}", {"role": role.value}):
        account = accounts.create_account(
            ctx.sessionmaker,
            iin=iin,
            role=role,
            chamber=chamber,
            at=ctx.clock(),
            actor=_actor(),
            allow_test_identities=ctx.settings.test_pki,
        )
    return jsonify(account.to_json(ctx.clock())), 201


@blueprint.get("/accounts")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def list_accounts() -> Response:
    raw_status = request.args.get("status")
    status = None
    if raw_status is not None:
        status = payloads.enum_value({"status": raw_status}, "status", AccountStatus)
    after = payloads.query_int("after", default=0)
    limit = payloads.query_int("limit", default=100, minimum=1, maximum=1000)
    ctx = services()
    found = accounts.list_accounts(ctx.sessionmaker, status=status, after_id=after, limit=limit)
    now = ctx.clock()
    return jsonify(
        {
            "accounts": [a.to_json(now) for a in found],
            "next_after": found[-1].account_id if len(found) == limit else None,
        }
    )


@blueprint.post("/accounts/lookup")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def lookup_account() -> Response:
    """Find an account by IIN (in the body, never in a URL that access logs keep)."""
    iin = payloads.required_string(payloads.json_object(), "iin", max_length=12)
    ctx = services()
    with audited("unis_lookup_account", f"iin:{iin}"):
        account = accounts.find_account_by_iin(ctx.sessionmaker, iin)
        if account is None:
            raise NotFound(ErrorCode.ACCOUNT_NOT_FOUND, "no UNIS account for this IIN")
    return jsonify(account.to_json(ctx.clock()))


@blueprint.get("/accounts/<int:account_id>")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def get_account(account_id: int) -> Response:
    ctx = services()
    account = accounts.get_account(ctx.sessionmaker, account_id)
    history = accounts.account_history(ctx.sessionmaker, account_id)
    return jsonify({**account.to_json(ctx.clock()), "history": [e.to_json() for e in history]})


@blueprint.post("/accounts/<int:account_id>/suspension")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def suspend_account(account_id: int) -> Response:
    """UNIS-5-1: a temporary block (licence suspension, leave) with an optional end date."""
    body = payloads.json_object()
    reason = payloads.enum_value(body, "reason", SuspensionReason)
    assert reason is not None
    until = payloads.optional_timestamp(body, "until")
    ctx = services()
    with audited("unis_suspend_account", f"unis_account:{account_id}", {"reason": reason.value}):
        account = accounts.suspend_account(
            ctx.sessionmaker, account_id, reason=reason, until=until, at=ctx.clock(), actor=_actor()
        )
    return jsonify(account.to_json(ctx.clock()))


@blueprint.post("/accounts/<int:account_id>/resumption")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def resume_account(account_id: int) -> Response:
    ctx = services()
    with audited("unis_resume_account", f"unis_account:{account_id}"):
        account = accounts.resume_account(ctx.sessionmaker, account_id, at=ctx.clock(), actor=_actor())
    return jsonify(account.to_json(ctx.clock()))


@blueprint.post("/accounts/<int:account_id>/block")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def block_account(account_id: int) -> Response:
    reason = payloads.enum_value(payloads.json_object(), "reason", BlockReason)
    assert reason is not None
    ctx = services()
    with audited("unis_block_account", f"unis_account:{account_id}", {"reason": reason.value}):
        account = accounts.block_account(
            ctx.sessionmaker, account_id, reason=reason, at=ctx.clock(), actor=_actor()
        )
    return jsonify(account.to_json(ctx.clock()))


@blueprint.post("/accounts/<int:account_id>/unblock")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def unblock_account(account_id: int) -> Response:
    """Lift a block, e.g. UNIS-12's once the user has a new certificate."""
    ctx = services()
    with audited("unis_unblock_account", f"unis_account:{account_id}"):
        account = accounts.lift_block(ctx.sessionmaker, account_id, at=ctx.clock(), actor=_actor())
    return jsonify(account.to_json(ctx.clock()))


@blueprint.post("/accounts/<int:account_id>/termination")
@requires(Action.MANAGE_UNIS_ACCOUNTS)
def terminate_account(account_id: int) -> Response:
    """UNIS-5/6: access ends for good."""
    reason = payloads.enum_value(payloads.json_object(), "reason", TerminationReason)
    assert reason is not None
    ctx = services()
    with audited("unis_terminate_account", f"unis_account:{account_id}", {"reason": reason.value}):
        account = accounts.terminate_account(
            ctx.sessionmaker, account_id, reason=reason, at=ctx.clock(), actor=_actor()
        )
    return jsonify(account.to_json(ctx.clock()))


@blueprint.get("/login-records")
@requires(Action.READ_AUDIT)
def list_login_records() -> Response:
    """Reconstruct logins: filter by challenge, account or certificate serial (auditors)."""
    records = find_login_records(
        services().sessionmaker,
        challenge_id=payloads.query_string("challenge_id"),
        account_id=payloads.optional_query_int("account_id", minimum=1),
        certificate_serial=payloads.query_string("serial", max_length=64),
        before_id=payloads.optional_query_int("before", minimum=1),
        limit=payloads.query_int("limit", default=100, minimum=1, maximum=1000),
    )
    return jsonify({"records": [r.to_json() for r in records]})


def _actor() -> str:
    return current_operator().name
