"""EDS-10: the time a verification runs "as of" is bounded to [1950, 9000) UTC. Outside it every entry point
of the verifier refuses with ``datetime_out_of_range`` from the catalogue (never an OverflowError); at the
edges and for a certificate valid "until 9999" it gives a verdict."""

from __future__ import annotations

import datetime as dt

import pytest

from pki.calendar import parse_instant
from pki.cms_signing import sign_cms
from pki.errors import ErrorCode, InvalidInput
from tests.verifier.conftest import T0, MiniPki

OUT_OF_RANGE = (
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC
    "1949-12-31T23:59:59+00:00",
    "9000-01-01T00:00:00+00:00",
)


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_eds10_a_validation_time_out_of_range_is_refused_by_every_call(pki: MiniPki, text: str) -> None:
    at = dt.datetime.fromisoformat(text)
    verifier = pki.verifier()
    leaf = pki.leaf()
    signed = sign_cms(b"challenge", leaf.key, leaf.cert, signing_time=T0)  # type: ignore[arg-type]
    calls = (
        lambda: verifier.verify_cms(signed, at=at),
        lambda: verifier.verify_xml(b"<a/>", at=at),
        lambda: verifier.verify_timestamp(signed, at=at),
        lambda: verifier.inspect_certificate(leaf.der, at=at),
    )
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.code == ErrorCode.DATETIME_OUT_OF_RANGE


@pytest.mark.parametrize("text", ["1950-01-01T00:00:00+00:00", "8999-12-31T23:59:59+00:00"])
def test_eds10_the_edges_of_the_range_give_a_failed_verdict(pki: MiniPki, text: str) -> None:
    at = dt.datetime.fromisoformat(text)
    verifier = pki.verifier()
    leaf = pki.leaf()
    signed = sign_cms(b"challenge", leaf.key, leaf.cert, signing_time=T0)  # type: ignore[arg-type]
    assert not verifier.inspect_certificate(leaf.der, at=at).passed
    assert not verifier.verify_cms(signed, at=at).passed


def test_eds10_a_certificate_valid_until_9999_with_clock_skew_gives_a_verdict(pki: MiniPki) -> None:
    """RFC 5280 4.1.2.5: 99991231235959Z means "no well-defined expiration"; skew added to it must not
    overflow."""
    leaf = pki.leaf(not_after=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC))
    verifier = pki.verifier(max_clock_skew=dt.timedelta(minutes=5))
    verdict = verifier.inspect_certificate(leaf.der, at=T0)
    assert verdict.validation_time == T0
    assert verifier.inspect_certificate(leaf.der, at=dt.datetime(8999, 12, 31, tzinfo=dt.UTC)) is not None


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "0001-01-01"])
def test_kz_time_parse_instant_refuses_out_of_range_instants_with_a_code(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_instant(text)
    assert caught.value.code == ErrorCode.DATETIME_OUT_OF_RANGE
