"""IIN/BIN rules (nca-profile.md) and the age rule of EDS-14."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pki.calendar import add_years
from pki.errors import InvalidInput
from pki.iin import (
    Sex,
    age_on,
    has_valid_checksum,
    is_nca_test_identity,
    make_bin,
    make_iin,
    mask,
    parse_bin,
    parse_iin,
)


@pytest.mark.parametrize("number", ["940140000385", "990140004654", "000740000728"])
def test_bin_checksum_accepts_published_examples(number: str) -> None:
    assert has_valid_checksum(number)
    assert parse_bin(number).entity_type == 4


@pytest.mark.parametrize("number", ["123456789011", "123456789021"])
def test_nca_test_identities_fail_the_checksum_on_purpose(number: str) -> None:
    assert not has_valid_checksum(number)
    with pytest.raises(InvalidInput) as err:
        parse_iin(number)
    assert err.value.code == "invalid_iin"


def test_nca_test_iin_is_recognised_but_has_no_birth_date() -> None:
    assert is_nca_test_identity("123456789011") and is_nca_test_identity("123456789021")
    assert not is_nca_test_identity("940140000385")
    with pytest.raises(InvalidInput):  # digit 7 is "7": no century, no birth date
        parse_iin("123456789011", require_checksum=False)


def test_check_digit_uses_second_weights_when_first_sum_is_ten() -> None:
    # 11 digits whose first weighted sum is 10 mod 11 exercise the second weight row.
    first = "00000000010"  # 1*10 = 10 -> second row: 1*1 = 1
    assert has_valid_checksum(first + "1")
    assert not has_valid_checksum(first + "0")


@pytest.mark.parametrize(
    ("value", "code_fragment"),
    [("12345", "12 digits"), ("12345678901a", "12 digits"), ("９４０１４００００３８５", "12 digits")],
)
def test_iin_rejects_non_digits(value: str, code_fragment: str) -> None:
    with pytest.raises(InvalidInput, match=code_fragment):
        parse_iin(value)


@pytest.mark.parametrize("digit", "0789")
def test_iin_rejects_unassigned_century_digit(digit: str) -> None:
    with pytest.raises(InvalidInput, match="digit 7"):
        parse_iin(f"900101{digit}00010", require_checksum=False)


def test_iin_rejects_impossible_birth_date() -> None:
    with pytest.raises(InvalidInput, match="birth date"):
        parse_iin("901332300010", require_checksum=False)


def test_iin_century_and_sex_digit() -> None:
    iin = parse_iin(make_iin(dt.date(2008, 5, 17), Sex.FEMALE, 42))
    assert iin.birth_date == dt.date(2008, 5, 17)
    assert iin.sex is Sex.FEMALE
    assert iin.value[6] == "6"
    older = parse_iin(make_iin(dt.date(1899, 12, 31), Sex.MALE, 1))
    assert older.value[6] == "1" and older.birth_date.year == 1899


def test_eds14_age_in_full_years() -> None:
    born = dt.date(2010, 11, 22)
    assert age_on(born, dt.date(2026, 11, 21)) == 15
    assert age_on(born, dt.date(2026, 11, 22)) == 16


def test_eds14_leap_day_birthday_turns_16_on_1_march() -> None:
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2024, 2, 28)) == 15
    assert age_on(born, dt.date(2024, 2, 29)) == 16  # 2024 is a leap year: the birthday exists
    born = dt.date(2009, 2, 28)  # control: an ordinary 28 February birthday
    assert age_on(born, dt.date(2025, 2, 28)) == 16
    born = dt.date(2004, 2, 29)  # turns 16 in 2020 (leap) and 17 in 2021 (non-leap) on 1 March
    assert age_on(born, dt.date(2021, 2, 28)) == 16
    assert age_on(born, dt.date(2021, 3, 1)) == 17


def test_add_years_moves_29_february_to_1_march() -> None:
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)
    moment = dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.UTC)
    assert add_years(moment, 1) == dt.datetime(2025, 3, 1, 12, 30, tzinfo=dt.UTC)


def test_mask_keeps_only_last_four_digits() -> None:
    assert mask("900101300011") == "********0011"
    assert mask("12") == "12"


@given(
    birth=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)),
    sex=st.sampled_from(list(Sex)),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_iin_round_trip(birth: dt.date, sex: Sex, serial: int) -> None:
    value = make_iin(birth, sex, serial)
    parsed = parse_iin(value)
    assert (parsed.birth_date, parsed.sex, parsed.checksum_ok) == (birth, sex, True)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    serial=st.integers(min_value=0, max_value=9999),
    delta=st.integers(min_value=1, max_value=9),
)
def test_changed_check_digit_is_always_detected(birth: dt.date, serial: int, delta: int) -> None:
    value = make_iin(birth, Sex.MALE, serial)
    changed = value[:11] + str((int(value[11]) + delta) % 10)
    assert not has_valid_checksum(changed)
    with pytest.raises(InvalidInput):
        parse_iin(changed)


@given(
    registered=st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2099, 12, 1)),
    serial=st.integers(min_value=0, max_value=99999),
)
def test_bin_round_trip(registered: dt.date, serial: int) -> None:
    value = make_bin(registered, serial)
    parsed = parse_bin(value)
    assert parsed.registered == f"{registered:%y%m}" and parsed.checksum_ok
