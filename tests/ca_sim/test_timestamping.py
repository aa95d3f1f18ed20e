"""The National CA's time-stamping authority (RFC 3161): its certificate and renewal by the hierarchy, the
tokens it signs (judged by our verifier, with the TSA's revocation), and what it refuses. ``openssl ts``
judges the tokens over HTTP in tests/api/test_tsa.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from api.database import dispose, open_database
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certstore import CertificateStore
from ca_sim.crl import CrlPublisher
from ca_sim.grounds import Ground
from ca_sim.hierarchy import Hierarchy, load_or_create_hierarchy
from ca_sim.registry import RevocationRegistry
from ca_sim.time_stamp_ledger import IssuedTimeStamp, TimeStampLedger, TimeStampRow
from ca_sim.timestamping import Outcome, StampRequest, TimeStampAuthority
from pki import oids
from pki.cms import digest
from pki.errors import ErrorCode, InvalidInput, Unavailable
from pki.keys import certificate_der
from pki.reasons import Reason
from tests.ca_sim.time_stamp_support import DatabaseDown
from tests.databases import database_url
from verifier import Indication, StaticRevocationSource, VerificationPolicy, Verifier

T0 = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = b"time-stamp tests"
BASE = "http://127.0.0.1:8080"
DATA = b"the contract as signed"


@pytest.fixture
def ecdsa(tmp_path: Path):
    sm = open_database(database_url(tmp_path / "kzpki.db"))
    yield sm, load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    dispose(sm)


def _request(data: bytes = DATA, algorithm: str = oids.SHA256, **options: object) -> StampRequest:
    return StampRequest(algorithm, digest(algorithm, data), **options)  # type: ignore[arg-type]


def _verifier(hierarchy: Hierarchy, crls: list[bytes]) -> Verifier:
    anchors = (certificate_der(hierarchy.root.certificate),)
    intermediates = (certificate_der(hierarchy.get("nca").certificate),)
    policy = VerificationPolicy(trust_anchors=anchors, intermediates=intermediates)
    return Verifier(policy, StaticRevocationSource(crls=crls))


def _crls(sm, hierarchy: Hierarchy, registry: RevocationRegistry, home: Path, at: dt.datetime) -> list[bytes]:
    return [crl.der for crl in CrlPublisher(hierarchy.authorities, registry, home / "crl").publish(at)]


def test_rfc3161_2_3_the_tsa_certificate_is_the_national_ca_s_with_a_critical_time_stamping_usage(ecdsa):
    sm, hierarchy = ecdsa
    tsa = hierarchy.time_stamp_authority(T0)
    certificate = tsa.certificate
    issued = asn1_x509.Certificate.load(certificate_der(certificate))  # the CAs' Kazakh names: DER
    nca = asn1_x509.Certificate.load(certificate_der(hierarchy.get("nca").certificate))
    assert issued.issuer.dump() == nca.subject.dump()
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert key_usage.digital_signature and key_usage.content_commitment and not key_usage.key_cert_sign
    certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)  # revocable like any leaf
    assert certificate.not_valid_after_utc.year == T0.year + 3
    assert tsa.private_key.public_key() == certificate.public_key()
    registered = CertificateStore(sm).get("nca", certificate.serial_number)
    assert registered.kind == "time_stamp_authority"


def test_the_tsa_is_issued_once_and_renewed_a_year_before_it_ends(tmp_path: Path):
    sm = open_database(database_url(tmp_path / "kzpki.db"))
    worker_a = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    worker_b = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    first = worker_a.time_stamp_authority(T0)
    assert worker_b.time_stamp_authority(T0).certificate == first.certificate  # not a second generation
    assert worker_a.time_stamp_authority(T0 + dt.timedelta(days=730)) is first  # 366 days left
    later = T0 + dt.timedelta(days=732)  # 364 days left
    renewed = worker_a.time_stamp_authority(later)
    assert renewed.generation == first.generation + 1 == 2
    assert renewed.certificate.not_valid_before_utc == later
    assert worker_b.time_stamp_authority(later).certificate == renewed.certificate
    reloaded = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    assert reloaded.time_stamp_authority(later).certificate == renewed.certificate
    dispose(sm)


def test_rfc3161_2_4_2_a_token_verifies_over_its_data_and_names_what_was_asked(ecdsa, tmp_path: Path):
    sm, hierarchy = ecdsa
    at = T0 + dt.timedelta(hours=1, microseconds=123_456)
    token = TimeStampAuthority(hierarchy, TimeStampLedger(sm)).token(
        _request(nonce=42, policy=oids.TSA_GOST_POLICY), at
    )
    registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
    verifier = _verifier(hierarchy, _crls(sm, hierarchy, registry, tmp_path, at))
    verdict = verifier.verify_timestamp(token, at=at + dt.timedelta(minutes=1), data=DATA)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    info = verdict.timestamp
    assert info is not None and info.nonce == 42 and info.policy == oids.TSA_GOST_POLICY
    assert info.gen_time == at.replace(microsecond=123_000)  # to the millisecond
    assert info.imprint == hashlib.sha256(DATA).digest()
    other = verifier.verify_timestamp(token, at=at + dt.timedelta(minutes=1), data=DATA + b"!")
    assert other.indication is not Indication.TOTAL_PASSED


def test_rfc3161_tokens_of_a_revoked_tsa_fail_revoked(ecdsa, tmp_path: Path):
    sm, hierarchy = ecdsa
    tsa = hierarchy.time_stamp_authority(T0)
    token = TimeStampAuthority(hierarchy, TimeStampLedger(sm)).token(_request(), T0 + dt.timedelta(hours=1))
    registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
    revoked_at = T0 + dt.timedelta(hours=2)
    registry.revoke("nca", tsa.certificate.serial_number, Ground.KEY_COMPROMISE, revoked_at, "test", "act-1")
    later = revoked_at + dt.timedelta(seconds=1)
    verdict = _verifier(hierarchy, _crls(sm, hierarchy, registry, tmp_path, later)).verify_timestamp(
        token, at=later, data=DATA
    )
    assert Reason.REVOKED in verdict.reasons


@pytest.mark.parametrize(
    ("request_", "failure"),
    [
        (StampRequest(oids.SHA1, hashlib.sha1(DATA).digest()), "bad_alg"),
        (StampRequest(oids.SHA256, bytes(20)), "bad_data_format"),
        (_request(policy="1.2.3.4"), "unaccepted_policy"),
    ],
)
def test_rfc3161_2_4_2_what_the_tsa_refuses_raises_time_stamp_refused(ecdsa, request_, failure):
    sm, hierarchy = ecdsa
    with pytest.raises(InvalidInput) as refused:
        TimeStampAuthority(hierarchy, TimeStampLedger(sm)).token(request_, T0)
    assert refused.value.code is ErrorCode.TIME_STAMP_REFUSED and refused.value.data["failure"] == failure


def _der_request(**fields: object) -> bytes:
    imprint = {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": hashlib.sha256(DATA).digest()}
    return tsp.TimeStampReq({"version": "v1", "message_imprint": imprint, **fields}).dump()


def _failure(answer_der: bytes) -> set[str]:
    status = tsp.PKIStatusInfo.load(core.Sequence.load(answer_der)[0].dump())
    assert status["status"].native == "rejection" and status["status_string"].native
    return set(status["fail_info"].native)


def test_rfc3161_2_4_1_version_2_and_request_extensions_are_rejected(ecdsa):
    sm, hierarchy = ecdsa
    tsa = TimeStampAuthority(hierarchy, TimeStampLedger(sm))
    version_2 = bytearray(_der_request())
    version_2[version_2.index(b"\x02\x01\x01") + 2] = 2  # the version INTEGER, first in the SEQUENCE
    assert not tsa.respond(bytes(version_2), T0).granted
    assert _failure(tsa.respond(bytes(version_2), T0).der) == {"bad_request"}
    extension = {"extn_id": "1.2.3.4", "critical": False, "extn_value": b"x"}
    with_extension = _der_request(extensions=[extension])
    assert _failure(tsa.respond(with_extension, T0).der) == {"unaccepted_extensions"}
    assert _failure(tsa.respond(bytes(5000), T0).der) == {"bad_data_format"}
    granted = tsa.respond(_der_request(cert_req=True), T0)
    assert granted.granted and tsp.TimeStampResp.load(granted.der)["status"]["status"].native == "granted"


@given(st.binary(max_size=300), st.integers(min_value=0, max_value=400))
def test_rfc3161_no_request_bytes_make_the_tsa_raise(tmp_path_factory, junk: bytes, cut: int) -> None:
    tsa = _shared_tsa(tmp_path_factory)
    valid = _der_request(nonce=7)
    for candidate in (junk, valid[:cut] + junk[:3] + valid[cut + 3 :]):
        answer = tsa.respond(candidate, T0)
        assert answer.granted or _failure(answer.der)


_SHARED: dict[str, TimeStampAuthority] = {}


def _shared_tsa(factory: pytest.TempPathFactory) -> TimeStampAuthority:
    if "ecdsa" not in _SHARED:
        sm = open_database(database_url(factory.mktemp("tsa-fuzz") / "kzpki.db"))
        hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
        _SHARED["ecdsa"] = TimeStampAuthority(hierarchy, TimeStampLedger(sm))
    return _SHARED["ecdsa"]


def test_rfc3161_a_gost_hierarchy_s_tsa_signs_gost_2015_tokens_over_streebog(tmp_path: Path):
    sm = open_database(database_url(tmp_path / "kzpki.db"))
    hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "gost")
    at = T0 + dt.timedelta(hours=1)
    token = TimeStampAuthority(hierarchy, TimeStampLedger(sm)).token(
        _request(algorithm=oids.KZ_STREEBOG_512), at
    )
    signer_info = cms.ContentInfo.load(token)["content"]["signer_infos"][0]
    assert signer_info["signature_algorithm"]["algorithm"].dotted == oids.KZ_GOST2015_512_SIGNATURE
    registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
    verifier = _verifier(hierarchy, _crls(sm, hierarchy, registry, tmp_path, at))
    verdict = verifier.verify_timestamp(token, at=at, data=DATA)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.timestamp is not None and verdict.timestamp.imprint_algorithm == oids.KZ_STREEBOG_512
    dispose(sm)


def test_a_tsa_issued_for_a_later_time_is_replaced_for_an_earlier_one(ecdsa):
    """``kzpki fixtures --at`` a future time issues a TSA valid from then; a token dated now must not come
    from it (its genTime would precede its certificate)."""
    _, hierarchy = ecdsa
    future = hierarchy.time_stamp_authority(T0 + dt.timedelta(days=10))
    now = hierarchy.time_stamp_authority(T0)
    assert now.generation == future.generation + 1 and now.certificate.not_valid_before_utc == T0


# --- the ledger of issued time stamps ------------------------------------------------------------------


def _tst_info(token: bytes) -> tsp.TSTInfo:
    return cms.ContentInfo.load(token)["content"]["encap_content_info"]["content"].parsed


def test_rfc3161_2_4_2_every_granted_token_is_in_the_ledger_and_a_rejection_is_not(ecdsa):
    sm, hierarchy = ecdsa
    tsa = TimeStampAuthority(hierarchy, TimeStampLedger(sm))
    at = T0 + dt.timedelta(hours=2, microseconds=250_000)
    answer = tsa.respond(_der_request(nonce=2**80 + 1, cert_req=True), at)
    info = _tst_info(tsp.TimeStampResp.load(answer.der)["time_stamp_token"].dump())
    issued = tsa.issued(info["serial_number"].native)
    tsa_der = certificate_der(hierarchy.time_stamp_authority(at).certificate)
    assert issued == IssuedTimeStamp(
        serial=info["serial_number"].native,
        gen_time=info["gen_time"].native,
        policy=oids.TSA_GOST2015_POLICY,
        imprint_algorithm=oids.SHA256,
        imprint=hashlib.sha256(DATA).digest(),
        nonce=2**80 + 1,
        tsa_certificate_sha256=hashlib.sha256(tsa_der).hexdigest(),
    )
    assert issued.gen_time == at.replace(microsecond=250_000)
    with sm() as session:
        before = session.scalar(select(func.count()).select_from(TimeStampRow))
    assert not tsa.respond(_der_request(extensions=[{"extn_id": "1.2.3.4", "extn_value": b"x"}]), at).granted
    with sm() as session:
        assert session.scalar(select(func.count()).select_from(TimeStampRow)) == before
    assert tsa.issued(12345) is None


class _TakenOnce(TimeStampLedger):
    """Test double: refuses the first serial as taken (as the primary key would a duplicate)."""

    def __init__(self, sm) -> None:
        super().__init__(sm)
        self.attempts: list[int] = []

    def record(self, issued: IssuedTimeStamp) -> bool:
        self.attempts.append(issued.serial)
        return len(self.attempts) > 1 and super().record(issued)


def test_rfc3161_2_4_2_a_serial_already_taken_is_drawn_again_and_never_given_out(ecdsa):
    sm, hierarchy = ecdsa
    ledger = _TakenOnce(sm)
    token = TimeStampAuthority(hierarchy, ledger).token(_request(), T0)
    first, second = ledger.attempts
    assert first != second and _tst_info(token)["serial_number"].native == second
    assert ledger.find(first) is None and ledger.find(second) is not None


def test_rfc3161_2_4_2_the_ledger_refuses_a_serial_it_holds(ecdsa):
    sm, _ = ecdsa
    ledger = TimeStampLedger(sm)
    issued = IssuedTimeStamp(2**126 + 99, T0, oids.TSA_GOST_POLICY, oids.SHA256, bytes(32), None, "00" * 32)
    assert ledger.record(issued) and not ledger.record(
        dataclasses.replace(issued, policy=oids.TSA_GOSTGT_POLICY)
    )
    assert ledger.find(issued.serial) == issued


def test_rfc3161_2_4_2_a_tsa_that_cannot_record_answers_system_failure_and_gives_no_token(ecdsa, caplog):
    sm, hierarchy = ecdsa
    answer = TimeStampAuthority(hierarchy, DatabaseDown(sm)).respond(_der_request(cert_req=True), T0)
    assert answer.outcome is Outcome.SYSTEM_FAILURE and _failure(answer.der) == {"system_failure"}
    assert len(core.Sequence.load(answer.der)) == 1  # the status alone: no token
    assert "could not record" in caplog.text and "database is locked" not in caplog.text
    with pytest.raises(Unavailable) as unavailable:
        TimeStampAuthority(hierarchy, DatabaseDown(sm)).token(_request(), T0)
    assert unavailable.value.code is ErrorCode.TIME_STAMP_UNAVAILABLE
