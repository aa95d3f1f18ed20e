"""Issuance from an application: the EDS-14-1 / EDS-14 refusals, CSR checks, generated keys, the register."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from ca_sim.audit import AuditEntry
from ca_sim.certstore import CertificateRecord, CertificateStore, serial_to_hex
from ca_sim.issuance import Lenient
from ca_sim.profiles import CertificateKind, KeyStorage, LegalRole
from pki import keys
from pki.errors import Conflict, InvalidInput, Refused, UnsupportedAlgorithm
from pki.iin import Sex, make_iin
from pki.names import Organization
from tests.ca_sim.issuance_support import AT, BIRTH, CaEnv, application, csr_for, make_env


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> CaEnv:
    return make_env(tmp_path_factory.mktemp("issuance"))


def _refusal(env: CaEnv, app: object, at: dt.datetime = AT) -> Refused:
    with pytest.raises(Refused) as caught:
        env.issuer.issue(app, at)  # type: ignore[arg-type]
    return caught.value


def _certificates(env: CaEnv) -> int:
    with env.sm() as session:
        return session.scalar(select(func.count()).select_from(CertificateRecord)) or 0


# --- EDS-14-1 (1): incomplete application ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iin": ""}, "iin"),
        ({"surname": " "}, "surname"),
        ({"name": ""}, "name"),
        ({"birth_date": None}, "birth_date"),
        ({"sex": None}, "sex"),
        ({"csr": None}, "csr"),
        ({"kind": CertificateKind.LEGAL_AUTH, "roles": (LegalRole.EMPLOYEE,)}, "organization"),
        (
            {"kind": CertificateKind.LEGAL_SIGN, "organization": Organization('ТОО "ТЕСТ"', "940140000385")},
            "roles",
        ),
        ({"csr": None, "generate_key": keys.KeyType.P256}, "pkcs12_password"),
    ],
)
def test_eds14_1_refuses_incomplete_application(env: CaEnv, changes: dict[str, object], field: str) -> None:
    refusal = _refusal(env, application(**changes))
    assert refusal.code == "incomplete_application"
    assert refusal.data["field"] == field
    assert field.split(".")[0] in refusal.message


def test_eds14_1_refuses_an_application_with_both_csr_and_key_generation(env: CaEnv) -> None:
    refusal = _refusal(env, application(generate_key=keys.KeyType.P256, pkcs12_password=b"Qwerty12"))
    assert (refusal.code, refusal.data["field"]) == ("incomplete_application", "csr")


# --- EDS-14-1 (2): false information --------------------------------------------------------------------


def test_eds14_1_refuses_false_information_bad_checksum(env: CaEnv) -> None:
    good = make_iin(BIRTH, Sex.MALE, 10)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    refusal = _refusal(env, application(iin=bad))
    assert (refusal.code, refusal.data["field"]) == ("false_information", "iin")
    assert "check digit" in refusal.message


def test_eds14_1_refuses_false_information_nca_test_identity(env: CaEnv) -> None:
    refusal = _refusal(env, application(iin="123456789011"))
    assert (refusal.code, refusal.data["field"]) == ("false_information", "iin")


def test_eds14_1_refuses_false_information_birth_date_mismatch(env: CaEnv) -> None:
    refusal = _refusal(env, application(birth_date=BIRTH + dt.timedelta(days=1)))
    assert (refusal.code, refusal.data["field"]) == ("false_information", "birth_date")


def test_eds14_1_refuses_false_information_sex_mismatch(env: CaEnv) -> None:
    refusal = _refusal(env, application(sex=Sex.FEMALE))
    assert (refusal.code, refusal.data["field"]) == ("false_information", "sex")


def test_eds14_1_refuses_false_information_bad_bin_checksum(env: CaEnv) -> None:
    organization = Organization('ТОО "ТЕСТ"', "940140000386")
    app = application(kind=CertificateKind.LEGAL_AUTH, organization=organization, roles=(LegalRole.EMPLOYEE,))
    refusal = _refusal(env, app)
    assert (refusal.code, refusal.data["field"]) == ("false_information", "organization.bin")


def test_eds14_1_refuses_false_information_csr_naming_someone_else(env: CaEnv) -> None:
    key = keys.generate_private_key(keys.KeyType.P256)
    other = x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, "IIN" + make_iin(BIRTH, Sex.MALE, 99))])
    refusal = _refusal(env, application(csr=csr_for(key, other)))
    assert (refusal.code, refusal.data["field"]) == ("false_information", "csr")


# --- EDS-14-1 (3): court decision -----------------------------------------------------------------------


def test_eds14_1_refuses_court_decision(env: CaEnv) -> None:
    app = application(serial=500)
    order = env.court_orders.add(
        app.iin, "Алматы қалалық соты", "2-1234/2025", AT - dt.timedelta(days=1), AT, "op"
    )
    refusal = _refusal(env, app)
    assert (refusal.code, refusal.data["field"]) == ("court_decision", "iin")
    assert _refusal(env, app).code == "court_decision"
    env.court_orders.lift(order.id, AT + dt.timedelta(hours=1), "op")
    assert env.issuer.issue(app, AT + dt.timedelta(hours=2)).certificate is not None


def test_eds14_1_court_order_not_yet_in_force_does_not_refuse(env: CaEnv) -> None:
    app = application(serial=501)
    env.court_orders.add(app.iin, "Астана қалалық соты", "2-77/2025", AT + dt.timedelta(days=5), AT, "op")
    env.issuer.issue(app, AT)


# --- EDS-14: under 16 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "at", "refused"),
    [
        (dt.date(2009, 6, 2), AT, True),  # turns 16 the day after AT
        (dt.date(2009, 6, 1), AT, False),  # 16 on AT's date
        (dt.date(2010, 1, 1), AT, True),
        (
            dt.date(2012, 2, 29),
            dt.datetime(2028, 2, 28, 18, 59, 59, tzinfo=dt.UTC),
            True,
        ),  # 29 Feb: one second short (23:59:59 on 28 February in Almaty, KZ-TIME)
        (dt.date(2012, 2, 29), dt.datetime(2028, 2, 28, 19, 0, tzinfo=dt.UTC), False),  # 29 Feb in Almaty
    ],
)
def test_eds14_refuses_under_16(env: CaEnv, birth: dt.date, at: dt.datetime, refused: bool) -> None:
    sex = Sex.FEMALE
    app = application(iin=make_iin(birth, sex, 7), birth_date=birth, sex=sex)
    if refused:
        refusal = _refusal(env, app, at)
        assert (refusal.code, refusal.data["field"]) == ("under_age", "birth_date")
        assert refusal.data["age"] == 15
    else:
        assert env.issuer.issue(app, at).certificate.not_valid_before_utc == at


def test_eds14_issuance_at_18_59_59z_on_the_eve_of_the_16th_birthday_is_refused(env: CaEnv) -> None:
    birth = dt.date(2010, 12, 2)  # 16 on 2 December 2026, which begins at 19:00:00Z on 1 December (KZ-TIME)
    app = application(iin=make_iin(birth, Sex.MALE, 11), birth_date=birth, sex=Sex.MALE)
    refusal = _refusal(env, app, dt.datetime(2026, 12, 1, 18, 59, 59, tzinfo=dt.UTC))
    assert (refusal.code, refusal.data["age"]) == ("under_age", 15)
    assert "on 2026-12-01" in refusal.message  # the Kazakh date the age was counted on


def test_eds14_issuance_at_19_00_00z_on_the_eve_of_the_16th_birthday_is_accepted(env: CaEnv) -> None:
    birth = dt.date(2010, 12, 2)
    app = application(iin=make_iin(birth, Sex.FEMALE, 12), birth_date=birth, sex=Sex.FEMALE)
    at = dt.datetime(2026, 12, 1, 19, 0, 0, tzinfo=dt.UTC)  # 00:00 on 2 December in Almaty
    assert env.issuer.issue(app, at).certificate.not_valid_before_utc == at


def test_eds14_1_refused_application_stores_only_its_audit_record(env: CaEnv) -> None:
    before = _certificates(env)
    with env.sm() as session:
        entries_before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    app = application(serial=600, birth_date=BIRTH + dt.timedelta(days=3))
    _refusal(env, app)
    assert _certificates(env) == before
    last = env.audit.entries(after_seq=entries_before)
    assert [(e.action, e.outcome, e.details["code"]) for e in last] == [
        ("issue", "refused", "false_information")
    ]
    assert app.iin not in repr(last[0])  # personal-data law Art. 22: masked
    assert last[0].details["iin"].endswith(app.iin[-4:])
    assert env.audit.verify_chain().ok


# --- the CSR --------------------------------------------------------------------------------------------


def test_csr_without_proof_of_possession_is_refused(env: CaEnv) -> None:
    key = keys.generate_private_key(keys.KeyType.P256)
    tampered = bytearray(csr_for(key))
    tampered[-3] ^= 0x01  # inside the signature value
    refusal = _refusal(env, application(csr=bytes(tampered)))
    assert (refusal.code, refusal.data["field"]) == ("proof_of_possession_failed", "csr")


def test_csr_signed_by_another_key_is_refused(env: CaEnv) -> None:
    claimed = keys.generate_private_key(keys.KeyType.RSA2048)
    signer = keys.generate_private_key(keys.KeyType.RSA2048)
    request = csr_for(claimed)
    own_signature = x509.load_der_x509_csr(request).signature
    other_signature = x509.load_der_x509_csr(csr_for(signer)).signature  # same length: RSA-2048
    refusal = _refusal(env, application(csr=request.replace(own_signature, other_signature)))
    assert (refusal.code, refusal.data["field"]) == ("proof_of_possession_failed", "csr")


def test_undecodable_csr_is_invalid_input(env: CaEnv) -> None:
    with pytest.raises(InvalidInput) as caught:
        env.issuer.issue(application(csr=b"not a csr"), AT)
    assert (caught.value.code, caught.value.data["field"]) == ("malformed_csr", "csr")


def test_weak_rsa_key_is_refused(env: CaEnv) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    weak = rsa.generate_private_key(65537, 1024)
    with pytest.raises(UnsupportedAlgorithm) as caught:
        env.issuer.issue(application(csr=csr_for(weak)), AT)
    assert caught.value.code == "unsupported_key_algorithm"


def test_csr_pem_is_accepted(env: CaEnv) -> None:
    key = keys.generate_private_key(keys.KeyType.P256)
    pem = x509.load_der_x509_csr(csr_for(key)).public_bytes(Encoding.PEM)
    issued = env.issuer.issue(application(csr=pem), AT)
    assert issued.certificate.public_key() == key.public_key()
    assert issued.private_key is None and issued.pkcs12 is None


# --- generated keys and the register --------------------------------------------------------------------


def test_generated_key_comes_in_a_pkcs12_under_the_applicants_password(env: CaEnv) -> None:
    app = application(serial=700, csr=None, generate_key=keys.KeyType.P256, pkcs12_password=b"S3cret!2026")
    issued = env.issuer.issue(app, AT)
    assert issued.pkcs12 is not None and issued.private_key is not None
    key, certificate, extra = keys.load_pkcs12(issued.pkcs12, b"S3cret!2026")
    assert certificate == issued.certificate
    assert key.public_key() == issued.certificate.public_key()
    assert extra == list(issued.chain)
    with pytest.raises(InvalidInput):
        keys.load_pkcs12(issued.pkcs12, b"wrong")


def test_generated_key_must_be_a_file(env: CaEnv) -> None:
    app = application(
        csr=None, generate_key=keys.KeyType.P256, pkcs12_password=b"x", key_storage=KeyStorage.TOKEN
    )
    with pytest.raises(InvalidInput) as caught:
        env.issuer.issue(app, AT)
    assert caught.value.data["field"] == "key_storage"


def test_eds21_issued_certificate_is_registered(env: CaEnv) -> None:
    app = application(serial=800)
    issued = env.issuer.issue(app, AT, requested_by="operator-1")
    store = CertificateStore(env.sm)
    entry = store.get("nca", issued.serial)
    assert (entry.iin, entry.kind, entry.not_before, entry.issued_at) == (app.iin, "individual_auth", AT, AT)
    assert entry.certificate == issued.certificate
    assert entry.subject_cn == "ТЕСТОВ ТЕСТ"
    assert [e.serial for e in store.search(iin=app.iin)] == [issued.serial]
    assert store.find("gov", issued.serial) is None
    record = env.audit.entries(after_seq=0, limit=10_000)[-1]
    assert (record.actor, record.action, record.target) == ("operator-1", "issue", f"nca:{issued.serial:x}")


def test_civil_servant_is_issued_by_gov(env: CaEnv) -> None:
    app = application(
        kind=CertificateKind.CIVIL_SERVANT, organization=Organization("ӘДІЛЕТ МИНИСТРЛІГІ", "990140004654")
    )
    issued = env.issuer.issue(app, AT)
    assert issued.ca_id == "gov"
    issued.certificate.verify_directly_issued_by(env.hierarchy.get("gov").certificate)
    assert issued.chain == env.hierarchy.chain("gov")


def test_fields_that_do_not_belong_to_the_kind_are_rejected(env: CaEnv) -> None:
    with pytest.raises(InvalidInput) as caught:
        env.issuer.issue(application(organization=Organization("X", "940140000385")), AT)
    assert caught.value.data["field"] == "organization"
    with pytest.raises(InvalidInput) as caught:
        env.issuer.issue(application(roles=(LegalRole.HR,)), AT)
    assert caught.value.data["field"] == "roles"


def test_issuance_outside_the_issuing_ca_validity_is_a_conflict(env: CaEnv) -> None:
    ca_end = env.hierarchy.get("nca").certificate.not_valid_after_utc
    with pytest.raises(Conflict) as caught:
        env.issuer.issue(application(), ca_end - dt.timedelta(days=30))
    assert caught.value.code == "issuer_not_valid"


# --- the lenient switch (fixtures generator only) -------------------------------------------------------


def test_lenient_only_makes_broken_certificates(env: CaEnv) -> None:
    child = dt.date(2012, 5, 5)
    under_age = application(iin=make_iin(child, Sex.MALE, 3), birth_date=child)
    good = make_iin(BIRTH, Sex.MALE, 20)
    bad_checksum = application(iin=good[:11] + str((int(good[11]) + 1) % 10))
    for app, code in ((under_age, "under_age"), (bad_checksum, "false_information")):
        assert _refusal(env, app).code == code
        assert env.issuer.issue(app, AT, lenient=Lenient()).certificate is not None
    expired = env.issuer.issue(application(), AT, lenient=Lenient(not_before=AT - dt.timedelta(days=800)))
    assert expired.certificate.not_valid_after_utc < AT
    later = env.issuer.issue(application(), AT, lenient=Lenient(not_before=AT + dt.timedelta(days=30)))
    assert later.certificate.not_valid_before_utc > AT
    assert env.audit.entries(after_seq=0, limit=10_000)[-1].details["lenient"] is True


def test_lenient_still_refuses_mismatching_identity(env: CaEnv) -> None:
    with pytest.raises(Refused) as caught:
        env.issuer.issue(application(sex=Sex.FEMALE), AT, lenient=Lenient())
    assert caught.value.code == "false_information"


def test_pkcs12_password_is_not_in_the_application_repr() -> None:
    app = application(csr=None, generate_key=keys.KeyType.P256, pkcs12_password=b"TopSecret")
    assert "TopSecret" not in repr(app)


def test_eds21_concurrent_issuances_each_get_a_serial_of_their_own(tmp_path) -> None:
    """Eight issuances at once (threads, one connection each): every one is registered under its own serial
    and the audit chain stays one chain (issuance serialises on the audit head, on SQLite and PostgreSQL)."""
    env = make_env(tmp_path)
    barrier = threading.Barrier(8)
    issued: list[int] = []
    lock = threading.Lock()

    def issue(n: int) -> None:
        barrier.wait()
        certificate = env.issuer.issue(application(serial=900 + n), AT, requested_by=f"operator-{n}")
        with lock:
            issued.append(certificate.serial)

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(issued)) == 8
    with env.sm() as session:
        stored = set(session.scalars(select(CertificateRecord.serial)))
    assert {serial_to_hex(s) for s in issued} <= stored
    report = env.audit.verify_chain()
    assert report.ok and report.entries == _issues(env)


def _issues(env: CaEnv) -> int:
    return sum(1 for e in env.audit.entries(after_seq=0, limit=10_000) if e.action == "issue")
