"""One-time challenges (UNIS-8, UNIS-9/10): fresh, short-lived, genuine, consumed once, even concurrently."""

from __future__ import annotations

import base64
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from pki.reasons import Reason
from tests.unis.conftest import T0
from unis.challenges import (
    MAX_ID_CHARS,
    NONCE_BYTES,
    Challenges,
    ConsumedChallengeRow,
    derive_challenge_key,
)

TTL = dt.timedelta(minutes=5)
KEY = derive_challenge_key(b"test secret")


@pytest.fixture
def challenges(sm):
    return Challenges(sm, KEY)


def _consume(sm, challenges, challenge, at):
    with sm.begin() as session:
        return challenges.consume(session, challenge.challenge_id, challenge.expires_at, at=at)


def _stored(sm) -> int:
    with sm() as session:
        return session.scalar(select(func.count()).select_from(ConsumedChallengeRow))


def test_unis8_challenge_is_a_fresh_32_byte_nonce_issued_without_a_write(sm, challenges):
    first = challenges.issue(at=T0, ttl=TTL)
    second = challenges.issue(at=T0, ttl=TTL)
    assert len(first.nonce) == NONCE_BYTES and len(first.challenge_id) == MAX_ID_CHARS
    assert first.nonce != second.nonce and first.challenge_id != second.challenge_id
    assert first.expires_at == T0 + TTL and first.created_at == T0
    assert _stored(sm) == 0


def test_unis9_10_challenge_opens_in_any_process_with_the_same_key(sm, challenges):
    challenge = challenges.issue(at=T0, ttl=TTL)
    state = Challenges(sm, KEY).open(challenge.challenge_id, at=T0 + dt.timedelta(seconds=1))
    assert (
        state.reason is None and state.nonce == challenge.nonce and state.expires_at == challenge.expires_at
    )
    other = Challenges(sm, derive_challenge_key(b"another secret"))
    assert other.open(challenge.challenge_id, at=T0).reason is Reason.CHALLENGE_UNKNOWN


def test_unis9_10_challenge_is_consumed_once_and_a_replay_is_refused(sm, challenges):
    challenge = challenges.issue(at=T0, ttl=TTL)
    assert _consume(sm, challenges, challenge, T0 + dt.timedelta(seconds=1))
    assert not _consume(sm, challenges, challenge, T0 + dt.timedelta(seconds=2))
    assert _stored(sm) == 1


def test_unis9_10_expired_challenge_is_refused(challenges):
    challenge = challenges.issue(at=T0, ttl=TTL)
    expired = challenges.open(challenge.challenge_id, at=T0 + TTL)
    assert expired.reason is Reason.CHALLENGE_EXPIRED and expired.nonce == challenge.nonce
    assert challenges.open(challenge.challenge_id, at=T0 + TTL - dt.timedelta(seconds=1)).reason is None


def test_unis9_10_a_forged_or_altered_challenge_is_unknown(challenges):
    challenge = challenges.issue(at=T0, ttl=TTL)
    raw = bytearray(base64.urlsafe_b64decode(challenge.challenge_id + "="))
    raw[0] ^= 0x01  # push the expiry: the tag no longer matches
    altered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    for challenge_id in (altered, "", "x" * 500, "x" * MAX_ID_CHARS, "!" * MAX_ID_CHARS):
        state = challenges.open(challenge_id, at=T0)
        assert state.reason is Reason.CHALLENGE_UNKNOWN and state.nonce is None


def test_unis9_10_one_challenge_has_one_spelling(challenges):
    """base64's spare bits in the last character must not give a second id for the same challenge."""
    challenge = challenges.issue(at=T0, ttl=TTL)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(challenge.challenge_id[-1])
    for spare in range(1, 4):
        variant = challenge.challenge_id[:-1] + alphabet[last ^ spare]
        assert challenges.open(variant, at=T0).reason is Reason.CHALLENGE_UNKNOWN


def test_unis9_10_concurrent_logins_with_one_challenge_let_exactly_one_through(sm, challenges):
    for _ in range(5):
        challenge = challenges.issue(at=T0, ttl=TTL)
        barrier = threading.Barrier(8)
        outcomes: list[bool] = []
        lock = threading.Lock()

        def attempt(challenge=challenge) -> None:
            barrier.wait()
            won = _consume(sm, challenges, challenge, T0 + dt.timedelta(seconds=1))
            with lock:
                outcomes.append(won)

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count(True) == 1 and outcomes.count(False) == 7


def test_purge_removes_only_expired_challenges(sm, challenges):
    old = challenges.issue(at=T0, ttl=TTL)
    fresh = challenges.issue(at=T0 + dt.timedelta(hours=1), ttl=TTL)
    assert _consume(sm, challenges, old, T0)
    assert _consume(sm, challenges, fresh, T0 + dt.timedelta(hours=1))
    assert challenges.purge(expired_before=T0 + dt.timedelta(minutes=30)) == 1
    assert _stored(sm) == 1
    assert not _consume(sm, challenges, fresh, T0 + dt.timedelta(hours=1, seconds=1))
