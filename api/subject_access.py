"""The subject's right to know what is held about them (personal-data law Art. 24, rules.md PD-24).

Wiring across the domains (ca_sim's register and audit log, unis's accounts and login records), so it
lives in api/: everything kzpki holds about ONE IIN, found by that IIN (or by the account and
certificates that belong to it), never by a masked number that other people share.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from api.services import Services
from ca_sim.audit import Outcome
from pki.calendar import iso_time
from pki.iin import mask
from unis.records import LoginRecord

SUBJECT_ACTOR = "subject"  # who a subject's own request is recorded as


def subject_report(services: Services, iin: str, at: dt.datetime) -> dict[str, Any]:
    """What is held about ``iin`` at ``at``: certificates with status and history, the UNIS account with
    its history, login records, every audit entry about them (who read or changed what, when), and the
    state-body documents about them with their grants and views (DD-9, DD-14).

    The request itself is audited (PD-22) and appears in the next report."""
    entries = services.registry.views.owner_entries(iin, at, SUBJECT_ACTOR)
    certificates = [
        {
            "ca": e.ca_id,
            "serial": e.serial,
            "kind": e.kind,
            "not_before": iso_time(e.not_before),
            "not_after": iso_time(e.not_after),
            "status": e.status.state.value,
            "on_hold": e.status.on_hold,
            "history": [p.to_json() for p in services.registry.views.certificate_history(e.ca_id, e.serial)],
        }
        for e in entries
    ]
    account = services.accounts.find_by_iin(iin)
    account_json = None
    if account is not None:
        history = services.accounts.history(account.account_id)
        account_json = {**account.to_json(at), "history": [h.to_json() for h in history]}
    records = services.login_records.find_owner(
        account_id=None if account is None else account.account_id,
        certificate_serials=[e.serial for e in entries],
    )
    access = [record.to_json() for record in services.audit.entries_about(iin)]
    services.audit.record(
        SUBJECT_ACTOR,
        "subject_access",
        f"iin:{iin}",
        Outcome.SUCCESS,
        {"entries": len(access)},
        at,
        subject=iin,
    )
    return {
        "iin_masked": mask(iin),
        "as_of": iso_time(at),
        "purpose": "EDS certificates (EDS law), UNIS access (UNIS rules), records of access (PD-22), "
        "state-body documents and their sharing (DD-8, DD-9, DD-14)",
        "certificates": certificates,
        "unis_account": account_json,
        "login_records": [r.to_json() for r in records],
        "access_log": access,
        "documents": [o.to_json(at) for o in services.documents.documents_of(iin)],
    }


def login_record_subjects(services: Services, records: list[LoginRecord]) -> Counter[str]:
    """Whose login records ``records`` are (PD-22): IIN -> how many, by the record's account or, for a
    record without one, by its certificate in our register. Records of certificates we did not issue
    (foreign roots) and undecodable attempts name nobody we can identify and are not counted."""
    by_account = services.accounts.iins_by_id(r.account_id for r in records if r.account_id is not None)
    by_serial = services.certificates.iins_by_serial(
        r.certificate_serial for r in records if r.account_id is None and r.certificate_serial
    )
    found: Counter[str] = Counter()
    for record in records:
        if record.account_id is not None:
            iin = by_account.get(record.account_id)
        else:
            iin = by_serial.get((record.certificate_serial or "").lower().lstrip("0"))
        if iin is not None:
            found[iin] += 1
    return found
