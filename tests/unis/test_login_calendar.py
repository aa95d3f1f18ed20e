"""KZ-TIME at login: EDS-14's age and UNIS-12's calendar year are counted on Kazakhstan's dates.

A whole UNIS login (challenge, CMS over the nonce, verifier, account, record) at instants either side
of 19:00:00Z, which is midnight in Almaty (UTC+5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.database import dispose, open_database
from pki.cms_signing import sign_cms
from pki.iin import Sex, make_iin
from pki.reasons import Reason
from tests.databases import database_url
from tests.verifier import conftest as verifier_fixtures
from tests.verifier.conftest import MiniPki
from unis.accounts import Accounts, AccountStatus, Role
from unis.login import Decision, LoginAttempt, LoginDecision, LoginService, SignatureFormat
from unis.policy import LoginPolicy
from verifier import StaticRevocationSource, Verifier

pki = verifier_fixtures.pki  # the verifier tests' session MiniPki fixture, shared

EVE_OF_16 = dt.date(2010, 12, 2)  # 16 on 2 December 2026, which begins at 2026-12-01T19:00:00Z


@pytest.fixture
def sm(tmp_path) -> Iterator[sessionmaker[Session]]:
    factory = open_database(database_url(tmp_path / "calendar.db"))
    yield factory
    dispose(factory)


def _log_in(
    sm: sessionmaker[Session], pki: MiniPki, at: dt.datetime, *, iin: str, not_before: dt.datetime
) -> LoginDecision:
    """Create the account (if new), issue a certificate from ``not_before``, and log in at ``at``."""
    if Accounts(sm).find_by_iin(iin) is None:
        Accounts(sm).create(iin=iin, role=Role.CHAMBER_EMPLOYEE, chamber="ALM", at=not_before, actor="test")
    leaf = pki.leaf(iin=iin, not_before=not_before, not_after=not_before + dt.timedelta(days=800))
    hour = dt.timedelta(hours=1)
    crls = [
        pki.crl(issuer=pki.root, this_update=at - hour, next_update=at + 26 * hour),
        pki.crl(this_update=at - hour, next_update=at + 26 * hour),
    ]
    verifier = Verifier(pki.policy(), StaticRevocationSource(crls=crls))
    service = LoginService(sm, verifier, LoginPolicy(), challenge_key=b"k" * 32)
    challenge = service.create_challenge(at - dt.timedelta(seconds=30))
    cms = sign_cms(challenge.nonce, leaf.key, leaf.cert, signing_time=at, detached=True)
    return service.log_in(LoginAttempt(challenge.challenge_id, SignatureFormat.CMS, cms), at)


def test_eds14_login_at_18_59_59z_on_the_eve_of_the_16th_birthday_is_refused(sm, pki) -> None:
    iin = make_iin(EVE_OF_16, Sex.MALE, 301)
    at = dt.datetime(2026, 12, 1, 18, 59, 59, tzinfo=dt.UTC)  # 23:59:59 on 1 December in Almaty
    decision = _log_in(sm, pki, at, iin=iin, not_before=at - dt.timedelta(days=3))
    assert decision.decision is Decision.REFUSED
    assert Reason.UNDER_AGE in decision.reasons
    assert decision.verdict is not None and decision.verdict.signer.identity.age == 15


def test_eds14_login_at_19_00_00z_on_the_eve_of_the_16th_birthday_is_accepted(sm, pki) -> None:
    iin = make_iin(EVE_OF_16, Sex.FEMALE, 302)
    at = dt.datetime(2026, 12, 1, 19, 0, 0, tzinfo=dt.UTC)  # 00:00 on 2 December in Almaty: 16 today
    decision = _log_in(sm, pki, at, iin=iin, not_before=at - dt.timedelta(days=3))
    assert decision.decision is Decision.ACCEPTED, decision.reasons
    assert decision.verdict is not None and decision.verdict.signer.identity.age == 16


def test_eds14_login_born_29_february_is_16_from_19_00z_on_28_february_of_a_leap_year(sm, pki) -> None:
    iin = make_iin(dt.date(2010, 2, 28), Sex.MALE, 303)  # control: an ordinary birthday the day before
    leap = make_iin(dt.date(2012, 2, 29), Sex.MALE, 304)
    issued = dt.datetime(2028, 2, 1, tzinfo=dt.UTC)
    before = dt.datetime(2028, 2, 28, 18, 59, 59, tzinfo=dt.UTC)  # 28 February in Almaty
    after = dt.datetime(2028, 2, 28, 19, 0, 0, tzinfo=dt.UTC)  # 29 February in Almaty
    assert _log_in(sm, pki, before, iin=iin, not_before=issued).decision is Decision.ACCEPTED  # 18 already
    assert Reason.UNDER_AGE in _log_in(sm, pki, before, iin=leap, not_before=issued).reasons
    assert _log_in(sm, pki, after, iin=leap, not_before=issued).decision is Decision.ACCEPTED


def _utc(*fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=dt.UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("not_before", "at", "stale"),
    [
        # received 1 December 2025 in Almaty (19:00Z on 30 November): usable through 1 December 2026
        (_utc(2025, 11, 30, 19, 0, 0), _utc(2026, 12, 1, 18, 59, 59), False),
        (_utc(2025, 11, 30, 19, 0, 0), _utc(2026, 12, 1, 19, 0, 0), True),
        # received 30 November 2025 in Almaty (18:59:59Z): refused once 1 December 2026 begins in Almaty
        (_utc(2025, 11, 30, 18, 59, 59), _utc(2026, 11, 30, 18, 59, 59), False),
        (_utc(2025, 11, 30, 18, 59, 59), _utc(2026, 11, 30, 19, 0, 0), True),
    ],
)
def test_unis12_calendar_year_ends_with_the_kazakh_anniversary_at_both_ends(
    sm, pki, not_before: dt.datetime, at: dt.datetime, stale: bool
) -> None:
    iin = make_iin(dt.date(1985, 4, 12), Sex.MALE, 310)
    decision = _log_in(sm, pki, at, iin=iin, not_before=not_before)
    account = Accounts(sm).find_by_iin(iin)
    assert account is not None
    if stale:
        assert decision.reasons == (Reason.EDS_NOT_REISSUED,)
        assert decision.account_blocked and account.status is AccountStatus.BLOCKED
    else:
        assert decision.decision is Decision.ACCEPTED, decision.reasons
        assert account.status is AccountStatus.ACTIVE
