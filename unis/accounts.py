"""UNIS accounts (UNIS-4, 5, 5-1, 6, 12): who may log in, and the life of an account.

An account is created for an IIN with a role and a territorial chamber (UNIS-4). It can be
suspended temporarily with a reason and an optional end date (licence suspension, leave:
UNIS-5-1), resumed, blocked (chamber decision, suspected misuse, or automatically when the EDS
was not reissued: UNIS-12) and unblocked by an operator, or terminated for good (UNIS-5/6).
Every change is kept as an :class:`AccountEvent`. Accounts are addressed by their opaque
``account_id`` so that an IIN never lands in a URL or an access log; the full IIN is stored
(logins match on it) but every view of an account shows it masked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ForeignKey, Integer, String, Table, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pki.calendar import iso_time
from pki.errors import Conflict, ErrorCode, InvalidInput, NotFound
from pki.iin import is_nca_test_identity, mask, parse_iin
from storage import Prepared, core
from unis.db import Base, UtcDateTime


class Role(StrEnum):
    """Who the account belongs to (UNIS-4: created by the chamber, or the authorised body for staff)."""

    NOTARY = "notary"
    CHAMBER_EMPLOYEE = "chamber_employee"
    JUSTICE_EMPLOYEE = "justice_employee"


class AccountStatus(StrEnum):
    """The stored status. A suspension past its end date counts as active (:meth:`Account.status_at`)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"  # UNIS-5-1: temporary
    BLOCKED = "blocked"  # UNIS-5/6, UNIS-12: until an operator lifts it
    TERMINATED = "terminated"  # UNIS-5/6: access has ended for good


class SuspensionReason(StrEnum):
    """UNIS-5-1 (2025 rules): temporary blocks."""

    LICENCE_SUSPENDED = "licence_suspended"
    LEAVE = "leave"
    SICK_LEAVE = "sick_leave"
    PARENTAL_LEAVE = "parental_leave"


class BlockReason(StrEnum):
    """Blocks an operator can lift."""

    EDS_NOT_REISSUED = "eds_not_reissued"  # UNIS-12, set automatically by a login
    SUSPECTED_MISUSE = "suspected_misuse"  # UNIS-9/10: someone else's account or EDS
    CHAMBER_DECISION = "chamber_decision"  # UNIS-5/6: pending exclusion or licence proceedings


class TerminationReason(StrEnum):
    """UNIS-5/6: access ends."""

    LEFT_CHAMBER = "left_chamber"
    EXCLUDED_FROM_CHAMBER = "excluded_from_chamber"
    LICENCE_TERMINATED = "licence_terminated"
    DISMISSED = "dismissed"


class AccountRow(Base):
    __tablename__ = "unis_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iin: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(32))
    chamber: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(String(64))
    suspended_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AccountEventRow(Base):
    __tablename__ = "unis_account_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("unis_accounts.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(64))
    until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))


_BY_IIN = Prepared(
    select(AccountRow.__table__).where(AccountRow.__table__.c.iin == bindparam("iin"))
)  # the login's lookup, once per login: run on the driver (storage.prepared)


@dataclass(frozen=True)
class Account:
    """A read-only view of an account. ``iin`` is the full IIN: never log it, show :attr:`iin_masked`."""

    account_id: int
    iin: str
    role: Role
    chamber: str
    status: AccountStatus
    status_reason: str | None
    suspended_until: dt.datetime | None
    status_changed_at: dt.datetime
    created_at: dt.datetime

    @property
    def iin_masked(self) -> str:
        return mask(self.iin)

    def status_at(self, at: dt.datetime) -> AccountStatus:
        """The status in force at ``at``: a suspension whose end date has passed counts as active."""
        if (
            self.status is AccountStatus.SUSPENDED
            and self.suspended_until is not None
            and self.suspended_until <= at
        ):
            return AccountStatus.ACTIVE
        return self.status

    def to_json(self, at: dt.datetime) -> dict[str, Any]:
        """The account as shown by the API and in login decisions (IIN masked)."""
        status = self.status_at(at)
        return {
            "account_id": self.account_id,
            "iin_masked": self.iin_masked,
            "role": self.role.value,
            "chamber": self.chamber,
            "status": status.value,
            "status_reason": None if status is AccountStatus.ACTIVE else self.status_reason,
            "suspended_until": iso_time(self.suspended_until) if status is AccountStatus.SUSPENDED else None,
            "temporary": status is AccountStatus.SUSPENDED,
            "status_changed_at": iso_time(self.status_changed_at),
            "created_at": iso_time(self.created_at),
        }


