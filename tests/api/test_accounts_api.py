"""UNIS account management over HTTP (UNIS-4, 5, 5-1, 6): operators only, every change in the history."""

from __future__ import annotations

import datetime as dt

from pki.calendar import kz_date, kz_day_start
from pki.iin import Sex, make_iin
from storage import MAX_ROW_ID
from tests.api.conftest import bearer
from tests.api.support import assert_problem


def test_unis4_5_6_account_life_over_the_api(client, tokens, clock):
    headers = bearer(tokens["nca_operator"])
    iin = make_iin(dt.date(1969, 7, 20), Sex.FEMALE, 777)
    created = client.post(
        "/api/v1/unis/accounts", json={"iin": iin, "role": "notary", "chamber": "Шымкент"}, headers=headers
    )
    assert created.status_code == 201
    account = created.get_json()
    assert account["status"] == "active" and account["iin_masked"].endswith(iin[-4:])
    assert iin not in created.get_data(as_text=True)
    base = f"/api/v1/unis/accounts/{account['account_id']}"
    duplicate = client.post(
        "/api/v1/unis/accounts", json={"iin": iin, "role": "notary", "chamber": "x"}, headers=headers
    )
    assert_problem(duplicate, 409, "account_exists")
    found = client.post("/api/v1/unis/accounts/lookup", json={"iin": iin}, headers=headers).get_json()
    assert found["account_id"] == account["account_id"]

    steps = [
        ("suspension", {"reason": "parental_leave"}, "suspended"),
        ("resumption", None, "active"),
        ("block", {"reason": "suspected_misuse"}, "blocked"),
        ("unblock", None, "active"),
        ("termination", {"reason": "licence_terminated"}, "terminated"),
    ]
    for action, body, status in steps:
        response = client.post(f"{base}/{action}", json=body, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["status"] == status
    assert_problem(client.post(f"{base}/unblock", headers=headers), 409, "account_status_conflict")
    details = client.get(base, headers=headers).get_json()
    assert [h["action"] for h in details["history"]] == [
        "created", "suspended", "resumed", "blocked", "block_lifted", "terminated"
    ]  # fmt: skip
    assert all(h["actor"] == "api-nca_operator" for h in details["history"])
    terminated = client.get("/api/v1/unis/accounts", query_string={"status": "terminated"}, headers=headers)
    assert account["account_id"] in [a["account_id"] for a in terminated.get_json()["accounts"]]


def test_account_list_pages(client, tokens):
    headers = bearer(tokens["nca_operator"])
    first = client.get("/api/v1/unis/accounts", query_string={"limit": 2}, headers=headers).get_json()
    assert len(first["accounts"]) == 2 and first["next_after"] == first["accounts"][-1]["account_id"]
    rest = client.get(
        "/api/v1/unis/accounts", query_string={"limit": 2, "after": first["next_after"]}, headers=headers
    ).get_json()
    assert rest["accounts"][0]["account_id"] > first["next_after"]


def test_unis5_1_a_suspension_until_a_bare_date_ends_when_that_day_begins_in_kazakhstan(
    client, tokens, clock
):
    headers = bearer(tokens["nca_operator"])
    iin = make_iin(dt.date(1971, 3, 9), Sex.MALE, 778)
    account = client.post(
        "/api/v1/unis/accounts", json={"iin": iin, "role": "notary", "chamber": "Алматы"}, headers=headers
    ).get_json()
    end = kz_date(clock.at) + dt.timedelta(days=10)
    suspended = client.post(
        f"/api/v1/unis/accounts/{account['account_id']}/suspension",
        json={"reason": "licence_suspended", "until": end.isoformat()},
        headers=headers,
    )
    assert suspended.status_code == 200, suspended.get_data(as_text=True)
    until = dt.datetime.fromisoformat(suspended.get_json()["suspended_until"])
    assert until == kz_day_start(end)  # 19:00:00Z the UTC day before (KZ-TIME)
    assert until.astimezone(dt.UTC).time() == dt.time(19, 0)
    bad = client.post(
        f"/api/v1/unis/accounts/{account['account_id']}/suspension",
        json={"reason": "licence_suspended", "until": "2026-13-45"},
        headers=headers,
    )
    assert_problem(bad, 400, "invalid_datetime")


def test_row_ids_beyond_the_database_integer_are_refused_as_input(client, tokens):
    """Every id in a path or a query is bounded by ``storage.MAX_ROW_ID`` (PostgreSQL's 32-bit integer):
    one beyond is a 400 ``invalid_value``, never a statement the database refuses (a 500 on PostgreSQL, which
    the independent fuzzer found with ``?after=2**53-1``); the bound itself reaches the database."""
    operator, auditor = bearer(tokens["nca_operator"]), bearer(tokens["auditor"])
    beyond, bound = MAX_ROW_ID + 1, MAX_ROW_ID
    for path, headers in (
        (f"/api/v1/unis/accounts?after={beyond}", operator),
        (f"/api/v1/unis/accounts/{beyond}", operator),
        (f"/api/v1/unis/login-records?account_id={beyond}", auditor),
        (f"/api/v1/unis/login-records?before={beyond}", auditor),
    ):
        assert_problem(client.get(path, headers=headers), 400, "invalid_value")
    assert client.get(f"/api/v1/unis/accounts?after={bound}", headers=operator).get_json()["accounts"] == []
    assert_problem(client.get(f"/api/v1/unis/accounts/{bound}", headers=operator), 404, "account_not_found")
    records = client.get(f"/api/v1/unis/login-records?account_id={bound}&before={bound}", headers=auditor)
    assert records.status_code == 200 and records.get_json()["records"] == []
