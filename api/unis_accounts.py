"""UNIS account reads and changes as every edge makes them (the JSON API and the console): the domain call
(``unis.accounts.Accounts``) inside :func:`api.auth.audited`, with the owner as the entry's subject (PD-22,
PD-24: the owner is shown who read or changed their account). The caller has authorised
``manage_unis_accounts``; the actor is :func:`api.auth.current_operator`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from api.auth import SUBJECT, audited, current_operator, services
from pki.errors import ErrorCode, NotFound
from unis.accounts import (
    Account,
    AccountEvent,
    Accounts,
    BlockReason,
    Role,
    SuspensionReason,
    TerminationReason,
)


def create(iin: str, role: Role, chamber: str) -> Account:
    """UNIS-4: a new active account, audited ``unis_create_account``. Raises what ``Accounts.create`` does."""
    ctx = services()
    with audited("unis_create_account", f"iin:{iin}", {"role": role.value}, subject=iin):
        return ctx.accounts.create(
            iin=iin,
            role=role,
            chamber=chamber,
            at=ctx.clock(),
            actor=current_operator().name,
            allow_test_identities=ctx.settings.test_pki,
        )


def lookup(iin: str) -> Account:
    """The account of ``iin``, audited ``unis_lookup_account`` (a read of owner data). Raises NotFound
    ``account_not_found``."""
    with audited("unis_lookup_account", f"iin:{iin}", subject=iin):
        account = services().accounts.find_by_iin(iin)
        if account is None:
            raise NotFound(ErrorCode.ACCOUNT_NOT_FOUND, "no UNIS account for this IIN")
    return account


def read(account_id: int) -> tuple[Account, list[AccountEvent]]:
    """The account and its history, audited ``unis_read_account``. Raises NotFound ``account_not_found``."""
    ctx = services()
    with audited("unis_read_account", f"unis_account:{account_id}") as facts:
        account = ctx.accounts.get(account_id)
        facts[SUBJECT] = account.iin
        return account, ctx.accounts.history(account_id)


def _changed(
    action: str,
    account_id: int,
    change: Callable[[Accounts, dt.datetime, str], Account],
    details: dict[str, Any] | None = None,
) -> Account:
    ctx = services()
    with audited(action, f"unis_account:{account_id}", details) as facts:
        account = change(ctx.accounts, ctx.clock(), current_operator().name)
        facts[SUBJECT] = account.iin
    return account


def suspend(account_id: int, reason: SuspensionReason, until: dt.datetime | None) -> Account:
    """UNIS-5-1: suspend on a temporary ground until ``until`` (exclusive; None: until resumed)."""
    return _changed(
        "unis_suspend_account",
        account_id,
        lambda accounts, at, actor: accounts.suspend(
            account_id, reason=reason, until=until, at=at, actor=actor
        ),
        {"reason": reason.value},
    )


def resume(account_id: int) -> Account:
    """UNIS-5-1: end a suspension early."""
    return _changed(
        "unis_resume_account",
        account_id,
        lambda accounts, at, actor: accounts.resume(account_id, at=at, actor=actor),
    )


def block(account_id: int, reason: BlockReason) -> Account:
    """UNIS-5/6: block until an operator lifts it."""
    return _changed(
        "unis_block_account",
        account_id,
        lambda accounts, at, actor: accounts.block(account_id, reason=reason, at=at, actor=actor),
        {"reason": reason.value},
    )


def unblock(account_id: int) -> Account:
    """Lift a block (UNIS-12's automatic one once the user has a new certificate)."""
    return _changed(
        "unis_unblock_account",
        account_id,
        lambda accounts, at, actor: accounts.lift_block(account_id, at=at, actor=actor),
    )


def terminate(account_id: int, reason: TerminationReason) -> Account:
    """UNIS-5/6: end access for good."""
    return _changed(
        "unis_terminate_account",
        account_id,
        lambda accounts, at, actor: accounts.terminate(account_id, reason=reason, at=at, actor=actor),
        {"reason": reason.value},
    )
