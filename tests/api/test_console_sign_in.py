"""Console sign-in with a login name, password and TOTP code (issue 14.1; RFC 6238): issued by the host
administrator, kept hashed and sealed, each code accepted once, every refusal one audit entry with its cause
and the same answer; the idle timeout on the injected clock; a failed token sign-in audited once."""

from __future__ import annotations

import datetime as dt

import pyotp
from click.testing import CliRunner

from api.cli import cli
from api.console.sessions import IDLE_TIMEOUT, MAX_FAILURES, ConsoleSession
from ca_sim.operator_credentials import (
    TOTP_STEP_SECONDS,
    OperatorCredential,
    password_matches,
    totp_code,
    totp_step,
)
from ca_sim.operators import Role
from tests.api.console_support import code_at, password_sign_in, sign_in, totp_secret

SEARCH = "/console/certificates"


def _refusals(services, before: int, action: str = "console_sign_in") -> list:
    return [
        e
        for e in services.audit.entries(after_seq=before, limit=1000)
        if e.action == action and e.outcome == "refused"
    ]


def _last_seq(services) -> int:
    return services.audit.entries(limit=100000)[-1].seq


def test_rfc6238_sign_in_with_name_password_and_code_opens_a_password_session(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    client = app.test_client()
    response = password_sign_in(
        client, credential.operator, credential.password, code_at(totp_secret(credential), clock())
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(SEARCH)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("kzpki_console="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get(SEARCH).get_data(as_text=True)
    assert f'id="operator">{credential.operator}<' in page
    with services.sessionmaker() as session:
        methods = {row.operator: row.method for row in session.query(ConsoleSession).all()}
    assert methods[credential.operator] == "password"
    signed_in = [e for e in services.audit.entries(limit=100000) if e.action == "console_sign_in"][-1]
    assert signed_in.actor == credential.operator and signed_in.details["method"] == "password"


def test_neither_the_password_nor_the_totp_secret_is_stored_in_clear(services, operator_with_credential):
    credential = operator_with_credential
    with services.sessionmaker() as session:
        rows = session.query(OperatorCredential).all()
    stored = b"".join(r.password_hash.encode() + r.sealed_totp for r in rows)
    assert credential.password.encode() not in stored
    assert totp_secret(credential).encode() not in stored
    assert any(password_matches(credential.password, r.password_hash) for r in rows)
    assert not any(password_matches(credential.password + "x", r.password_hash) for r in rows)


def test_rfc6238_a_code_is_accepted_once_within_its_window(app, services, clock, operator_with_credential):
    credential = operator_with_credential
    secret, before = totp_secret(credential), _last_seq(services)
    code = code_at(secret, clock())
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, code).status_code == 303
    )
    replay = password_sign_in(app.test_client(), credential.operator, credential.password, code)
    assert replay.status_code == 401 and "invalid_credentials" in replay.get_data(as_text=True)
    earlier = code_at(secret, clock(), steps=-1)  # inside the drift window, but before the used step
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, earlier).status_code
        == 401
    )
    clock.at += dt.timedelta(seconds=TOTP_STEP_SECONDS)
    fresh = code_at(secret, clock())
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, fresh).status_code
        == 303
    )
    causes = [e.details["cause"] for e in _refusals(services, before)]
    assert causes == ["code_reused", "code_reused"]


def test_rfc6238_codes_one_step_off_are_accepted_two_steps_off_refused(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    secret = totp_secret(credential)
    too_old = code_at(secret, clock(), steps=-2)
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, too_old).status_code
        == 401
    )
    ahead = code_at(secret, clock(), steps=1)  # the operator's phone a little fast
    assert (
        password_sign_in(app.test_client(), credential.operator, credential.password, ahead).status_code
        == 303
    )


def test_every_wrong_part_gives_the_same_answer_and_one_audit_entry_with_its_cause(
    app, services, clock, operator_with_credential
):
    credential = operator_with_credential
    code = code_at(totp_secret(credential), clock())
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.40"
    before = _last_seq(services)
    attempts = [
        ("nobody-here", credential.password, code),
        (credential.operator, "wrong password", code),
        (credential.operator, credential.password, "000000" if code != "000000" else "111111"),
        (credential.operator, credential.password, "12ab56"),
    ]
    answers = {password_sign_in(client, *attempt).status_code for attempt in attempts}
    assert answers == {401}
    refusals = _refusals(services, before)
    assert [e.details["cause"] for e in refusals] == [
        "unknown_operator",
        "wrong_password",
        "wrong_code",
        "wrong_code",
    ]
    assert {e.details["code"] for e in refusals} == {"invalid_credentials"}
    assert {e.details["client"] for e in refusals} == {"203.0.113.40"}
    assert not _refusals(services, before, action="authenticate")  # once, not twice
    assert all(credential.password not in str(e.details) for e in refusals)


