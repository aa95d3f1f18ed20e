"""KZ-TIME: legal dates are Kazakhstan's calendar dates (Asia/Almaty, UTC+5); instants stay UTC."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from pki import calendar
from pki.calendar import KZ_TIME, kz_date, kz_day_start, parse_instant, years_elapsed
from pki.iin import age_at


def test_kz_time_is_one_named_zone_five_hours_ahead_of_utc() -> None:
    assert str(KZ_TIME) == "Asia/Almaty"
    assert dt.datetime(2026, 12, 1, 12, tzinfo=KZ_TIME).utcoffset() == dt.timedelta(hours=5)


def test_kz_time_the_legal_date_changes_at_19_00_utc() -> None:
    assert kz_date(dt.datetime(2026, 12, 1, 18, 59, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)
    assert kz_date(dt.datetime(2026, 12, 1, 19, 0, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 2)
    assert kz_day_start(dt.date(2026, 12, 2)) == dt.datetime(2026, 12, 1, 19, tzinfo=dt.UTC)


def test_kz_time_before_1_march_2024_almaty_was_utc_plus_6() -> None:
    """The zone database carries the history: an instant of February 2024 falls on Almaty's date then."""
    assert kz_date(dt.datetime(2024, 2, 28, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 2, 29)  # 00:30 at UTC+6
    assert kz_date(dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)) == dt.date(2024, 3, 1)  # 23:30 at UTC+5


def test_kz_time_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="naive"):
        kz_date(dt.datetime(2026, 12, 1, 19))


def test_kz_time_zone_loads_from_the_tzdata_package_without_a_system_zone_database() -> None:
    zoneinfo.reset_tzpath(to=[])  # as on a machine with no /usr/share/zoneinfo
    try:
        zone = zoneinfo.ZoneInfo.no_cache("Asia/Almaty")
        assert dt.datetime(2026, 12, 1, 19, tzinfo=dt.UTC).astimezone(zone).date() == dt.date(2026, 12, 2)
    finally:
        zoneinfo.reset_tzpath()


def test_eds14_age_at_18_59_59z_on_the_eve_of_the_16th_birthday_is_15() -> None:
    assert age_at(dt.date(2010, 12, 2), dt.datetime(2026, 12, 1, 18, 59, 59, tzinfo=dt.UTC)) == 15


def test_eds14_age_at_19_00_00z_on_the_eve_of_the_16th_birthday_is_16() -> None:
    assert age_at(dt.date(2010, 12, 2), dt.datetime(2026, 12, 1, 19, 0, 0, tzinfo=dt.UTC)) == 16


def test_eds14_born_29_february_turns_16_when_29_february_begins_in_almaty() -> None:
    born = dt.date(2012, 2, 29)
    assert age_at(born, dt.datetime(2028, 2, 28, 18, 59, 59, tzinfo=dt.UTC)) == 15
    assert age_at(born, dt.datetime(2028, 2, 28, 19, 0, 0, tzinfo=dt.UTC)) == 16


def test_eds14_born_29_february_turns_16_on_1_march_of_a_non_leap_year() -> None:
    born = dt.date(2084, 2, 29)  # 2100 is not a leap year: the 16th birthday is 1 March 2100
    assert age_at(born, dt.datetime(2100, 2, 28, 18, 59, 59, tzinfo=dt.UTC)) == 15  # 28 Feb, 23:59:59
    assert age_at(born, dt.datetime(2100, 2, 28, 19, 0, 0, tzinfo=dt.UTC)) == 16  # 1 March in Almaty


def test_unis12_years_elapsed_counts_the_kazakh_anniversary_at_both_ends() -> None:
    received = dt.datetime(2025, 11, 30, 19, 0, tzinfo=dt.UTC)  # 1 December 2025 in Almaty
    assert not years_elapsed(received, dt.datetime(2026, 12, 1, 18, 59, 59, tzinfo=dt.UTC), 1)
    assert years_elapsed(received, dt.datetime(2026, 12, 1, 19, 0, 0, tzinfo=dt.UTC), 1)
    late = dt.datetime(2025, 11, 30, 18, 59, 59, tzinfo=dt.UTC)  # still 30 November 2025 in Almaty
    assert not years_elapsed(late, dt.datetime(2026, 11, 30, 18, 59, 59, tzinfo=dt.UTC), 1)
    assert years_elapsed(late, dt.datetime(2026, 11, 30, 19, 0, 0, tzinfo=dt.UTC), 1)


def test_unis12_a_certificate_received_on_29_february_lasts_through_1_march() -> None:
    received = dt.datetime(2028, 2, 29, 6, tzinfo=dt.UTC)
    assert not years_elapsed(received, dt.datetime(2029, 3, 1, 18, 59, 59, tzinfo=dt.UTC), 1)
    assert years_elapsed(received, dt.datetime(2029, 3, 1, 19, 0, 0, tzinfo=dt.UTC), 1)


def test_unis5_1_a_bare_date_ends_a_term_when_that_kazakh_day_begins() -> None:
    assert parse_instant("2026-12-15") == dt.datetime(2026, 12, 14, 19, tzinfo=dt.UTC)
    assert parse_instant("2026-12-15T10:00:00+05:00") == dt.datetime(2026, 12, 15, 5, tzinfo=dt.UTC)
    assert parse_instant("2026-12-15T10:00:00") == dt.datetime(
        2026, 12, 15, 10, tzinfo=dt.UTC
    )  # no zone: UTC
    with pytest.raises(ValueError):
        parse_instant("15.12.2026")


def test_kz_time_no_other_module_names_a_zone() -> None:
    """The zone is one setting: only pki.calendar says "Asia/Almaty" or builds a ZoneInfo."""
    from pathlib import Path

    root = Path(calendar.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for package in ("pki", "ca_sim", "verifier", "unis", "api", "documents")
        for path in (root / package).rglob("*.py")
        if path.name != "calendar.py"
        and ("Asia/Almaty" in path.read_text() or "ZoneInfo(" in path.read_text())
    ]
    assert offenders == []
