"""EDS-21, PD-22: an operator token past its expiry or revoked is a 401 problem with a stable code
(``token_expired`` / ``token_revoked``), and the refusal is audited."""

from __future__ import annotations

import datetime as dt

from ca_sim.operators import Role
from tests.api.conftest import bearer
from tests.api.support import assert_problem

RECORDS = "/api/v1/unis/login-records"


def test_eds21_an_expired_operator_token_is_401_token_expired(client, services, clock):
    issued_at = clock.at - dt.timedelta(days=2)
    _, token = services.operators.add(
        "api-expired", Role.AUDITOR, [], issued_at, "tests", dt.timedelta(days=1)
    )
    before = services.audit.entries(limit=1_000_000)[-1].seq
    problem = assert_problem(client.get(RECORDS, headers=bearer(token)), 401, "token_expired")
    assert token not in str(problem)
    refusals = [e for e in services.audit.entries(after_seq=before, limit=10) if e.action == "authenticate"]
    assert refusals and refusals[-1].details == {"code": "token_expired"}


def test_eds21_a_revoked_operator_token_is_401_token_revoked(client, services, clock):
    _, token = services.operators.add("api-revoked", Role.AUDITOR, [], clock.at, "tests")
    assert client.get(RECORDS, headers=bearer(token)).status_code == 200
    token_id = next(i.id for i in reversed(services.operators.tokens()) if i.operator == "api-revoked")
    services.operators.revoke_token(token_id, clock.at, "tests")
    assert_problem(client.get(RECORDS, headers=bearer(token)), 401, "token_revoked")
