"""UNIS accounts: creation (UNIS-4), suspension (UNIS-5-1), blocks (UNIS-5/6, UNIS-12), termination."""

from __future__ import annotations

import datetime as dt

import pytest

from pki.errors import Conflict, InvalidInput, NotFound
from pki.iin import Sex, make_iin
from tests.unis.conftest import T0
from unis import accounts as a

IIN = make_iin(dt.date(1980, 5, 17), Sex.FEMALE, 1234)


def _create(sm, iin: str = IIN, role: a.Role = a.Role.NOTARY) -> a.Account:
    return a.Accounts(sm).create(iin=iin, role=role, chamber="Almaty city", at=T0, actor="op1")


def test_unis4_account_is_created_active_and_found_by_iin(sm):
    account = _create(sm)
    assert account.status_at(T0) is a.AccountStatus.ACTIVE
    found = a.Accounts(sm).find_by_iin(IIN)
    assert found == account
    assert a.Accounts(sm).find_by_iin(make_iin(dt.date(1980, 5, 17), Sex.MALE, 99)) is None


def test_unis4_one_account_per_iin(sm):
    _create(sm)
    with pytest.raises(Conflict) as caught:
        _create(sm, role=a.Role.CHAMBER_EMPLOYEE)
    assert caught.value.code == "account_exists"


def test_unis4_refuses_an_iin_with_a_bad_checksum(sm):
    bad = IIN[:11] + str((int(IIN[11]) + 1) % 10)
    with pytest.raises(InvalidInput) as caught:
        _create(sm, iin=bad)
    assert caught.value.code == "invalid_iin"


def test_nca_test_identity_accepted_only_when_allowed(sm):
    with pytest.raises(InvalidInput):
        _create(sm, iin="123456789011")
    account = a.Accounts(sm).create(
        iin="123456789011", role=a.Role.NOTARY, chamber="x", at=T0, actor="op", allow_test_identities=True
    )
    assert account.iin_masked == "********9011"


def test_account_views_mask_the_iin(sm):
    shown = _create(sm).to_json(T0)
    assert IIN not in str(shown)
    assert shown["iin_masked"] == "********" + IIN[-4:]


def test_unis5_1_suspension_is_temporary_and_lapses_at_its_end_date(sm):
    account = _create(sm)
    until = T0 + dt.timedelta(days=10)
    suspended = a.Accounts(sm).suspend(
        account.account_id, reason=a.SuspensionReason.LEAVE, until=until, at=T0, actor="op1"
    )
    assert suspended.status_at(T0) is a.AccountStatus.SUSPENDED
    assert suspended.to_json(T0)["temporary"] is True
    assert suspended.status_at(until - dt.timedelta(seconds=1)) is a.AccountStatus.SUSPENDED
    assert suspended.status_at(until) is a.AccountStatus.ACTIVE


def test_unis5_1_resume_ends_a_suspension_early(sm):
    account = _create(sm)
    a.Accounts(sm).suspend(
        account.account_id, reason=a.SuspensionReason.LICENCE_SUSPENDED, until=None, at=T0, actor="op1"
    )
    resumed = a.Accounts(sm).resume(account.account_id, at=T0 + dt.timedelta(hours=1), actor="op1")
    assert resumed.status is a.AccountStatus.ACTIVE
    with pytest.raises(Conflict):
        a.Accounts(sm).resume(account.account_id, at=T0 + dt.timedelta(hours=2), actor="op1")


def test_suspension_end_must_be_in_the_future(sm):
    account = _create(sm)
    with pytest.raises(InvalidInput) as caught:
        a.Accounts(sm).suspend(
            account.account_id, reason=a.SuspensionReason.LEAVE, until=T0, at=T0, actor="op"
        )
    assert caught.value.code == "invalid_suspension_end"