@dataclass(frozen=True)
class AccountEvent:
    """One change in an account's life, for reconstruction (who did what, when, why)."""

    at: dt.datetime
    action: str
    reason: str | None
    until: dt.datetime | None
    actor: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": iso_time(self.at),
            "action": self.action,
            "reason": self.reason,
            "until": iso_time(self.until),
            "actor": self.actor,
        }


class Accounts:
    """The UNIS accounts over ``sm`` (UNIS-4, UNIS-5): every read and change of them, each in a
    transaction of its own, and the two a login does inside its one transaction (:meth:`find_in`,
    :meth:`block_in`)."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def create(
        self,
        *,
        iin: str,
        role: Role,
        chamber: str,
        at: dt.datetime,
        actor: str,
        status: AccountStatus = AccountStatus.ACTIVE,
        status_reason: str | None = None,
        allow_test_identities: bool = False,
    ) -> Account:
        """Create an account for ``iin`` (UNIS-4), active unless ``status`` says otherwise.

        A non-active initial status (used when importing accounts) needs a ``status_reason`` valid for it.
        The IIN must pass its checksum; ``allow_test_identities`` also admits the NCA's published test
        identities (test-PKI mode). Raises :class:`InvalidInput` (``invalid_iin``, ``invalid_chamber``,
        ``invalid_account_reason``) or :class:`Conflict` (``account_exists``).
        """
        if not (allow_test_identities and is_nca_test_identity(iin)):
            parse_iin(iin)
        chamber = chamber.strip()
        if not chamber or len(chamber) > 200:
            raise InvalidInput(ErrorCode.INVALID_CHAMBER, "chamber must be 1-200 characters", field="chamber")
        if status is not AccountStatus.ACTIVE:
            _check_reason(status, status_reason)
        try:
            with self._sm.begin() as session:
                row = AccountRow(
                    iin=iin,
                    role=role.value,
                    chamber=chamber,
                    status=status.value,
                    status_reason=status_reason if status is not AccountStatus.ACTIVE else None,
                    suspended_until=None,
                    status_changed_at=at,
                    created_at=at,
                )
                session.add(row)
                session.flush()
                session.add(
                    AccountEventRow(
                        account_id=row.id, at=at, action="created", reason=None, until=None, actor=actor
                    )
                )
                if status is not AccountStatus.ACTIVE:
                    session.add(_event(row.id, _ACTION_FOR[status], status_reason, None, at, actor))
                return _view(row)
        except IntegrityError:
            raise Conflict(ErrorCode.ACCOUNT_EXISTS, "an account for this IIN already exists") from None

    def get(self, account_id: int) -> Account:
        """The account ``account_id``. Raises :class:`NotFound` (``account_not_found``)."""
        with self._sm() as session:
            return _view(_load(session, account_id))

    def find_by_id(self, account_id: int) -> Account | None:
        """The account ``account_id``, or None."""
        with self._sm() as session:
            row = session.get(AccountRow, account_id)
            return None if row is None else _view(row)

    def iins_by_id(self, account_ids: Iterable[int]) -> dict[int, str]:
        """The owner's IIN of each of ``account_ids`` that exists (one query; for PD-22 audit subjects)."""
        wanted = sorted(set(account_ids))
        if not wanted:
            return {}
        with self._sm() as session:
            rows = session.execute(select(AccountRow.id, AccountRow.iin).where(AccountRow.id.in_(wanted)))
            return {account_id: iin for account_id, iin in rows}

    def find_by_iin(self, iin: str) -> Account | None:
        """The account for ``iin``, or None (UNIS-4: no account, no access)."""
        with self._sm() as session:
            return self.find_in(session, iin)

    @staticmethod
    def find_in(db: Session | Connection, iin: str) -> Account | None:
        """The account for ``iin`` as the caller's transaction (``db``: its Session or Connection) sees
        it, or None (one indexed Core query)."""
        row = _BY_IIN.first(core(db), {"iin": iin})  # iin is the table's unique key
        return None if row is None else _view(row)

    def page(
        self, *, status: AccountStatus | None = None, after_id: int = 0, limit: int = 100
    ) -> list[Account]:
        """Accounts in id order after ``after_id`` (keyset pagination), optionally by stored status."""
        query = select(AccountRow).where(AccountRow.id > after_id).order_by(AccountRow.id).limit(limit)
        if status is not None:
            query = query.where(AccountRow.status == status.value)
        with self._sm() as session:
            return [_view(row) for row in session.scalars(query)]

    def history(self, account_id: int) -> list[AccountEvent]:
        """Every change of ``account_id`` in time order. Raises :class:`NotFound` (``account_not_found``)."""
        with self._sm() as session:
            _load(session, account_id)
            rows = session.scalars(
                select(AccountEventRow)
                .where(AccountEventRow.account_id == account_id)
                .order_by(AccountEventRow.id)
            )
            return [AccountEvent(r.at, r.action, r.reason, r.until, r.actor) for r in rows]

    def suspend(
        self,
        account_id: int,
        *,
        reason: SuspensionReason,
        until: dt.datetime | None,
        at: dt.datetime,
        actor: str,
    ) -> Account:
        """Suspend temporarily (UNIS-5-1) until ``until`` (exclusive; None: until resumed).

        Allowed from active or suspended (the end date is replaced). Raises :class:`InvalidInput`
        (``invalid_suspension_end`` when ``until`` is not after ``at``), :class:`NotFound`, :class:`Conflict`.
        """
        if until is not None and until <= at:
            raise InvalidInput(
                ErrorCode.INVALID_SUSPENSION_END, "the suspension end must be in the future", field="until"
            )
        return self._transition(
            account_id, AccountStatus.SUSPENDED, reason.value, until, at, actor,
            allowed_from={AccountStatus.ACTIVE, AccountStatus.SUSPENDED},
        )  # fmt: skip

    def resume(self, account_id: int, *, at: dt.datetime, actor: str) -> Account:
        """End a suspension early (UNIS-5-1). Raises :class:`Conflict` unless the account is suspended."""
        return self._transition(
            account_id, AccountStatus.ACTIVE, None, None, at, actor, allowed_from={AccountStatus.SUSPENDED}
        )

    def block(self, account_id: int, *, reason: BlockReason, at: dt.datetime, actor: str) -> Account:
        """Block until an operator lifts it (UNIS-5/6, UNIS-12). Allowed from active or suspended."""
        return self._transition(
            account_id, AccountStatus.BLOCKED, reason.value, None, at, actor,
            allowed_from={AccountStatus.ACTIVE, AccountStatus.SUSPENDED},
        )  # fmt: skip

    def lift_block(self, account_id: int, *, at: dt.datetime, actor: str) -> Account:
        """Lift a block (UNIS-12: the user has a new certificate). Raises :class:`Conflict` if not blocked."""
        return self._transition(
            account_id, AccountStatus.ACTIVE, None, None, at, actor, allowed_from={AccountStatus.BLOCKED}
        )

    def terminate(
        self, account_id: int, *, reason: TerminationReason, at: dt.datetime, actor: str
    ) -> Account:
        """End access for good (UNIS-5/6). Allowed from any status but terminated."""
        return self._transition(
            account_id, AccountStatus.TERMINATED, reason.value, None, at, actor,
            allowed_from={AccountStatus.ACTIVE, AccountStatus.SUSPENDED, AccountStatus.BLOCKED},
        )  # fmt: skip

    @staticmethod
    def block_in(
        db: Session | Connection, account: Account, reason: BlockReason, at: dt.datetime, actor: str
    ) -> Account | None:
        """Block ``account`` inside the caller's transaction (``db``: its Session or Connection) if it is
        still active or suspended.

        Used by the login decision for the automatic UNIS-12 block, on the account it has just read in the
        same transaction: one conditional UPDATE (the status is re-checked by the database, so concurrent
        logins block once) and the event. Returns the account as blocked, or None when it was already
        blocked or terminated (left as it is).
        """
        table = cast(Table, AccountRow.__table__)
        connection = core(db)
        changed = connection.execute(
            update(table)
            .where(
                table.c.id == account.account_id,
                table.c.status.in_([AccountStatus.ACTIVE.value, AccountStatus.SUSPENDED.value]),
            )
            .values(status=AccountStatus.BLOCKED.value, status_reason=reason.value, suspended_until=None,
                    status_changed_at=at)
        )  # fmt: skip
        if getattr(changed, "rowcount", 0) != 1:
            return None
        connection.execute(
            insert(cast(Table, AccountEventRow.__table__)),
            {
                "account_id": account.account_id,
                "at": at,
                "action": _ACTION_FOR[AccountStatus.BLOCKED],
                "reason": reason.value,
                "until": None,
                "actor": actor,
            },
        )
        return dataclasses.replace(
            account,
            status=AccountStatus.BLOCKED,
            status_reason=reason.value,
            suspended_until=None,
            status_changed_at=at,
        )

    def _transition(
        self,
        account_id: int,
        new_status: AccountStatus,
        reason: str | None,
        until: dt.datetime | None,
        at: dt.datetime,
        actor: str,
        *,
        allowed_from: set[AccountStatus],
    ) -> Account:
        with self._sm.begin() as session:
            row = _load(session, account_id, for_update=True)
            current = _view(row).status_at(at)
            if current not in allowed_from:
                raise Conflict(
                    ErrorCode.ACCOUNT_STATUS_CONFLICT,
                    f"cannot move an account that is {current.value} to {new_status.value}",
                    current_status=current.value,
                )
            _apply(session, row, new_status, reason, until, at, actor)
            return _view(row)


