"""Reading UNIS login records as every edge does (the JSON API and the console), audited per person
(PD-22, PD-24): one ``unis_read_login_records`` entry when the records returned belong to one person (or
none, or the account asked for names its owner), one entry per person otherwise, each with that person as
its subject, so everyone whose records were read is shown the read. The caller has authorised
``read_audit``; the actor is :func:`api.auth.current_operator`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from api.auth import SUBJECT, audited, current_operator, services
from api.subject_access import login_record_subjects
from ca_sim.audit import Outcome
from unis.records import LoginRecord

ACTION = "unis_read_login_records"
TARGET = "unis_login_records"


def read(
    *,
    challenge_id: str | None = None,
    account_id: int | None = None,
    serial: str | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[LoginRecord]:
    """The records matching every given filter, newest first (``LoginRecords.find``), the read audited."""
    ctx = services()
    filters = {"challenge_id": challenge_id, "account_id": account_id, "serial": serial}
    with audited(ACTION, TARGET, filters) as facts:
        records = ctx.login_records.find(
            challenge_id=challenge_id,
            account_id=account_id,
            certificate_serial=serial,
            before_id=before_id,
            limit=limit,
        )
        facts["records"] = len(records)
        subjects = login_record_subjects(ctx, records)
        if account_id is not None and not subjects:  # a read about that account's owner all the same
            owner = ctx.accounts.find_by_id(account_id)
            if owner is not None:
                subjects[owner.iin] = 0
        facts["subjects"] = len(subjects)
        if len(subjects) == 1:
            facts[SUBJECT] = next(iter(subjects))
    if len(subjects) > 1:
        _audit_each_subject(subjects, filters)
    return records


def _audit_each_subject(subjects: Counter[str], filters: dict[str, Any]) -> None:
    """One audit entry per person whose login records a read returned, in one transaction."""
    ctx = services()
    at = ctx.clock()
    actor = current_operator().name
    with ctx.sessionmaker.begin() as session:
        for iin, count in sorted(subjects.items()):
            details = {**filters, "records": count}
            ctx.audit.record_in(session, actor, ACTION, TARGET, Outcome.SUCCESS, details, at, subject=iin)