def test_unis12_block_until_an_operator_lifts_it(sm):
    account = _create(sm)
    blocked = a.Accounts(sm).block(
        account.account_id, reason=a.BlockReason.EDS_NOT_REISSUED, at=T0, actor="unis-login"
    )
    assert blocked.status_at(T0 + dt.timedelta(days=365)) is a.AccountStatus.BLOCKED
    assert blocked.status_reason == "eds_not_reissued"
    with pytest.raises(Conflict):
        a.Accounts(sm).suspend(
            account.account_id, reason=a.SuspensionReason.LEAVE, until=None, at=T0, actor="op"
        )
    lifted = a.Accounts(sm).lift_block(account.account_id, at=T0 + dt.timedelta(days=1), actor="op1")
    assert lifted.status is a.AccountStatus.ACTIVE
    actions = [e.action for e in a.Accounts(sm).history(account.account_id)]
    assert actions == ["created", "blocked", "block_lifted"]


def test_unis5_6_termination_is_final(sm):
    account = _create(sm)
    a.Accounts(sm).terminate(account.account_id, reason=a.TerminationReason.DISMISSED, at=T0, actor="op1")
    for change in (
        lambda: a.Accounts(sm).lift_block(account.account_id, at=T0, actor="op"),
        lambda: a.Accounts(sm).resume(account.account_id, at=T0, actor="op"),
        lambda: a.Accounts(sm).block(
            account.account_id, reason=a.BlockReason.CHAMBER_DECISION, at=T0, actor="op"
        ),
        lambda: a.Accounts(sm).terminate(
            account.account_id, reason=a.TerminationReason.DISMISSED, at=T0, actor="op"
        ),
    ):
        with pytest.raises(Conflict) as caught:
            change()
        assert caught.value.code == "account_status_conflict"
    assert a.Accounts(sm).get(account.account_id).status is a.AccountStatus.TERMINATED


def test_unknown_account_is_not_found(sm):
    with pytest.raises(NotFound) as caught:
        a.Accounts(sm).get(4242)
    assert caught.value.code == "account_not_found"
    with pytest.raises(NotFound):
        a.Accounts(sm).block(4242, reason=a.BlockReason.CHAMBER_DECISION, at=T0, actor="op")


def test_import_with_a_status_needs_a_matching_reason(sm):
    with pytest.raises(InvalidInput) as caught:
        a.Accounts(sm).create(
            iin=IIN, role=a.Role.NOTARY, chamber="x", at=T0, actor="op",
            status=a.AccountStatus.BLOCKED, status_reason="leave",
        )  # fmt: skip
    assert caught.value.code == "invalid_account_reason"
    assert a.Accounts(sm).find_by_iin(IIN) is None
    account = a.Accounts(sm).create(
        iin=IIN, role=a.Role.NOTARY, chamber="x", at=T0, actor="op",
        status=a.AccountStatus.SUSPENDED, status_reason="leave",
    )  # fmt: skip
    assert account.status_at(T0) is a.AccountStatus.SUSPENDED


def test_block_in_session_is_idempotent(sm):
    account = _create(sm)
    with sm.begin() as session:
        blocked = a.Accounts.block_in(session, account, a.BlockReason.EDS_NOT_REISSUED, T0, "login")
    assert blocked is not None and blocked.status is a.AccountStatus.BLOCKED
    assert a.Accounts(sm).get(account.account_id) == blocked
    with sm.begin() as session:
        assert a.Accounts.block_in(session, account, a.BlockReason.EDS_NOT_REISSUED, T0, "login") is None
    assert [e.action for e in a.Accounts(sm).history(account.account_id)] == ["created", "blocked"]


def test_list_accounts_pages_by_id(sm):
    created = [_create(sm, iin=make_iin(dt.date(1970, 1, 1 + i), Sex.MALE, 10 + i)) for i in range(3)]
    first = a.Accounts(sm).page(limit=2)
    rest = a.Accounts(sm).page(after_id=first[-1].account_id, limit=2)
    assert [x.account_id for x in first + rest] == [c.account_id for c in created]
