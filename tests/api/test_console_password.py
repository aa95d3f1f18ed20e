"""An operator changes their own console password (ca_sim.operator_credentials.change_password; NIST SP
800-63B 3.1.1.2): proven by the current password and a fresh TOTP code, the rules of a new password, every
password session ending, the limit on wrong proofs, and the audit trail (no secret in it)."""

from __future__ import annotations

import datetime as dt

import pytest

from api.console.sessions import MAX_FAILURES
from ca_sim.operator_credentials import (
    MAX_PASSWORD_CHARS,
    MIN_NEW_PASSWORD_CHARS,
    TOTP_STEP_SECONDS,
    check_new_password,
)
from pki.errors import ErrorCode, InvalidInput
from tests.api.console_support import code_at, csrf_of, password_sign_in, totp_secret

NEW_PASSWORD = "correct horse battery staple 7"
SEARCH = "/console/certificates"


def _signed_in(app, clock, credential, address: str):
    """A client signed in with ``credential`` from ``address``, on a TOTP step of its own."""
    clock.at += dt.timedelta(seconds=TOTP_STEP_SECONDS)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    code = code_at(totp_secret(credential), clock())
    assert password_sign_in(client, credential.operator, credential.password, code).status_code == 303
    return client


def _change(client, clock, credential, *, current=None, new=NEW_PASSWORD, repeat=None, fresh_step=True):
    if fresh_step:
        clock.at += dt.timedelta(seconds=TOTP_STEP_SECONDS)
    form = client.get("/console/password")
    assert form.status_code == 200
    data = {
        "csrf_token": csrf_of(form),
        "current": credential.password if current is None else current,
        "code": code_at(totp_secret(credential), clock()),
        "new": new,
        "repeat": new if repeat is None else repeat,
    }
    return client.post("/console/password", data=data)


def _audited(services, action: str = "change_console_password") -> list:
    return [e for e in services.audit.entries(limit=100000) if e.action == action]


def test_an_operator_changes_their_password_and_every_password_session_ends(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    here = _signed_in(app, clock, credential, "203.0.113.60")
    elsewhere = _signed_in(app, clock, credential, "203.0.113.61")
    page = here.get(SEARCH).get_data(as_text=True)
    assert 'id="nav-password"' in page

    changed = _change(here, clock, credential)
    assert changed.status_code == 303 and changed.headers["Location"].endswith("/console/sign-in?changed=1")
    notice = here.get(changed.headers["Location"]).get_data(as_text=True)
    assert 'id="password-changed"' in notice
    for client in (here, elsewhere):  # this session and the other one are both over
        over = client.get(SEARCH)
        assert over.status_code == 303 and over.headers["Location"].endswith("/console/sign-in?ended=1")
    replaced = [e for e in _audited(services, "authenticate") if e.actor == credential.operator]
    assert [e.details["cause"] for e in replaced] == ["credential_replaced"]  # the other session's request

    clock.at += dt.timedelta(seconds=TOTP_STEP_SECONDS)
    code = code_at(totp_secret(credential), clock())
    again = app.test_client()
    assert password_sign_in(again, credential.operator, credential.password, code).status_code == 401
    assert password_sign_in(again, credential.operator, NEW_PASSWORD, code).status_code == 303  # same TOTP
    success = [e for e in _audited(services) if e.actor == credential.operator and e.outcome == "success"]
    assert len(success) == 1 and success[0].target == credential.operator
    trail = repr([e.details for e in services.audit.entries(limit=100000)])
    assert NEW_PASSWORD not in trail and credential.password not in trail


def test_a_wrong_current_password_keeps_the_password_and_the_session_and_counts_as_a_failure(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    client = _signed_in(app, clock, credential, "203.0.113.62")
    refused = _change(client, clock, credential, current="not the password")
    assert refused.status_code == 401 and "<code>invalid_credentials</code>" in refused.get_data(as_text=True)
    assert client.get(SEARCH).status_code == 200  # still signed in
    causes = [e.details.get("cause") for e in _audited(services) if e.actor == credential.operator]
    assert causes == ["wrong_password"]
    for _ in range(MAX_FAILURES - 1):
        assert _change(client, clock, credential, current="still wrong").status_code == 401
    limited = _change(client, clock, credential)  # the right proof, after too many wrong ones
    assert limited.status_code == 429 and "sign_in_rate_limited" in limited.get_data(as_text=True)
    clock.at += dt.timedelta(seconds=TOTP_STEP_SECONDS)
    code = code_at(totp_secret(credential), clock())
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, code).status_code == 303
    )


@pytest.mark.parametrize(
    ("new", "repeat", "code"),
    [
        ("x" * (MIN_NEW_PASSWORD_CHARS - 1), None, ErrorCode.PASSWORD_TOO_SHORT),
        ("x" * (MAX_PASSWORD_CHARS + 1), None, ErrorCode.PASSWORD_TOO_LONG),
        (None, "a different one, long enough", ErrorCode.PASSWORDS_DIFFER),
    ],
)
def test_a_refused_new_password_spends_no_code(app, clock, operator_with_credential, new, repeat, code):
    credential = operator_with_credential
    client = _signed_in(app, clock, credential, "203.0.113.63")
    refused = _change(client, clock, credential, new=new or NEW_PASSWORD, repeat=repeat)
    assert refused.status_code == 400 and f"<code>{code}</code>" in refused.get_data(as_text=True)
    # the same step's code still proves the change: a mistyped new password cost no code
    assert _change(client, clock, credential, fresh_step=False).status_code == 303


def test_the_new_password_must_not_contain_the_login_name_nor_be_the_current_one(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    client = _signed_in(app, clock, credential, "203.0.113.64")
    with_name = f"my {credential.operator.upper()} password"
    refused = _change(client, clock, credential, new=with_name)
    assert refused.status_code == 400 and "<code>password_contains_name</code>" in refused.get_data(
        as_text=True
    )
    same = _change(client, clock, credential, new=credential.password)
    assert same.status_code == 400 and "<code>password_unchanged</code>" in same.get_data(as_text=True)
    assert client.get(SEARCH).status_code == 200
    refusals = [e for e in _audited(services) if e.actor == credential.operator and e.outcome == "refused"]
    assert [e.details["code"] for e in refusals] == ["password_contains_name", "password_unchanged"]


def test_new_password_length_bounds() -> None:
    check_new_password("op", "x" * MIN_NEW_PASSWORD_CHARS)
    check_new_password("op", "x" * MAX_PASSWORD_CHARS)
    for wrong in ("x" * (MIN_NEW_PASSWORD_CHARS - 1), "x" * (MAX_PASSWORD_CHARS + 1)):
        with pytest.raises(InvalidInput):
            check_new_password("op", wrong)


def test_the_password_form_needs_a_session_and_its_csrf_token(app, clock, operator_with_credential):
    assert app.test_client().get("/console/password").status_code == 303
    client = _signed_in(app, clock, operator_with_credential, "203.0.113.65")
    data = {"current": operator_with_credential.password, "code": "123456", "new": NEW_PASSWORD}
    assert client.post("/console/password", data={**data, "repeat": NEW_PASSWORD}).status_code == 403
