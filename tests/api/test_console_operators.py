"""Operators and their tokens in the console, for security officers (manage_operators): the list, revoking
one token and disabling an operator through the confirmation step, each audited with the officer's name and
in force at the next request; other roles refused; nothing shown or made that is a secret."""

from __future__ import annotations

import secrets

from ca_sim.operators import Role
from tests.api.conftest import bearer
from tests.api.console_support import console_client, csrf_of, refused_code

LIST = "/console/operators"
API = "/api/v1/unis/accounts?limit=1"  # any call an nca operator's token may make


def _fresh_operator(services, clock) -> tuple[str, list[tuple[int, str]]]:
    """A new nca operator with two tokens: its name and (token id, token) of each, oldest first."""
    name = f"ops-{secrets.token_hex(4)}"
    _, first = services.operators.add(name, Role.OPERATOR, ["nca"], clock(), "tests")
    second = services.operators.issue_token(name, clock(), "tests")
    ids = [t.id for t in services.operators.tokens() if t.operator == name]
    return name, list(zip(ids, (first, second), strict=True))


def _confirm(client, path: str):
    form = client.get(path)
    assert form.status_code == 200
    review = client.post(path, data={"csrf_token": csrf_of(form), "step": "review"})
    assert review.status_code == 200 and 'id="confirm-text"' in review.get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_of(review), "step": "confirm"})


def _audited(services, action: str, target: str) -> list:
    return [e for e in services.audit.entries(limit=100000) if e.action == action and e.target == target]


def test_a_security_officer_lists_tokens_without_secrets(app, services, tokens, clock):
    name, held = _fresh_operator(services, clock)
    client = console_client(app, tokens["security_officer"])
    page = client.get(LIST).get_data(as_text=True)
    assert 'id="nav-operators"' in page and name in page
    for token_id, token in held:
        assert f'id="token-{token_id}"' in page and token not in page
        assert f'id="revoke-{token_id}"' in page and f'id="disable-{token_id}"' in page


def test_revoking_one_token_takes_effect_at_its_next_use_and_is_audited(app, services, tokens, clock):
    name, [(first_id, first), (_, second)] = _fresh_operator(services, clock)
    api = app.test_client()
    assert api.get(API, headers=bearer(first)).status_code == 200
    client = console_client(app, tokens["security_officer"])
    done = _confirm(client, f"/console/operators/tokens/{first_id}/revoke_token")
    assert done.status_code == 303 and done.headers["Location"].endswith(
        "/console/operators?done=revoke_token"
    )
    assert 'id="done"' in client.get(done.headers["Location"]).get_data(as_text=True)
    revoked = api.get(API, headers=bearer(first))
    assert revoked.status_code == 401 and revoked.get_json()["code"] == "token_revoked"
    assert api.get(API, headers=bearer(second)).status_code == 200  # the operator's other token stays
    entries = _audited(services, "revoke_operator_token", name)
    assert [(e.actor, e.details["token_id"]) for e in entries] == [("api-security_officer", first_id)]
    refused = _confirm(
        client, f"/console/operators/tokens/{first_id}/revoke_token"
    )  # confirmed a second time
    assert refused.status_code == 409 and refused_code(refused) == "token_revoked"


def test_disabling_an_operator_stops_every_token_and_console_session(app, services, tokens, clock):
    name, [(first_id, first), (_, second)] = _fresh_operator(services, clock)
    their_console = console_client(app, second)
    assert their_console.get("/console/certificates").status_code == 200
    client = console_client(app, tokens["security_officer"])
    done = _confirm(client, f"/console/operators/tokens/{first_id}/disable_operator")
    assert done.status_code == 303 and done.headers["Location"].endswith("done=disable_operator")
    for token in (first, second):
        assert app.test_client().get(API, headers=bearer(token)).status_code == 401
    assert their_console.get("/console/certificates").status_code == 303  # back to sign-in
    assert [e.actor for e in _audited(services, "disable_operator", name)] == ["api-security_officer"]


def test_other_roles_are_refused_and_an_unknown_token_is_not_found(app, tokens, clock):
    operator = console_client(app, tokens["nca_operator"])
    assert 'id="nav-operators"' not in operator.get("/console/certificates").get_data(as_text=True)
    refused = operator.get(LIST)
    assert refused.status_code == 403 and refused_code(refused) == "role_forbidden"
    officer = console_client(app, tokens["security_officer"])
    missing = officer.get("/console/operators/tokens/999999999/revoke_token")
    assert missing.status_code == 404 and refused_code(missing) == "unknown_token"


def test_only_the_two_changes_are_offered(app, services, tokens, clock):
    _, [(token_id, _token), _second] = _fresh_operator(services, clock)
    officer = console_client(app, tokens["security_officer"])
    refused = officer.get(f"/console/operators/tokens/{token_id}/delete")
    assert refused.status_code == 400 and refused_code(refused) == "invalid_value"