_ACTION_FOR = {
    AccountStatus.ACTIVE: "activated",
    AccountStatus.SUSPENDED: "suspended",
    AccountStatus.BLOCKED: "blocked",
    AccountStatus.TERMINATED: "terminated",
}

_REASONS_FOR: dict[AccountStatus, type[StrEnum]] = {
    AccountStatus.SUSPENDED: SuspensionReason,
    AccountStatus.BLOCKED: BlockReason,
    AccountStatus.TERMINATED: TerminationReason,
}


def _check_reason(status: AccountStatus, reason: str | None) -> None:
    allowed = _REASONS_FOR[status]
    if reason not in {r.value for r in allowed}:
        raise InvalidInput(
            ErrorCode.INVALID_ACCOUNT_REASON,
            f"a {status.value} account needs a reason, one of: {', '.join(r.value for r in allowed)}",
            field="reason",
        )


def _apply(
    session: Session,
    row: AccountRow,
    new_status: AccountStatus,
    reason: str | None,
    until: dt.datetime | None,
    at: dt.datetime,
    actor: str,
) -> None:
    previous = AccountStatus(row.status)
    row.status = new_status.value
    row.status_reason = reason
    row.suspended_until = until
    row.status_changed_at = at
    action = _ACTION_FOR[new_status]
    if new_status is AccountStatus.ACTIVE:
        action = "block_lifted" if previous is AccountStatus.BLOCKED else "resumed"
    session.add(_event(row.id, action, reason, until, at, actor))


