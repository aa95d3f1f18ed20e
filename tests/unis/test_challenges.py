"""One-time challenges (UNIS-8, UNIS-9/10): fresh, short-lived, consumed exactly once, even concurrently."""

from __future__ import annotations

import datetime as dt
import threading

from pki.reasons import Reason
from tests.unis.conftest import T0
from unis.challenges import NONCE_BYTES, consume_challenge, create_challenge, purge_challenges, read_challenge

TTL = dt.timedelta(minutes=5)


def _consume(sm, challenge_id, at):
    with sm.begin() as session:
        return consume_challenge(session, challenge_id, at=at)


def test_unis8_challenge_is_a_fresh_32_byte_nonce(sm):
    first = create_challenge(sm, at=T0, ttl=TTL)
    second = create_challenge(sm, at=T0, ttl=TTL)
    assert len(first.nonce) == NONCE_BYTES
    assert first.nonce != second.nonce and first.challenge_id != second.challenge_id
    assert first.expires_at == T0 + TTL


def test_unis9_10_challenge_is_consumed_once_and_a_replay_is_refused(sm):
    challenge = create_challenge(sm, at=T0, ttl=TTL)
    state = read_challenge(sm, challenge.challenge_id, at=T0 + dt.timedelta(seconds=1))
    assert state.reason is None and state.nonce == challenge.nonce
    assert _consume(sm, challenge.challenge_id, T0 + dt.timedelta(seconds=1))
    assert not _consume(sm, challenge.challenge_id, T0 + dt.timedelta(seconds=2))
    replay = read_challenge(sm, challenge.challenge_id, at=T0 + dt.timedelta(seconds=2))
    assert replay.reason is Reason.CHALLENGE_USED and replay.nonce == challenge.nonce


def test_unis9_10_expired_challenge_is_refused_and_cannot_be_consumed(sm):
    challenge = create_challenge(sm, at=T0, ttl=TTL)
    assert read_challenge(sm, challenge.challenge_id, at=T0 + TTL).reason is Reason.CHALLENGE_EXPIRED
    assert not _consume(sm, challenge.challenge_id, T0 + TTL)
    assert read_challenge(sm, challenge.challenge_id, at=T0 + TTL - dt.timedelta(seconds=1)).reason is None


def test_unknown_challenge(sm):
    assert read_challenge(sm, "no-such-challenge", at=T0).reason is Reason.CHALLENGE_UNKNOWN
    assert read_challenge(sm, "", at=T0).reason is Reason.CHALLENGE_UNKNOWN
    assert read_challenge(sm, "x" * 500, at=T0).reason is Reason.CHALLENGE_UNKNOWN
    assert not _consume(sm, "no-such-challenge", T0)


def test_unis9_10_concurrent_logins_with_one_challenge_let_exactly_one_through(sm):
    for _ in range(5):
        challenge = create_challenge(sm, at=T0, ttl=TTL)
        barrier = threading.Barrier(8)
        outcomes: list[bool] = []
        lock = threading.Lock()

        def attempt(challenge_id: str = challenge.challenge_id) -> None:
            barrier.wait()
            won = _consume(sm, challenge_id, T0 + dt.timedelta(seconds=1))
            with lock:
                outcomes.append(won)

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count(True) == 1 and outcomes.count(False) == 7


def test_purge_removes_only_expired_challenges(sm):
    old = create_challenge(sm, at=T0, ttl=TTL)
    fresh = create_challenge(sm, at=T0 + dt.timedelta(hours=1), ttl=TTL)
    assert purge_challenges(sm, expired_before=T0 + dt.timedelta(minutes=30)) == 1
    assert read_challenge(sm, old.challenge_id, at=T0).reason is Reason.CHALLENGE_UNKNOWN
    assert read_challenge(sm, fresh.challenge_id, at=T0 + dt.timedelta(hours=1)).reason is None
