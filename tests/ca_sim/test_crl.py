"""Full and delta CRLs: contents (RFC 5280), schedule (EDS-18.3), publication; OpenSSL as relying party."""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import CRLEntryExtensionOID, ExtensionOID

from ca_sim.crl import (
    CrlPublisher,
    CrlSchedule,
    build_delta_crl,
    build_full_crl,
    crl_file_name,
    issue_crl,
)
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from pki.errors import NotFound
from pki.keys import certificate_pem
from tests.ca_sim.revocation_support import T0, Pki, issue_leaf, make_pki

H = dt.timedelta(hours=1)


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "home", "rsa")


@pytest.fixture
def publisher(pki: Pki) -> CrlPublisher:
    return CrlPublisher(pki.hierarchy.authorities, pki.registry, pki.home / "crl")


def _write_pem(path: Path, *certificates: x509.Certificate) -> Path:
    path.write_bytes(b"".join(certificate_pem(c) for c in certificates))
    return path


def _openssl(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, timeout=30)


def _reason(entry: x509.RevokedCertificate) -> x509.ReasonFlags | None:
    try:
        return entry.extensions.get_extension_for_oid(CRLEntryExtensionOID.CRL_REASON).value.reason
    except x509.ExtensionNotFound:
        return None


def test_eds18_full_crl_lists_reason_and_invalidity_date(pki: Pki) -> None:
    compromised, renamed, held, good = (issue_leaf(pki) for _ in range(4))
    registry = pki.registry
    registry.revoke(
        "nca", compromised.serial_number, Ground.KEY_COMPROMISE, T0 + H, "op", "d", invalidity_date=T0
    )
    registry.revoke("nca", renamed.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "d")
    registry.hold("nca", held.serial_number, T0 + H, "op", "d")
    nca = pki.hierarchy.get("nca")
    crl = x509.load_der_x509_crl(build_full_crl(nca, registry, T0 + 2 * H))
    assert crl.is_signature_valid(nca.certificate.public_key())
    assert crl.issuer == nca.certificate.subject
    assert crl.last_update_utc == T0 + 2 * H
    assert crl.next_update_utc == T0 + 2 * H + dt.timedelta(hours=27)
    assert {e.serial_number: _reason(e) for e in crl} == {
        compromised.serial_number: x509.ReasonFlags.key_compromise,
        renamed.serial_number: x509.ReasonFlags.superseded,
        held.serial_number: x509.ReasonFlags.certificate_hold,
    }
    entry = crl.get_revoked_certificate_by_serial_number(compromised.serial_number)
    assert entry is not None and entry.revocation_date_utc == T0 + H
    invalidity = entry.extensions.get_extension_for_oid(CRLEntryExtensionOID.INVALIDITY_DATE).value
    assert invalidity.invalidity_date_utc == T0
    assert crl.get_revoked_certificate_by_serial_number(good.serial_number) is None
    aki = crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == nca.key_identifier
    freshest = crl.extensions.get_extension_for_class(x509.FreshestCRL).value
    assert freshest[0].full_name == [x509.UniformResourceIdentifier(nca.urls.delta_crl_url)]


def test_unspecified_reason_has_no_reason_code(pki: Pki) -> None:
    leaf = issue_leaf(pki)
    pki.registry.revoke("nca", leaf.serial_number, Ground.AGREEMENT, T0 + H, "op", "d")
    crl = x509.load_der_x509_crl(build_full_crl(pki.hierarchy.get("nca"), pki.registry, T0 + H))
    (entry,) = list(crl)
    assert _reason(entry) is None  # RFC 5280 5.3.1: absent rather than unspecified


def test_empty_crl_is_valid(pki: Pki) -> None:
    gov = pki.hierarchy.get("gov")
    crl = x509.load_der_x509_crl(build_full_crl(gov, pki.registry, T0))
    assert len(crl) == 0 and crl.is_signature_valid(gov.certificate.public_key())


def test_delta_needs_a_base(pki: Pki) -> None:
    with pytest.raises(NotFound) as info:
        build_delta_crl(pki.hierarchy.get("nca"), pki.registry, T0)
    assert info.value.code == "no_base_crl"