def _event(
    account_id: int, action: str, reason: str | None, until: dt.datetime | None, at: dt.datetime, actor: str
) -> AccountEventRow:
    return AccountEventRow(
        account_id=account_id, at=at, action=action, reason=reason, until=until, actor=actor
    )


def _load(session: Session, account_id: int, *, for_update: bool = False) -> AccountRow:
    """The row of ``account_id``; with ``for_update``, write-locked until the transaction ends.

    The lock is a no-op UPDATE issued first, which takes SQLite's write lock and PostgreSQL's row lock,
    so a read-check-write of the status is atomic on both. Raises :class:`NotFound` (``account_not_found``).
    """
    if for_update:
        session.execute(
            update(AccountRow)
            .where(AccountRow.id == account_id)
            .values(status=AccountRow.status)
            .execution_options(synchronize_session=False)
        )
    statement = (
        select(AccountRow).where(AccountRow.id == account_id).execution_options(populate_existing=True)
    )
    row = session.scalars(statement).one_or_none()
    if row is None:
        raise NotFound(ErrorCode.ACCOUNT_NOT_FOUND, f"no UNIS account with id {account_id}")
    return row


def _view(row: Any) -> Account:  # an AccountRow, or a row of its table's columns
    return Account(
        account_id=row.id,
        iin=row.iin,
        role=Role(row.role),
        chamber=row.chamber,
        status=AccountStatus(row.status),
        status_reason=row.status_reason,
        suspended_until=row.suspended_until,
        status_changed_at=row.status_changed_at,
        created_at=row.created_at,
    )
