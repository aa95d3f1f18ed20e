"""Identity rules: IIN validity (production vs test-PKI), EDS-14 age, UNIS-3 individual vs legal entity."""

from __future__ import annotations

import datetime as dt

from pki.calendar import add_years
from pki.iin import Sex, make_iin
from pki.names import Organization
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki
from verifier import Indication, Purpose

NCA_TEST_IIN = "123456789011"
COMPANY = Organization('ТОО "ТЕСТ" (SIM)', "940140000385")


def _checks(verdict):  # type: ignore[no-untyped-def]
    return {c.id: c for c in verdict.checks}


def test_production_mode_refuses_the_nca_test_iin(pki: MiniPki) -> None:
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(pki.leaf(iin=NCA_TEST_IIN).der, at=T0)
    assert verdict.reasons == (Reason.INVALID_IIN,)
    assert not verdict.passed


def test_test_pki_mode_accepts_the_nca_test_iin_with_a_warning(pki: MiniPki) -> None:
    verdict = pki.verifier(crls=[pki.crl()], test_pki=True).inspect_certificate(
        pki.leaf(iin=NCA_TEST_IIN).der, at=T0
    )
    assert verdict.passed
    assert [w.code for w in verdict.warnings] == [Reason.TEST_IDENTITY.value]
    assert _checks(verdict)["age"].status.value == "skipped"  # the test IIN has no birth date


def test_production_mode_refuses_an_iin_with_a_wrong_check_digit(pki: MiniPki) -> None:
    good = make_iin(dt.date(1980, 1, 1), Sex.MALE, 42)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    assert pki.verifier(crls=[pki.crl()]).inspect_certificate(pki.leaf(iin=bad).der, at=T0).reasons == (
        Reason.INVALID_IIN,
    )


def test_eds14_owner_under_16_is_refused(pki: MiniPki) -> None:
    iin = make_iin(add_years(T0.date(), -16) + dt.timedelta(days=1), Sex.FEMALE, 7)
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(pki.leaf(iin=iin).der, at=T0)
    assert verdict.reasons == (Reason.UNDER_AGE,)
    assert verdict.signer.identity.age == 15


def test_eds14_owner_exactly_16_on_the_validation_date_is_accepted(pki: MiniPki) -> None:
    iin = make_iin(add_years(T0.date(), -16), Sex.MALE, 8)
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(pki.leaf(iin=iin).der, at=T0)
    assert verdict.passed and verdict.signer.identity.age == 16


def test_eds14_born_29_february_is_16_on_29_february_sixteen_years_later(pki: MiniPki) -> None:
    iin = make_iin(dt.date(2008, 2, 29), Sex.MALE, 9)
    leaf = pki.leaf(
        iin=iin,
        not_before=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2025, 1, 31, tzinfo=dt.UTC),
    )
    verifier = pki.verifier(crls=[], check_ca_revocation=False, purpose=Purpose.DOCUMENT)
    identity_on = lambda day: verifier.inspect_certificate(leaf.der, at=day).signer.identity  # noqa: E731
    assert identity_on(dt.datetime(2024, 2, 28, 12, tzinfo=dt.UTC)).age == 15
    assert identity_on(dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)).age == 16  # 2024 is a leap year


def test_unis3_legal_entity_certificate_is_refused_for_login_and_accepted_for_documents(pki: MiniPki) -> None:
    leaf = pki.leaf("legal", organization=COMPANY)
    login = pki.verifier(crls=[pki.crl()]).inspect_certificate(leaf.der, at=T0)
    assert login.reasons == (Reason.NOT_INDIVIDUAL,)
    identity = login.signer.identity
    assert identity.kind == "legal_entity" and identity.bin == COMPANY.bin
    assert identity.roles == ("legal_entity", "first_head")
    document = pki.verifier(crls=[pki.crl()], purpose=Purpose.DOCUMENT)
    checks = _checks(document.inspect_certificate(leaf.der, at=T0))
    assert "individual" not in checks and checks["bin"].status.value == "passed"


def test_production_mode_refuses_the_nca_test_bin(pki: MiniPki) -> None:
    leaf = pki.leaf("legal", organization=Organization("TEST", "123456789021"))
    verdict = pki.verifier(crls=[pki.crl()], purpose=Purpose.DOCUMENT).inspect_certificate(leaf.der, at=T0)
    assert Reason.INVALID_BIN in verdict.reasons


def test_identity_is_read_by_oid_with_the_patronymic_in_given_name(pki: MiniPki) -> None:
    verdict = pki.verifier(crls=[pki.crl()]).inspect_certificate(pki.leaf().der, at=T0)
    identity = verdict.signer.identity
    assert (identity.surname, identity.name, identity.patronymic) == ("ТЕСТОВ", "АЙДАР", "СЕРІКҰЛЫ")
    assert identity.kind == "individual" and identity.roles == ("individual",)
    assert verdict.indication is Indication.TOTAL_PASSED


def test_number_validity_is_memoised_for_twelve_characters_only() -> None:
    from tests.verifier.conftest import ADULT_IIN
    from verifier import identity as identity_module

    identity_module._memoised_number_problem.cache_clear()
    assert identity_module._number_problem("1" * 13, True) == "IIN must be exactly 12 digits"
    assert identity_module._memoised_number_problem.cache_info().currsize == 0
    assert identity_module._number_problem(ADULT_IIN, True) is None
    wrong = ADULT_IIN[:11] + str((int(ADULT_IIN[11]) + 1) % 10)
    assert identity_module._number_problem(wrong, True) == "IIN check digit is wrong"
    assert identity_module._number_problem(wrong, True) == "IIN check digit is wrong"
    assert identity_module._memoised_number_problem.cache_info().currsize == 2
