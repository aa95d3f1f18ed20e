"""Operator accounts: tokens stored hashed, authentication, the role/scope matrix, refusals audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.operator_tokens import DEFAULT_TOKEN_LIFETIME, OperatorToken, TokenStatus, hash_token
from ca_sim.operators import (
    ROLE_PERMISSIONS,
    Action,
    Operator,
    OperatorDirectory,
    Role,
    refusal_code,
)
from pki.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from tests.databases import database_url

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[sessionmaker[Session], AuditLog, OperatorDirectory]]:
    """A fresh database made by the migrations, its audit log and operators (test mode: testers exist)."""
    sm = open_database(database_url(tmp_path / "ops.db"))
    audit = AuditLog(sm, derive_head_key(b"k"))
    yield sm, audit, OperatorDirectory(sm, audit, test_mode=True)  # see the production tests
    dispose(sm)


def test_token_is_shown_once_and_stored_hashed(env) -> None:
    sm, _audit, ops = env
    operator, token = ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap")
    assert operator == Operator("alice", Role.OPERATOR, frozenset({"nca"}))
    assert len(token) >= 43
    with sm() as s:
        row = s.scalars(select(OperatorToken)).one()
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert row.expires_at == T0 + DEFAULT_TOKEN_LIFETIME
    assert ops.authenticate(token, T0) == operator


def test_eds21_an_expired_token_is_refused_token_expired_and_audited(env) -> None:
    _sm, audit, ops = env
    _op, token = ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap", dt.timedelta(days=7))
    assert ops.authenticate(token, T0 + dt.timedelta(days=7) - dt.timedelta(microseconds=1)).name == "alice"
    with pytest.raises(Unauthenticated) as info:
        ops.authenticate(token, T0 + dt.timedelta(days=7))
    assert info.value.code == "token_expired"
    last = audit.entries()[-1]
    assert (last.action, last.outcome, last.details) == ("authenticate", "refused", {"code": "token_expired"})


def test_eds21_a_revoked_token_is_refused_at_once_and_the_revocation_audited(env) -> None:
    _sm, audit, ops = env
    _op, first = ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap")
    second = ops.issue_token("alice", T0, "so")
    first_id, second_id = (info.id for info in ops.tokens())
    revoked = ops.revoke_token(first_id, T0, "so")
    assert revoked.status(T0) is TokenStatus.REVOKED
    entry = audit.entries()[-1]
    assert (entry.actor, entry.action, entry.target, entry.details) == (
        "so",
        "revoke_operator_token",
        "alice",
        {"token_id": first_id},
    )
    with pytest.raises(Unauthenticated) as info:
        ops.authenticate(first, T0)
    assert info.value.code == "token_revoked"
    assert ops.authenticate(second, T0).name == "alice"  # the other token of the account still works
    with pytest.raises(Conflict) as again:
        ops.revoke_token(first_id, T0, "so")
    assert again.value.code == "token_revoked"
    with pytest.raises(NotFound) as unknown:
        ops.revoke_token(second_id + 100, T0, "so")
    assert unknown.value.code == "unknown_token"


def test_eds21_token_list_shows_status_and_no_secret(env) -> None:
    _sm, _audit, ops = env
    _op, token = ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap", dt.timedelta(days=1))
    ops.add("bob", Role.AUDITOR, [], T0, "bootstrap")
    ops.disable("bob", T0, "so")
    listed = ops.tokens()
    assert [(i.operator, i.status(T0)) for i in listed] == [
        ("alice", TokenStatus.ACTIVE),
        ("bob", TokenStatus.DISABLED),
    ]
    assert listed[0].status(T0 + dt.timedelta(days=1)) is TokenStatus.EXPIRED
    assert token not in repr(listed) and hash_token(token) not in repr(listed)


def test_eds21_one_token_is_read_by_its_id_without_its_secret(env) -> None:
    _sm, _audit, ops = env
    _op, token = ops.add("carol", Role.OPERATOR, ["gov"], T0, "bootstrap")
    listed = ops.tokens()[-1]
    assert ops.token(listed.id) == listed and token not in repr(listed)
    with pytest.raises(NotFound) as missing:
        ops.token(listed.id + 1000)
    assert missing.value.code == "unknown_token"


@pytest.mark.parametrize("days", [0, 367])
def test_eds21_a_token_lifetime_out_of_range_is_refused(env, days) -> None:
    _sm, _audit, ops = env
    with pytest.raises(InvalidInput) as info:
        ops.add("alice", Role.AUDITOR, [], T0, "bootstrap", dt.timedelta(days=days))
    assert info.value.data["field"] == "lifetime"


def test_tokens_are_unique(env) -> None:
    _sm, _audit, ops = env
    tokens = {ops.add(f"tester{i}", Role.TESTER, [], T0, "bootstrap")[1] for i in range(5)}
    assert len(tokens) == 5


@pytest.mark.parametrize(
    ("token", "code"), [(None, "missing_token"), ("", "missing_token"), ("x" * 43, "invalid_token")]
)
def test_missing_or_wrong_token_is_unauthenticated_and_audited(env, token, code) -> None:
    _sm, audit, ops = env
    ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap")
    with pytest.raises(Unauthenticated) as info:
        ops.authenticate(token, T0)
    assert info.value.code == code
    last = audit.entries(limit=10)[-1]
    assert (last.action, last.outcome, last.details) == ("authenticate", "refused", {"code": code})


def test_disabled_operator_cannot_authenticate(env) -> None:
    _sm, _audit, ops = env
    _op, token = ops.add("alice", Role.OPERATOR, ["nca"], T0, "bootstrap")
    ops.disable("alice", T0, "so")
    with pytest.raises(Unauthenticated):
        ops.authenticate(token, T0)
    with pytest.raises(NotFound):
        ops.disable("bob", T0, "so")


def test_duplicate_name_conflicts(env) -> None:
    _sm, _audit, ops = env
    ops.add("alice", Role.AUDITOR, [], T0, "bootstrap")
    with pytest.raises(Conflict):
        ops.add("alice", Role.AUDITOR, [], T0, "bootstrap")


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.OPERATOR, []), (Role.AUDITOR, ["nca"]), ("wizard", []), (Role.OPERATOR, ["NCA!"])],
)
def test_invalid_scope_or_role_is_refused(env, role, scope) -> None:
    _sm, _audit, ops = env
    with pytest.raises(InvalidInput):
        ops.add("alice", role, scope, T0, "bootstrap")


def test_eds18_gov_operator_cannot_revoke_nca_certificate(env) -> None:
    _sm, audit, ops = env
    gov, _ = ops.add("gov-op", Role.OPERATOR, ["gov"], T0, "bootstrap")
    ops.authorize(gov, Action.REVOKE, T0, ca_id="gov")
    with pytest.raises(Forbidden) as info:
        ops.authorize(gov, Action.REVOKE, T0, ca_id="nca")
    assert info.value.code == "ca_out_of_scope"
    last = audit.entries(limit=10)[-1]
    assert (last.actor, last.action, last.target, last.outcome) == ("gov-op", "revoke", "nca", "refused")


def test_tester_cannot_revoke_at_all(env) -> None:
    _sm, _audit, ops = env
    tester, _ = ops.add("tess", Role.TESTER, [], T0, "bootstrap")
    ops.authorize(tester, Action.ISSUE, T0, ca_id="nca")
    for action in (Action.REVOKE, Action.HOLD, Action.RELEASE):
        with pytest.raises(Forbidden) as info:
            ops.authorize(tester, action, T0, ca_id="nca")
        assert info.value.code == "role_forbidden"


_CERTIFICATE_WORK = {Action.ISSUE, Action.REVOKE, Action.HOLD, Action.RELEASE, Action.PUBLISH_CRL}
# The matrix written out independently of ROLE_PERMISSIONS: (role, action) -> CAs where it is allowed.
_EXPECTED_MATRIX: dict[Role, dict[Action, set[str]]] = {
    Role.OPERATOR: {  # scope {gov, nca}
        **{a: {"gov", "nca"} for a in _CERTIFICATE_WORK},
        Action.LOOKUP_OWNER: {"root", "gov", "nca"},
        Action.MANAGE_UNIS_ACCOUNTS: {"root", "gov", "nca"},
    },
    Role.SECURITY_OFFICER: {
        a: {"root", "gov", "nca"}
        for a in (Action.MANAGE_OPERATORS, Action.ARCHIVE, Action.PUBLISH_CRL, Action.READ_AUDIT)
    },
    Role.AUDITOR: {Action.READ_AUDIT: {"root", "gov", "nca"}},
    Role.TESTER: {Action.ISSUE: {"root", "gov", "nca"}},
}


def test_role_scope_matrix() -> None:
    for role, allowed in _EXPECTED_MATRIX.items():
        person = Operator("p", role, frozenset({"gov", "nca"}) if role is Role.OPERATOR else frozenset())
        assert ROLE_PERMISSIONS[role] == frozenset(allowed)
        for action in Action:
            for ca in ("root", "gov", "nca"):
                code = refusal_code(person, action, ca)
                if ca in allowed.get(action, set()):
                    assert code is None, (role, action, ca)
                else:
                    assert code == ("role_forbidden" if action not in allowed else "ca_out_of_scope")
    scoped = Operator("o", Role.OPERATOR, frozenset({"nca"}))
    assert refusal_code(scoped, Action.REVOKE, None) == "ca_out_of_scope"


def test_a_production_directory_creates_no_tester(env) -> None:
    sm, audit, _ops = env
    production = OperatorDirectory(sm, audit)
    with pytest.raises(InvalidInput) as info:
        production.add("tess", Role.TESTER, [], T0, "bootstrap")
    assert info.value.code == "test_mode_only"


def test_a_tester_made_in_test_mode_is_refused_everything_in_production(env) -> None:
    sm, audit, ops = env
    tester, token = ops.add("tess", Role.TESTER, [], T0, "bootstrap")
    production = OperatorDirectory(sm, audit)
    assert production.authenticate(token, T0) == tester
    with pytest.raises(Forbidden) as info:
        production.authorize(tester, Action.ISSUE, T0, ca_id="nca")
    assert info.value.code == "test_mode_only"
    last = audit.entries(limit=10)[-1]
    assert (last.actor, last.action, last.outcome) == ("tess", "issue", "refused")
