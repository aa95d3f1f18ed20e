"""The revocation registry: EDS-18 grounds and reasons, hold/release, conflicts, history, EDS-16, EDS-23."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from cryptography import x509
from cryptography.x509 import ReasonFlags

from ca_sim.certstore import serial_to_hex
from ca_sim.grounds import GROUND_REASONS, Ground
from ca_sim.register_views import RegisterEntry
from ca_sim.retention import archive_cutoff
from ca_sim.revocation_periods import CertState
from pki.errors import Conflict, InvalidInput, NotFound, Refused
from tests.ca_sim.revocation_support import T0, Pki, issue_leaf

H = dt.timedelta(hours=1)


def _revoke(pki: Pki, leaf: x509.Certificate, ground: Ground, at: dt.datetime, **kwargs):
    return pki.registry.revoke("nca", leaf.serial_number, ground, at, "op-nca", "doc-1", **kwargs)


@pytest.mark.parametrize(
    ("ground", "reason"),
    [
        (Ground.UNRELIABLE_INFORMATION, ReasonFlags.privilege_withdrawn),  # EDS-18 1-1
        (Ground.OWNER_DEATH, ReasonFlags.cessation_of_operation),  # EDS-18 2
        (Ground.NAME_CHANGE, ReasonFlags.superseded),  # EDS-18 2-1
        (Ground.LEGAL_ENTITY_CHANGE, ReasonFlags.affiliation_changed),  # EDS-18 2-2
        (Ground.AGREEMENT, ReasonFlags.unspecified),  # EDS-18 4
        (Ground.COURT_DECISION, ReasonFlags.privilege_withdrawn),  # EDS-18 5
        (Ground.KEY_COMPROMISE, ReasonFlags.key_compromise),  # EDS-17, UNIS-11
        (Ground.HOLD, ReasonFlags.certificate_hold),
    ],
)
def test_eds18_each_ground_maps_to_its_reason(pki: Pki, leaf, ground: Ground, reason: ReasonFlags) -> None:
    assert GROUND_REASONS[ground] is reason
    status = _revoke(pki, leaf, ground, T0 + H)
    assert (status.state, status.reason, status.revocation_time) == (CertState.REVOKED, reason, T0 + H)
    assert pki.registry.status("nca", leaf.serial_number, T0 + 2 * H) == status
    assert (
        pki.registry.status("nca", leaf.serial_number, T0 + H - dt.timedelta(seconds=1)).state
        is CertState.GOOD
    )


def test_eds18_every_ground_has_a_reason() -> None:
    assert set(GROUND_REASONS) == set(Ground)


def test_eds18_agreement_takes_the_owners_stated_reason(pki: Pki, leaf) -> None:
    status = _revoke(pki, leaf, Ground.AGREEMENT, T0 + H, stated_reason=ReasonFlags.superseded)
    assert status.reason is ReasonFlags.superseded


@pytest.mark.parametrize(
    ("ground", "stated"),
    [
        (Ground.AGREEMENT, ReasonFlags.certificate_hold),
        (Ground.AGREEMENT, ReasonFlags.ca_compromise),
        (Ground.OWNER_DEATH, ReasonFlags.superseded),
    ],
)
def test_eds18_stated_reason_only_on_agreement(pki: Pki, leaf, ground, stated) -> None:
    with pytest.raises(InvalidInput) as info:
        _revoke(pki, leaf, ground, T0 + H, stated_reason=stated)
    assert info.value.code == "reason_not_allowed"


def test_eds18_records_who_asked_and_the_document(pki: Pki, leaf) -> None:
    pki.registry.revoke("nca", leaf.serial_number, Ground.OWNER_DEATH, T0 + H, "op-nca", "death-cert-77")
    last = pki.audit.entries(limit=100)[-1]
    assert (last.actor, last.action, last.target, last.outcome) == (
        "op-nca",
        "revoke",
        f"nca:{serial_to_hex(leaf.serial_number)}",
        "success",
    )
    assert last.details["document_ref"] == "death-cert-77" and last.details["ground"] == "owner_death"


@pytest.mark.parametrize("field", ["requested_by", "document_ref"])
def test_eds18_requester_and_document_are_required(pki: Pki, leaf, field: str) -> None:
    args = {"requested_by": "op", "document_ref": "doc"} | {field: "  "}
    with pytest.raises(InvalidInput):
        pki.registry.revoke("nca", leaf.serial_number, Ground.NAME_CHANGE, T0 + H, **args)


def test_eds18_duplicate_revocation_conflicts(pki: Pki, leaf) -> None:
    _revoke(pki, leaf, Ground.NAME_CHANGE, T0 + H)
    with pytest.raises(Conflict) as info:
        _revoke(pki, leaf, Ground.OWNER_DEATH, T0 + 2 * H)
    assert info.value.code == "already_revoked"
    refused = pki.audit.entries(limit=100)[-1]
    assert (refused.outcome, refused.details["code"]) == ("refused", "already_revoked")
    assert pki.audit.verify_chain().ok


def test_eds17_raising_to_key_compromise_is_allowed_and_history_kept(pki: Pki, leaf) -> None:
    _revoke(pki, leaf, Ground.NAME_CHANGE, T0 + H)
    raised = _revoke(pki, leaf, Ground.KEY_COMPROMISE, T0 + 3 * H, invalidity_date=T0)
    assert raised.reason is ReasonFlags.key_compromise
    assert raised.revocation_time == T0 + H  # revoked since the first revocation
    assert raised.invalidity_date == T0
    before = pki.registry.status("nca", leaf.serial_number, T0 + 2 * H)
    assert before.reason is ReasonFlags.superseded
    with pytest.raises(Conflict):
        _revoke(pki, leaf, Ground.KEY_COMPROMISE, T0 + 4 * H)


def test_eds17_key_compromise_invalidity_date_not_after_revocation(pki: Pki, leaf) -> None:
    with pytest.raises(InvalidInput) as info:
        _revoke(pki, leaf, Ground.KEY_COMPROMISE, T0 + H, invalidity_date=T0 + 2 * H)
    assert info.value.code == "invalidity_date_in_future"


def test_eds18_hold_then_release(pki: Pki, leaf) -> None:
    serial = leaf.serial_number
    held = pki.registry.hold("nca", serial, T0 + H, "op", "letter-1")
    assert held.on_hold and held.state is CertState.REVOKED
    with pytest.raises(Conflict) as info:
        pki.registry.hold("nca", serial, T0 + 2 * H, "op", "letter-2")
    assert info.value.code == "already_on_hold"
    released = pki.registry.release("nca", serial, T0 + 3 * H, "op", "letter-3")
    assert released.state is CertState.GOOD
    assert pki.registry.status("nca", serial, T0 + 2 * H).on_hold
    assert pki.registry.status("nca", serial, T0 + 4 * H).state is CertState.GOOD
    with pytest.raises(Conflict) as info:
        pki.registry.release("nca", serial, T0 + 4 * H, "op", "letter-4")
    assert info.value.code == "not_on_hold"


def test_eds18_held_certificate_can_be_revoked(pki: Pki, leaf) -> None:
    pki.registry.hold("nca", leaf.serial_number, T0 + H, "op", "letter")
    revoked = _revoke(pki, leaf, Ground.COURT_DECISION, T0 + 2 * H)
    assert revoked.reason is ReasonFlags.privilege_withdrawn and revoked.revocation_time == T0 + 2 * H
    with pytest.raises(Conflict) as info:
        pki.registry.hold("nca", leaf.serial_number, T0 + 3 * H, "op", "letter")
    assert info.value.code == "already_revoked"


def test_unknown_serial_is_not_found_and_status_unknown(pki: Pki, leaf) -> None:
    with pytest.raises(NotFound) as info:
        pki.registry.revoke("nca", 12345, Ground.NAME_CHANGE, T0 + H, "op", "doc")
    assert info.value.code == "unknown_certificate"
    # issued by nca, asked of gov: never issued there
    with pytest.raises(NotFound):
        pki.registry.revoke("gov", leaf.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "doc")
    assert pki.registry.status("nca", 12345, T0).state is CertState.UNKNOWN
    assert pki.registry.status("gov", leaf.serial_number, T0).state is CertState.UNKNOWN


def test_changes_must_not_go_back_in_time(pki: Pki, leaf) -> None:
    pki.registry.hold("nca", leaf.serial_number, T0 + 2 * H, "op", "letter")
    with pytest.raises(Conflict) as info:
        pki.registry.release("nca", leaf.serial_number, T0 + H, "op", "letter")
    assert info.value.code == "out_of_order"


def test_revoked_entries_at_a_time(pki: Pki) -> None:
    a, b, c = (issue_leaf(pki) for _ in range(3))
    pki.registry.revoke("nca", a.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "d")
    pki.registry.hold("nca", b.serial_number, T0 + 2 * H, "op", "d")
    pki.registry.release("nca", b.serial_number, T0 + 3 * H, "op", "d")
    at = {n: {e.serial for e in pki.registry.revoked_entries("nca", T0 + n * H)} for n in range(5)}
    assert at[0] == set()
    assert at[1] == {a.serial_number}
    assert at[2] == {a.serial_number, b.serial_number}
    assert at[3] == at[4] == {a.serial_number}
    assert c.serial_number not in at[4]


def test_root_registry_covers_the_ca_certificates(pki: Pki) -> None:
    nca_serial = pki.hierarchy.get("nca").certificate.serial_number
    assert pki.registry.status("root", nca_serial, T0).state is CertState.GOOD
    pki.registry.revoke("root", nca_serial, Ground.KEY_COMPROMISE, T0 + H, "so", "incident-1")
    assert [e.serial for e in pki.registry.revoked_entries("root", T0 + H)] == [nca_serial]


def test_eds23_public_lookup_holds_no_personal_data(pki: Pki) -> None:
    iin = "900101300123"
    leaf = issue_leaf(pki, iin=iin)
    pki.registry.revoke("nca", leaf.serial_number, Ground.OWNER_DEATH, T0 + H, "op", "doc")
    entry = pki.registry.views.lookup("nca", leaf.serial_number, T0 + 2 * H)
    assert {f.name for f in dataclasses.fields(RegisterEntry)} == {
        "ca_id",
        "serial",
        "status",
        "reason",
        "revocation_time",
        "hold_until",  # the end of a hold with an end date: no personal data
    }
    assert entry == RegisterEntry(
        "nca", serial_to_hex(leaf.serial_number), "revoked", "cessationOfOperation", T0 + H
    )
    assert iin not in repr(entry) and "ТЕСТ" not in repr(entry)
    with pytest.raises(NotFound):
        pki.registry.views.lookup("nca", 99, T0)


def test_eds23_public_lookup_says_on_hold(pki: Pki, leaf) -> None:
    pki.registry.hold("nca", leaf.serial_number, T0 + H, "op", "doc")
    assert pki.registry.views.lookup("nca", leaf.serial_number, T0 + H).status == "on_hold"
    assert pki.registry.views.lookup("nca", leaf.serial_number, T0).status == "good"


def test_owner_lookup_returns_own_entries_and_is_audited_masked(pki: Pki) -> None:
    iin = "850202400456"
    mine = [issue_leaf(pki, iin=iin), issue_leaf(pki, ca_id="gov", iin=iin)]
    issue_leaf(pki)  # someone else's
    pki.registry.revoke("nca", mine[0].serial_number, Ground.NAME_CHANGE, T0 + H, "op", "doc")
    found = pki.registry.views.owner_entries(iin, T0 + 2 * H, "op-nca")
    assert {(e.ca_id, int(e.serial, 16)) for e in found} == {
        ("nca", mine[0].serial_number),
        ("gov", mine[1].serial_number),
    }
    assert {e.status.state for e in found} == {CertState.REVOKED, CertState.GOOD}
    scoped = pki.registry.views.owner_entries(iin, T0 + 2 * H, "op-gov", ca_ids=["gov"])
    assert [e.ca_id for e in scoped] == ["gov"]
    last = pki.audit.entries(limit=100)[-1]
    assert last.action == "lookup_owner" and iin not in repr(last) and "0456" in last.target


def test_eds16_archive_refuses_entries_younger_than_five_years(pki: Pki, leaf) -> None:
    _revoke(pki, leaf, Ground.NAME_CHANGE, T0)
    with pytest.raises(Refused) as info:
        pki.registry.retention.archive(
            T0 + H, at=T0 + dt.timedelta(days=365 * 5 - 2), requested_by="so", dry_run=False
        )
    assert info.value.code == "retention_period"
    assert pki.registry.revoked_entries("nca", T0 + H)


def test_eds16_archive_dry_run_then_apply(pki: Pki) -> None:
    old, young = issue_leaf(pki), issue_leaf(pki)
    pki.registry.revoke("nca", old.serial_number, Ground.NAME_CHANGE, T0, "op", "d")
    pki.registry.revoke(
        "nca", young.serial_number, Ground.NAME_CHANGE, T0 + dt.timedelta(days=400), "op", "d"
    )
    later = T0 + dt.timedelta(days=365 * 6)
    cutoff = T0 + dt.timedelta(days=200)
    dry = pki.registry.retention.archive(cutoff, at=later, requested_by="so")
    assert dry.dry_run and [i.serial for i in dry.items] == [serial_to_hex(old.serial_number)]
    assert len(pki.registry.revoked_entries("nca", later)) == 2  # nothing moved
    applied = pki.registry.retention.archive(cutoff, at=later, requested_by="so", dry_run=False)
    assert applied.items == dry.items and not applied.dry_run
    assert [e.serial for e in pki.registry.revoked_entries("nca", later)] == [young.serial_number]
    # rules.md EDS-16: archived entries stay answerable as revoked
    status = pki.registry.status("nca", old.serial_number, later)
    assert status.state is CertState.REVOKED and status.reason is ReasonFlags.superseded
    assert pki.registry.retention.archive(cutoff, at=later, requested_by="so").items == ()
    assert pki.audit.entries(limit=100)[-1].action == "archive"


def test_status_versions_and_changed_serials(pki: Pki) -> None:
    a, b = issue_leaf(pki), issue_leaf(pki)
    assert pki.registry.status_version("nca") == 0
    pki.registry.hold("nca", a.serial_number, T0 + H, "op", "d")
    v1 = pki.registry.status_version("nca")
    pki.registry.revoke("nca", b.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "d")
    pki.registry.release("nca", a.serial_number, T0 + 2 * H, "op", "d")
    assert pki.registry.status_versions()["nca"] == v1 + 2
    assert pki.registry.changed_serials("nca", 0) == {a.serial_number, b.serial_number}
    assert pki.registry.changed_serials("nca", v1) == {a.serial_number, b.serial_number}
    assert pki.registry.changed_serials("nca", v1 + 1) == {a.serial_number}
    assert pki.registry.changed_serials("nca", v1 + 2) == set()


def test_listeners_hear_every_committed_change_only(pki: Pki, leaf) -> None:
    heard = []
    pki.registry.add_listener(lambda ca_id, serial, ground: heard.append((ca_id, serial, ground)))
    _revoke(pki, leaf, Ground.NAME_CHANGE, T0 + H)
    with pytest.raises(Conflict):
        _revoke(pki, leaf, Ground.NAME_CHANGE, T0 + H)
    assert heard == [("nca", leaf.serial_number, Ground.NAME_CHANGE)]


def test_concurrent_revocations_of_one_certificate_one_wins(pki: Pki, leaf) -> None:
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            _revoke(pki, leaf, Ground.NAME_CHANGE, T0 + H)
            outcomes.append("revoked")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["revoked"]


def _crl_number(pki: Pki, ca_id: str) -> int:
    with pki.registry.crls.numbered(ca_id, T0) as taken:
        return taken.number


def test_crl_numbers_increase_and_are_shared(pki: Pki) -> None:
    numbers = [_crl_number(pki, "nca") for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert _crl_number(pki, "gov") == 1


def test_crl_numbers_are_race_safe(pki: Pki) -> None:
    got: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(10):
            n = _crl_number(pki, "nca")
            with lock:
                got.append(n)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 41))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"ground": "bad_luck"}, "unknown_ground"),
        ({"document_ref": " "}, "document_required"),
        ({"invalidity_date": T0 + 5 * H}, "invalidity_date_in_future"),
        ({"serial": 4242}, "unknown_certificate"),
    ],
)
def test_every_refused_request_is_audited(pki: Pki, leaf, args: dict, code: str) -> None:
    call = {
        "ca_id": "nca",
        "serial": leaf.serial_number,
        "ground": Ground.NAME_CHANGE,
        "at": T0 + H,
        "requested_by": "op-nca",
        "document_ref": "doc",
    } | args
    with pytest.raises((InvalidInput, NotFound)):
        pki.registry.revoke(**call)
    last = pki.audit.entries(limit=100)[-1]
    assert (last.actor, last.action, last.outcome, last.details["code"]) == (
        "op-nca",
        "revoke",
        "refused",
        code,
    )
    assert pki.audit.verify_chain().ok


def test_eds16_five_years_are_counted_on_kazakh_dates() -> None:
    """Revoked on Kazakh date D, an entry is kept through D's fifth anniversary (KZ-TIME)."""
    at = dt.datetime(2031, 12, 1, 18, 59, 59, tzinfo=dt.UTC)  # 1 December 2031 in Almaty
    assert archive_cutoff(at) == dt.datetime(2026, 11, 30, 19, 0, tzinfo=dt.UTC)  # 1 Dec 2026 begins
    later = dt.datetime(2031, 12, 1, 19, 0, 0, tzinfo=dt.UTC)  # 2 December 2031 in Almaty
    assert archive_cutoff(later) == dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)


def test_eds16_archive_refuses_a_cutoff_inside_the_kazakh_five_years(pki: Pki, leaf) -> None:
    at = T0 + dt.timedelta(days=365 * 6)
    with pytest.raises(Refused) as info:
        pki.registry.retention.archive(archive_cutoff(at) + dt.timedelta(seconds=1), at=at, requested_by="so")
    assert info.value.code == "retention_period"
    # allowed, dry run
    assert not pki.registry.retention.archive(archive_cutoff(at), at=at, requested_by="so").items