def test_eds18_delta_lists_changes_since_base_with_remove_from_crl(pki: Pki, publisher: CrlPublisher) -> None:
    held_then_released, revoked_later, held_later, revoked_before = (issue_leaf(pki) for _ in range(4))
    registry = pki.registry
    registry.hold("nca", held_then_released.serial_number, T0 + H, "op", "d")
    registry.revoke("nca", revoked_before.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "d")
    full = publisher.publish(T0 + 2 * H, ["nca"])[0]
    registry.release("nca", held_then_released.serial_number, T0 + 3 * H, "op", "d")
    registry.revoke("nca", revoked_later.serial_number, Ground.OWNER_DEATH, T0 + 3 * H, "op", "d")
    registry.hold("nca", held_later.serial_number, T0 + 3 * H, "op", "d")
    delta_issued = publisher.current("nca", CrlKind.DELTA, T0 + 4 * H)
    delta = x509.load_der_x509_crl(delta_issued.der)
    indicator = delta.extensions.get_extension_for_oid(ExtensionOID.DELTA_CRL_INDICATOR)
    assert indicator.critical and indicator.value.crl_number == full.record.crl_number
    number = delta.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number > full.record.crl_number
    assert delta.next_update_utc == T0 + 4 * H + dt.timedelta(hours=2)
    assert {e.serial_number: _reason(e) for e in delta} == {
        held_then_released.serial_number: x509.ReasonFlags.remove_from_crl,
        revoked_later.serial_number: x509.ReasonFlags.cessation_of_operation,
        held_later.serial_number: x509.ReasonFlags.certificate_hold,
    }
    assert delta.is_signature_valid(pki.hierarchy.get("nca").certificate.public_key())


