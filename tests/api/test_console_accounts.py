"""UNIS accounts in the console (issue 14.4): find, create, suspend on the 2025 rules' temporary grounds
(UNIS-5-1), resume, block, unblock (UNIS-12's automatic block), terminate, each after a confirmation step,
audited as the API audits them (PD-22); the login records of an account with decision and reasons, IIN
masked; and each console action refused for every role the API refuses."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from pki.calendar import KZ_TIME, kz_date, kz_day_start
from pki.iin import Sex, make_iin, mask
from pki.keys import load_pkcs12
from tests.api.conftest import bearer
from tests.api.console_support import console_client, csrf_of, issue, refused_code, session_csrf
from tests.api.support import PKCS12_PASSWORD, cms_login
from unis.accounts import AccountStatus, BlockReason, SuspensionReason

ACCOUNTS = "/console/accounts"


def _iin(n: int) -> str:
    return make_iin(dt.date(1985, 4, 4), Sex.MALE, 5000 + n)


def _api_account(client, tokens, iin: str) -> int:
    body = {"iin": iin, "role": "justice_employee", "chamber": "Astana"}
    made = client.post("/api/v1/unis/accounts", json=body, headers=bearer(tokens["nca_operator"]))
    assert made.status_code == 201, made.get_json()
    return made.get_json()["account_id"]


def _change(console, account_id: int, change: str, **fields):
    """Post ``change`` through its review and confirm steps; the two responses."""
    path = f"{ACCOUNTS}/{account_id}/{change}"
    form = {"csrf_token": session_csrf(console), **fields}
    review = console.post(path, data={**form, "step": "review"})
    return review, console.post(path, data={**form, "step": "confirm"})


@pytest.fixture
def operator(app, tokens, clock):
    return console_client(app, tokens["nca_operator"])


def test_unis4_create_after_a_confirmation_then_find_by_iin_all_audited_with_the_owner(operator, services):
    iin = _iin(1)
    form = {"csrf_token": session_csrf(operator), "iin": iin, "role": "notary", "chamber": "Алматы"}
    review = operator.post(f"{ACCOUNTS}/new", data={**form, "step": "review"})
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and f'id="review-iin">{mask(iin)}<' in page and "UNIS-4" in page
    assert services.accounts.find_by_iin(iin) is None  # nothing happens before confirming
    done = operator.post(f"{ACCOUNTS}/new", data={**form, "step": "confirm"})
    assert done.status_code == 303 and "done=create" in done.headers["Location"]
    account = services.accounts.find_by_iin(iin)
    assert account is not None and account.status is AccountStatus.ACTIVE and account.chamber == "Алматы"
    found = operator.post(f"{ACCOUNTS}/lookup", data={"csrf_token": session_csrf(operator), "iin": iin})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/accounts/{account.account_id}")
    assert iin not in found.headers["Location"]
    shown = operator.get(found.headers["Location"]).get_data(as_text=True)
    assert mask(iin) in shown and iin not in shown and "notary" in shown
    actions = [(e.action, e.actor, e.outcome) for e in services.audit.entries_about(iin)]
    for action in ("unis_create_account", "unis_lookup_account", "unis_read_account"):
        assert (action, "api-nca_operator", "success") in actions
    assert all(iin not in str(e.details) + e.target for e in services.audit.entries_about(iin))


def test_an_iin_without_an_account_is_a_404_page_and_the_refused_lookup_is_audited(operator, services):
    iin = _iin(2)
    missing = operator.post(f"{ACCOUNTS}/lookup", data={"csrf_token": session_csrf(operator), "iin": iin})
    assert missing.status_code == 404 and refused_code(missing) == "account_not_found"
    entry = services.audit.entries_about(iin)[-1]
    assert entry.action == "unis_lookup_account" and entry.outcome == "refused"


@pytest.mark.parametrize("reason", list(SuspensionReason))
def test_unis5_1_suspension_on_each_temporary_ground_with_an_end_date(
    operator, client, services, tokens, reason
):
    account_id = _api_account(client, tokens, _iin(10 + list(SuspensionReason).index(reason)))
    end = kz_date(services.clock()) + dt.timedelta(days=20)
    form_page = operator.get(f"{ACCOUNTS}/{account_id}/suspend").get_data(as_text=True)
    for ground in SuspensionReason:
        assert f'value="{ground.value}"' in form_page
    review, done = _change(operator, account_id, "suspend", reason=reason.value, until=end.isoformat())
    assert "temporarily (UNIS-5-1)" in review.get_data(as_text=True)
    assert done.status_code == 303
    account = services.accounts.get(account_id)
    assert account.status is AccountStatus.SUSPENDED and account.status_reason == reason.value
    assert account.suspended_until == kz_day_start(end)
    page = operator.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="status" class="account-suspended">suspended<' in page and "(UNIS-5-1)" in page
    entry = next(e for e in services.audit.entries_about(account.iin) if e.action == "unis_suspend_account")
    assert (entry.actor, entry.details["reason"]) == ("api-nca_operator", reason.value)


def test_unis5_1_a_suspended_account_s_login_is_refused_with_its_temporary_reason(
    operator, client, services, tokens
):
    iin = _iin(20)
    issued = issue(client, tokens["nca_operator"], iin, "ОТПУСКОВ")
    account_id = _api_account(client, tokens, iin)
    _, done = _change(operator, account_id, "suspend", reason="sick_leave")
    assert done.status_code == 303
    key, certificate, _ = load_pkcs12(base64.b64decode(issued["pkcs12"]), PKCS12_PASSWORD.encode())
    challenge = client.post("/api/v1/unis/challenges").get_json()
    decision = client.post("/api/v1/unis/logins", json=cms_login(challenge, key, certificate)).get_json()
    assert decision["decision"] == "refused" and decision["reasons"][0] == "account_suspended"
    assert decision["account"]["status_reason"] == "sick_leave" and decision["account"]["temporary"]
    _, resumed = _change(operator, account_id, "resume")
    assert resumed.status_code == 303
    challenge = client.post("/api/v1/unis/challenges").get_json()
    again = client.post("/api/v1/unis/logins", json=cms_login(challenge, key, certificate)).get_json()
    assert again["decision"] == "accepted", again["reasons"]


def test_unis5_block_unblock_and_terminate_each_after_a_confirmation(operator, client, services, tokens):
    account_id = _api_account(client, tokens, _iin(30))
    review, done = _change(operator, account_id, "block", reason="chamber_decision")
    assert "until an operator lifts the block" in review.get_data(as_text=True)
    assert services.accounts.get(account_id).status is AccountStatus.BLOCKED
    page = operator.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="unblock"' in page and 'id="suspend"' not in page and 'id="unis12"' not in page
    _, done = _change(operator, account_id, "unblock")
    assert services.accounts.get(account_id).status is AccountStatus.ACTIVE
    _, done = _change(operator, account_id, "terminate", reason="dismissed")
    assert services.accounts.get(account_id).status is AccountStatus.TERMINATED
    page = operator.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="actions"' not in page and 'id="terminate"' not in page
    for words in ("created", "blocked", "chamber decision", "block lifted", "terminated", "dismissed"):
        assert words in page.split('id="history"', 1)[1]
    actions = [e.action for e in services.audit.entries_about(services.accounts.get(account_id).iin)]
    assert {"unis_block_account", "unis_unblock_account", "unis_terminate_account"} <= set(actions)


def test_unis12_the_automatic_block_is_shown_and_lifted_after_reissue(operator, client, services, tokens):
    account_id = _api_account(client, tokens, _iin(40))
    services.accounts.block(
        account_id, reason=BlockReason.EDS_NOT_REISSUED, at=services.clock(), actor="unis"
    )
    page = operator.get(f"{ACCOUNTS}/{account_id}").get_data(as_text=True)
    assert 'id="unis12"' in page and "UNIS-12" in page
    form_page = operator.get(f"{ACCOUNTS}/{account_id}/block").get_data(as_text=True)
    assert 'value="eds_not_reissued"' not in form_page  # set by a login only
    review, done = _change(operator, account_id, "unblock")
    assert "UNIS-12" in review.get_data(as_text=True) and done.status_code == 303
    assert services.accounts.get(account_id).status is AccountStatus.ACTIVE
    history = services.accounts.history(account_id)
    assert [e.action for e in history][-2:] == ["blocked", "block_lifted"]


def test_a_change_the_status_does_not_allow_is_a_409_page(operator, client, tokens, services):
    account_id = _api_account(client, tokens, _iin(50))
    _, refused = _change(operator, account_id, "resume")
    assert refused.status_code == 409 and refused_code(refused) == "account_status_conflict"
    assert services.accounts.get(account_id).status is AccountStatus.ACTIVE


@pytest.mark.parametrize(
    ("n", "change", "fields", "code"),
    [
        (201, "suspend", {"reason": "holiday"}, "invalid_value"),
        (202, "suspend", {"reason": "leave", "until": "2020-01-01"}, "invalid_suspension_end"),
        (203, "suspend", {"reason": "leave", "until": "01.02.2027"}, "invalid_datetime"),
        (204, "block", {"reason": "eds_not_reissued"}, "invalid_value"),
        (205, "terminate", {}, "invalid_value"),
        (206, "delete", {}, "invalid_value"),
    ],
)
def test_bad_change_input_is_a_400_page_and_changes_nothing(
    operator, client, tokens, services, n, change, fields, code
):
    account_id = _api_account(client, tokens, _iin(n))
    review, _ = _change(operator, account_id, change, **fields)
    assert review.status_code == 400 and refused_code(review) == code
    assert services.accounts.get(account_id).status is AccountStatus.ACTIVE


def test_unknown_account_and_bad_iin_are_4xx_pages(operator):
    assert refused_code(operator.get(f"{ACCOUNTS}/999999")) == "account_not_found"
    bad = operator.post(f"{ACCOUNTS}/lookup", data={"csrf_token": session_csrf(operator), "iin": "12345"})
    assert bad.status_code == 400 and refused_code(bad) == "invalid_iin"


def test_account_changes_posted_without_the_csrf_token_change_nothing(operator, client, tokens, services):
    account_id = _api_account(client, tokens, _iin(70))
    form = {"step": "confirm", "reason": "leave"}
    forged = operator.post(f"{ACCOUNTS}/{account_id}/suspend", data=form)
    assert forged.status_code == 403 and refused_code(forged) == "csrf_token_invalid"
    created = operator.post(
        f"{ACCOUNTS}/new", data={"step": "confirm", "iin": _iin(71), "role": "notary", "chamber": "x"}
    )
    assert created.status_code == 403 and services.accounts.find_by_iin(_iin(71)) is None
    assert services.accounts.get(account_id).status is AccountStatus.ACTIVE


def test_the_account_list_shows_iins_masked_and_filters_by_status(operator, client, tokens):
    iin = _iin(80)
    account_id = _api_account(client, tokens, iin)
    _change(operator, account_id, "block", reason="suspected_misuse")
    listed = operator.get(ACCOUNTS, query_string={"status": "blocked"}).get_data(as_text=True)
    assert f">{account_id}</a>" in listed and mask(iin) in listed and iin not in listed
    assert 'class="account-active"' not in listed
    assert refused_code(operator.get(ACCOUNTS, query_string={"status": "lost"})) == "invalid_value"


def test_pd22_an_account_s_login_records_show_decision_and_reason_masked_and_the_read_is_audited(
    app, operator, client, services, tokens
):
    iin = _iin(90)
    issued = issue(client, tokens["nca_operator"], iin, "ЗАПИСЕЙ")
    account_id = _api_account(client, tokens, iin)
    _change(operator, account_id, "block", reason="chamber_decision")
    key, certificate, _ = load_pkcs12(base64.b64decode(issued["pkcs12"]), PKCS12_PASSWORD.encode())
    challenge = client.post("/api/v1/unis/challenges").get_json()
    client.post("/api/v1/unis/logins", json=cms_login(challenge, key, certificate))
    auditor = console_client(app, tokens["auditor"])
    response = auditor.get(f"{ACCOUNTS}/{account_id}/logins")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "account_blocked" in page and "refused" in page
    assert mask(iin) in page and iin not in page and issued["serial"] in page
    entry = services.audit.entries_about(iin)[-1]
    assert (entry.action, entry.actor, entry.details["records"]) == (
        "unis_read_login_records",
        "api-auditor",
        1,
    )
    assert 'id="logins"' not in operator.get(f"{ACCOUNTS}/{account_id}").get_data(as_text=True)


# Each console action with the API endpoint that needs the same permission (and the console form's step).
CONSOLE_ACTIONS = [
    ("GET", ACCOUNTS, "GET", "/api/v1/unis/accounts"),
    ("POST", f"{ACCOUNTS}/lookup", "POST", "/api/v1/unis/accounts/lookup"),
    ("POST", f"{ACCOUNTS}/new", "POST", "/api/v1/unis/accounts"),
    ("GET", f"{ACCOUNTS}/{{id}}", "GET", "/api/v1/unis/accounts/{id}"),
    ("POST", f"{ACCOUNTS}/{{id}}/suspend", "POST", "/api/v1/unis/accounts/{id}/suspension"),
    ("POST", f"{ACCOUNTS}/{{id}}/resume", "POST", "/api/v1/unis/accounts/{id}/resumption"),
    ("POST", f"{ACCOUNTS}/{{id}}/block", "POST", "/api/v1/unis/accounts/{id}/block"),
    ("POST", f"{ACCOUNTS}/{{id}}/unblock", "POST", "/api/v1/unis/accounts/{id}/unblock"),
    ("POST", f"{ACCOUNTS}/{{id}}/terminate", "POST", "/api/v1/unis/accounts/{id}/termination"),
    ("GET", f"{ACCOUNTS}/{{id}}/logins", "GET", "/api/v1/unis/login-records?account_id={id}"),
]


@pytest.mark.parametrize("role", ["nca_operator", "gov_operator", "security_officer", "auditor", "tester"])
def test_each_account_action_is_refused_for_every_role_the_api_refuses(app, client, services, tokens, role):
    iin = _iin(100 + len(role))
    account_id = services.accounts.find_by_iin(iin)
    account_id = account_id.account_id if account_id else _api_account(client, tokens, iin)
    console = console_client(app, tokens[role])
    csrf = csrf_of(console.get("/console/certificates"))  # every page, a refusal too, has the sign-out form
    form = {"csrf_token": csrf, "step": "confirm", "iin": iin, "reason": "leave"}
    for method, path, api_method, api_path in CONSOLE_ACTIONS:
        api = client.open(
            api_path.format(id=account_id),
            method=api_method,
            json={} if api_method == "POST" else None,
            headers=bearer(tokens[role]),
        )
        url = path.format(id=account_id)
        shown = console.get(url) if method == "GET" else console.post(url, data=form)
        if api.status_code == 403:
            assert shown.status_code == 403, (role, path)
            assert refused_code(shown) == api.get_json()["code"], (role, path)
        else:
            assert shown.status_code != 403, (role, path, shown.status_code)
    assert services.accounts.get(account_id).status in {AccountStatus.ACTIVE, AccountStatus.SUSPENDED}


def test_kz_time_suspension_end_is_the_start_of_that_kazakh_day(operator, client, tokens, services):
    account_id = _api_account(client, tokens, _iin(120))
    end = kz_date(services.clock()) + dt.timedelta(days=3)
    _change(operator, account_id, "suspend", reason="parental_leave", until=end.isoformat())
    until = services.accounts.get(account_id).suspended_until
    assert until is not None and until.astimezone(KZ_TIME).time() == dt.time(0, 0)
    assert until.astimezone(KZ_TIME).date() == end
