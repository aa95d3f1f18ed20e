"""The suite's own "now" (``tests.conftest.SESSION_AT``): on the real Kazakh date, never in the future."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pki.calendar import kz_date, kz_day_start
from tests.conftest import _session_at

NOW = st.datetimes(
    min_value=dt.datetime(2024, 3, 2), max_value=dt.datetime(2040, 1, 1), timezones=st.just(dt.UTC)
)


@given(NOW)
def test_kz_time_the_session_time_is_on_the_kazakh_date_of_now_and_never_after_it(now: dt.datetime) -> None:
    at = _session_at(now)
    assert at <= now and kz_date(at) == kz_date(now)
    assert at >= now - dt.timedelta(hours=12)


def test_kz_time_in_the_first_minute_after_kazakh_midnight_the_session_time_is_now() -> None:
    midnight = kz_day_start(dt.date(2026, 12, 5))  # 2026-12-04T19:00:00Z
    now = midnight + dt.timedelta(seconds=30)
    assert _session_at(now) == now  # "midnight + 1 minute" would be in the future for openssl
    assert _session_at(midnight + dt.timedelta(hours=3)) == midnight + dt.timedelta(minutes=1)