def test_crl_numbers_shared_and_increasing(pki: Pki, publisher: CrlPublisher) -> None:
    numbers = []
    for step in range(3):
        for issued in publisher.publish(T0 + step * H, ["nca"]):
            crl = x509.load_der_x509_crl(issued.der)
            numbers.append(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    assert numbers == sorted(set(numbers)) == list(range(1, 7))


def test_eds18_3_full_crl_is_due_every_24_hours(pki: Pki, publisher: CrlPublisher) -> None:
    first = {(i.record.ca_id, i.record.kind) for i in publisher.publish_due(T0)}
    assert first == {(ca, kind) for ca in ("root", "gov", "nca") for kind in CrlKind}
    assert publisher.publish_due(T0 + dt.timedelta(minutes=30)) == []
    deltas = publisher.publish_due(T0 + H)  # delta_interval
    assert {i.record.kind for i in deltas} == {CrlKind.DELTA}
    due = publisher.publish_due(T0 + dt.timedelta(hours=24))
    assert {(i.record.ca_id, i.record.kind) for i in due} == first
    for issued in due:
        crl = x509.load_der_x509_crl(issued.der)
        assert crl.next_update_utc - crl.last_update_utc <= dt.timedelta(hours=27)


def test_eds18_status_change_makes_the_delta_due(pki: Pki, publisher: CrlPublisher) -> None:
    leaf = issue_leaf(pki)
    publisher.publish(T0)
    assert publisher.publish_due(T0 + dt.timedelta(minutes=1)) == []
    pki.registry.revoke(
        "nca", leaf.serial_number, Ground.KEY_COMPROMISE, T0 + dt.timedelta(minutes=2), "op", "d"
    )
    (delta,) = publisher.publish_due(T0 + dt.timedelta(minutes=3))
    assert (delta.record.ca_id, delta.record.kind, delta.record.entries) == ("nca", CrlKind.DELTA, 1)


def test_eds18_a_change_dated_after_a_crl_keeps_the_delta_due(pki: Pki, publisher: CrlPublisher) -> None:
    """A revocation that commits while a CRL is being built as of an earlier instant (another instance's
    publisher, or a fetch) is not in that CRL, and that CRL must not count as reflecting it: the next delta
    lists it (found by two real instances, tests/api/test_instances.py)."""
    leaf = issue_leaf(pki)
    publisher.publish(T0)
    minute = dt.timedelta(minutes=1)
    pki.registry.revoke("nca", leaf.serial_number, Ground.KEY_COMPROMISE, T0 + 2 * minute, "op", "d")
    built_before = [i for i in publisher.publish_due(T0 + minute) if i.record.ca_id == "nca"]
    assert [i.record.entries for i in built_before] == [0]  # as of T0+1 min: not revoked yet
    (delta,) = publisher.publish_due(T0 + 3 * minute)
    assert delta.record.entries == 1
    assert x509.load_der_x509_crl(delta.der).get_revoked_certificate_by_serial_number(leaf.serial_number)
    assert publisher.publish_due(T0 + 4 * minute) == []  # reflected now: nothing more is due


def test_served_crl_is_cached_until_it_changes(pki: Pki, publisher: CrlPublisher) -> None:
    leaf = issue_leaf(pki)
    first = publisher.current("nca", CrlKind.DELTA, T0)
    again = publisher.current("nca", CrlKind.DELTA, T0 + dt.timedelta(minutes=5))
    assert again is first  # no rebuild per request
    pki.registry.hold("nca", leaf.serial_number, T0 + dt.timedelta(minutes=6), "op", "d")
    changed = publisher.current("nca", CrlKind.DELTA, T0 + dt.timedelta(minutes=7))
    assert changed.record.crl_number > first.record.crl_number
    assert x509.load_der_x509_crl(changed.der).get_revoked_certificate_by_serial_number(leaf.serial_number)
    full = publisher.current("nca", CrlKind.FULL, T0 + dt.timedelta(minutes=7))
    assert full.record.crl_number < first.record.crl_number  # the full CRL is not rebuilt per change


def test_another_process_publication_is_served(pki: Pki, publisher: CrlPublisher) -> None:
    publisher.current("nca", CrlKind.FULL, T0)
    other = CrlPublisher(pki.hierarchy.authorities, pki.registry, pki.home / "crl")
    newer = other.publish(T0 + H, ["nca"])[0]
    served = publisher.current("nca", CrlKind.FULL, T0 + H)
    assert served.der == newer.der


def test_published_files_are_named_as_in_the_urls(pki: Pki, publisher: CrlPublisher) -> None:
    publisher.publish(T0)
    names = sorted(p.name for p in (pki.home / "crl").iterdir() if not p.name.startswith("."))
    assert names == sorted(f"{ca}{kind}_rsa.crl" for ca in ("root", "gov", "nca") for kind in ("", "_d"))
    nca = pki.hierarchy.get("nca")
    assert crl_file_name(nca, CrlKind.FULL) == "nca_rsa.crl"
    assert crl_file_name(nca, CrlKind.DELTA) == "nca_d_rsa.crl"


def test_unknown_ca_is_not_found(publisher: CrlPublisher) -> None:
    with pytest.raises(NotFound):
        publisher.publish(T0, ["xyz"])


def test_openssl_verifies_every_crl(pki: Pki, publisher: CrlPublisher, tmp_path: Path) -> None:
    for ca_id in ("root", "gov", "nca"):
        leaf = issue_leaf(pki, ca_id=ca_id) if ca_id != "root" else None
        if leaf is not None:
            pki.registry.revoke(ca_id, leaf.serial_number, Ground.NAME_CHANGE, T0 + H, "op", "d")
    pki.registry.revoke(
        "root", pki.hierarchy.get("gov").certificate.serial_number, Ground.KEY_COMPROMISE, T0 + H, "so", "d"
    )
    publisher.publish(T0 + 2 * H)
    for ca_id, authority in pki.hierarchy.authorities.items():
        issuer = _write_pem(tmp_path / f"{ca_id}.pem", authority.certificate)
        for kind in CrlKind:
            path = pki.home / "crl" / crl_file_name(authority, kind)
            result = _openssl("crl", "-inform", "DER", "-in", path, "-CAfile", issuer, "-noout")
            assert result.returncode == 0 and "verify OK" in result.stderr, (path.name, result.stderr)


def test_eds18_openssl_verify_with_deltas_agrees_with_registry(
    pki: Pki, publisher: CrlPublisher, tmp_path: Path
) -> None:
    """``openssl verify -crl_check -use_deltas`` (full + delta) says what the registry says at that time.

    ``-extended_crl`` is needed with OpenSSL 3.0: without it, x509_vfy.c's get_crl_score skips its "no
    deltas as base CRLs" test (an else-if chain) and takes the newer delta for the base, ignoring the full.
    """
    good, revoked_early, revoked_late, held, released = (issue_leaf(pki) for _ in range(5))
    registry = pki.registry
    registry.revoke("nca", revoked_early.serial_number, Ground.KEY_COMPROMISE, T0 + H, "op", "d")
    registry.hold("nca", released.serial_number, T0 + H, "op", "d")
    publisher.publish(T0 + 2 * H)  # the base
    registry.revoke("nca", revoked_late.serial_number, Ground.COURT_DECISION, T0 + 3 * H, "op", "d")
    registry.hold("nca", held.serial_number, T0 + 3 * H, "op", "d")
    registry.release("nca", released.serial_number, T0 + 3 * H, "op", "d")
    at = T0 + 4 * H
    publisher.current("nca", CrlKind.DELTA, at)
    nca = pki.hierarchy.get("nca")
    root = _write_pem(tmp_path / "root.pem", pki.hierarchy.root.certificate)
    chain = _write_pem(tmp_path / "nca.pem", nca.certificate)
    full = pki.home / "crl" / "nca_rsa.crl"
    delta = pki.home / "crl" / "nca_d_rsa.crl"
    crls = []
    for path in (full, delta):
        pem = tmp_path / (path.stem + ".pem")
        subprocess.run(["openssl", "crl", "-inform", "DER", "-in", path, "-out", pem], check=True)
        crls += ["-CRLfile", pem]
    for leaf in (good, revoked_early, revoked_late, held, released):
        target = _write_pem(tmp_path / "leaf.pem", leaf)
        result = _openssl(
            "verify", "-attime", int(at.timestamp()), "-crl_check", "-extended_crl", "-use_deltas", *crls,
            "-CAfile", root, "-untrusted", chain, target,
        )  # fmt: skip
        revoked = registry.status("nca", leaf.serial_number, at).state.value == "revoked"
        if revoked:
            assert result.returncode != 0 and "certificate revoked" in result.stdout + result.stderr
        else:
            assert result.returncode == 0, result.stdout + result.stderr
    # the delta matters: with the base alone, the late revocation is not seen
    base_only = _openssl(
        "verify", "-attime", int(at.timestamp()), "-crl_check", "-CRLfile", tmp_path / "nca_rsa.pem",
        "-CAfile", root, "-untrusted", chain, _write_pem(tmp_path / "late.pem", revoked_late),
    )  # fmt: skip
    assert base_only.returncode == 0


def test_root_crl_revokes_an_intermediate_for_openssl(
    pki: Pki, publisher: CrlPublisher, tmp_path: Path
) -> None:
    leaf = issue_leaf(pki)
    nca = pki.hierarchy.get("nca")
    pki.registry.revoke(
        "root", nca.certificate.serial_number, Ground.KEY_COMPROMISE, T0 + H, "so", "incident"
    )
    publisher.publish(T0 + 2 * H)
    pems = []
    for authority in (pki.hierarchy.root, nca):
        pem = tmp_path / f"{authority.ca_id}.crl.pem"
        der_path = pki.home / "crl" / crl_file_name(authority, CrlKind.FULL)
        subprocess.run(["openssl", "crl", "-inform", "DER", "-in", der_path, "-out", pem], check=True)
        pems += ["-CRLfile", pem]
    result = _openssl(
        "verify", "-attime", int((T0 + 3 * H).timestamp()), "-crl_check_all", *pems,
        "-CAfile", _write_pem(tmp_path / "root.pem", pki.hierarchy.root.certificate),
        "-untrusted", _write_pem(tmp_path / "nca.pem", nca.certificate),
        _write_pem(tmp_path / "leaf.pem", leaf),
    )  # fmt: skip
    assert result.returncode != 0 and "certificate revoked" in result.stdout + result.stderr


def test_large_crl_round_trips(pki: Pki) -> None:
    """A CRL over many pre-encoded entries parses back entry for entry (cryptography as the checker)."""
    from cryptography.x509 import ReasonFlags

    from ca_sim.crl_entry import encode_crl_entry

    entries = [encode_crl_entry(n, T0, ReasonFlags.superseded, None) for n in range(1, 5001)]
    from ca_sim.crl import _sign_crl

    nca = pki.hierarchy.get("nca")
    crl = x509.load_der_x509_crl(_sign_crl(nca, T0, T0 + H, entries, []))
    assert len(crl) == 5000 and crl.is_signature_valid(nca.certificate.public_key())
    assert sorted(e.serial_number for e in crl) == list(range(1, 5001))


def test_custom_schedule(pki: Pki) -> None:
    schedule = CrlSchedule(full_validity=dt.timedelta(hours=30))
    publisher = CrlPublisher(pki.hierarchy.authorities, pki.registry, pki.home / "crl", schedule)
    (full, _delta) = publisher.publish(T0, ["gov"])
    assert x509.load_der_x509_crl(full.der).next_update_utc == T0 + dt.timedelta(hours=30)


@pytest.mark.parametrize("kind", [CrlKind.FULL, CrlKind.DELTA])
def test_rfc5280_5_2_3_a_higher_crl_number_never_goes_back_in_time(
    pki: Pki, publisher: CrlPublisher, kind: CrlKind
) -> None:
    """Two publications a few milliseconds apart (an on-demand one in each of two instances): the one
    whose clock read later is numbered first. The next number, asked for as of the earlier instant, must
    not get the earlier thisUpdate and a shorter list than the CRL it supersedes."""
    leaf = issue_leaf(pki)
    nca = pki.hierarchy.get("nca")
    publisher.publish(T0 + H)  # the base of the deltas
    revoked_at = T0 + 2 * H + dt.timedelta(milliseconds=3)
    pki.registry.revoke("nca", leaf.serial_number, Ground.KEY_COMPROMISE, revoked_at, "op", "d")
    first = issue_crl(nca, pki.registry, kind, revoked_at + dt.timedelta(milliseconds=2))
    second = issue_crl(nca, pki.registry, kind, T0 + 2 * H)  # read its clock first, numbered second
    assert second.record.crl_number == first.record.crl_number + 1
    assert second.record.this_update == first.record.this_update
    listed = [{entry.serial_number for entry in x509.load_der_x509_crl(c.der)} for c in (first, second)]
    assert leaf.serial_number in listed[0]
    assert listed[0] <= listed[1]
    crl = x509.load_der_x509_crl(second.der)
    assert crl.last_update_utc == first.record.this_update.replace(microsecond=0)


def test_rfc5280_5_2_3_crl_numbers_follow_this_update_whatever_the_interleaving(pki: Pki) -> None:
    """Threads asking for CRLs as of instants in no particular order: ordered by number, the thisUpdates
    never decrease, and a refused delta (no base yet) uses no number."""
    nca = pki.hierarchy.get("nca")
    with pytest.raises(NotFound):
        issue_crl(nca, pki.registry, CrlKind.DELTA, T0)
    got: list[tuple[int, dt.datetime]] = []
    lock = threading.Lock()

    def publish(offsets: list[int]) -> None:
        for offset in offsets:
            issued = issue_crl(nca, pki.registry, CrlKind.FULL, T0 + dt.timedelta(milliseconds=offset))
            with lock:
                got.append((issued.record.crl_number, issued.record.this_update))

    threads = [threading.Thread(target=publish, args=([*[7, 3, 9, 1, 8][k:], k],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got.sort()
    assert [number for number, _ in got] == list(range(1, len(got) + 1))
    times = [this_update for _, this_update in got]
    assert times == sorted(times)