def test_a_failed_token_sign_in_is_audited_once(app, services, clock):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.41"
    before = _last_seq(services)
    assert sign_in(client, "not-a-token").status_code == 401
    refused = [e for e in services.audit.entries(after_seq=before, limit=1000) if e.outcome == "refused"]
    assert [(e.action, e.details["code"], e.details["client"]) for e in refused] == [
        ("console_sign_in", "invalid_token", "203.0.113.41")
    ]


def test_password_sign_ins_share_the_rate_limit(app, services, clock, operator_with_credential):
    credential = operator_with_credential
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.42"
    for _ in range(MAX_FAILURES):
        assert password_sign_in(client, credential.operator, "wrong", "123456").status_code == 401
    code = code_at(totp_secret(credential), clock())
    assert password_sign_in(client, credential.operator, credential.password, code).status_code == 429


def test_a_password_session_idle_past_the_timeout_is_over(app, clock, operator_with_credential):
    credential = operator_with_credential
    client = app.test_client()
    code = code_at(totp_secret(credential), clock())
    assert password_sign_in(client, credential.operator, credential.password, code).status_code == 303
    clock.at += IDLE_TIMEOUT - dt.timedelta(seconds=1)
    assert client.get(SEARCH).status_code == 200  # a request moves the idle deadline on
    clock.at += IDLE_TIMEOUT
    ended = client.get(SEARCH)
    assert ended.status_code == 303 and "ended=1" in ended.headers["Location"]


def test_a_disabled_operator_s_password_session_ends(app, services, clock, operator_with_credential):
    credential = operator_with_credential
    client = app.test_client()
    code = code_at(totp_secret(credential), clock())
    assert password_sign_in(client, credential.operator, credential.password, code).status_code == 303
    services.operators.disable(credential.operator, clock(), "tests")
    ended = client.get(SEARCH)
    assert ended.status_code == 303 and "ended=1" in ended.headers["Location"]


def test_new_credentials_replace_the_old_ones_and_end_their_sessions(
    app, services, clock, operator_with_credential
):
    old = operator_with_credential
    signed_in = app.test_client()
    code = code_at(totp_secret(old), clock(), steps=-1)
    assert password_sign_in(signed_in, old.operator, old.password, code).status_code == 303
    clock.at += dt.timedelta(seconds=1)
    new = services.credentials.issue(old.operator, clock(), "tests")
    ended = signed_in.get(SEARCH)
    assert ended.status_code == 303 and "ended=1" in ended.headers["Location"]
    code = code_at(totp_secret(old), clock())
    assert password_sign_in(app.test_client(), old.operator, old.password, code).status_code == 401
    code = code_at(totp_secret(new), clock())
    assert password_sign_in(app.test_client(), new.operator, new.password, code).status_code == 303


def test_kzpki_operators_add_prints_the_token_password_and_otpauth_uri_once(api_settings, services, clock):
    env = {
        "KZPKI_HOME": str(api_settings.home),
        "KZPKI_DATABASE_URL": api_settings.database_url,
        "KZPKI_CA_PASSPHRASE": api_settings.ca_passphrase.decode(),
    }
    result = CliRunner(env=env).invoke(
        cli, ["operators", "add", "--name", "cli-totp", "--role", "security_officer"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    uri = next(line for line in lines if line.startswith("otpauth://totp/"))
    password = lines[lines.index(next(x for x in lines if "password:" in x)) + 1]
    assert "issuer=kzpki" in uri
    assert any(block in result.output for block in "\u2580\u2584\u2588")  # the QR code
    secret = pyotp.parse_uri(uri).secret
    operator = services.credentials.authenticate(
        "cli-totp", password, totp_code(secret, totp_step(clock())), clock()
    )
    assert operator.role is Role.SECURITY_OFFICER
    listed = CliRunner(env=env).invoke(cli, ["operators", "list"])
    assert password not in listed.output and secret not in listed.output
