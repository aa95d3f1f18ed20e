"""verifier.memo: a bounded memo keyed apart from its computation."""

from __future__ import annotations

import pytest

from verifier.memo import DER_KEY_BYTES, Memo, small_der


def test_a_hit_does_not_compute_again() -> None:
    memo: Memo[str, int] = Memo(2)
    calls: list[str] = []

    def compute(label: str, value: int) -> int:
        calls.append(label)
        return value

    assert memo.get("a", lambda: compute("a", 1)) == 1
    assert memo.get("a", lambda: compute("again", 2)) == 1
    assert calls == ["a"]


def test_the_least_recently_used_value_is_dropped_first() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a is now the most recent
    memo.get("c", lambda: 3)  # drops b
    assert len(memo) == 2
    assert memo.get("a", lambda: 9) == 1
    assert memo.get("b", lambda: 9) == 9


def test_an_exception_stores_nothing_and_clear_forgets() -> None:
    memo: Memo[str, int] = Memo(4)

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("a", fail)
    assert len(memo) == 0
    memo.get("a", lambda: 1)
    memo.cache_clear()
    assert len(memo) == 0


def test_a_memo_holds_at_least_one_value() -> None:
    with pytest.raises(ValueError):
        Memo(0)


def test_a_key_the_memo_does_not_admit_is_computed_every_time_and_never_stored() -> None:
    memo: Memo[bytes, int] = Memo(4, admit=small_der)
    calls: list[int] = []
    large = b"\x30" * (DER_KEY_BYTES + 1)
    for _ in range(2):
        assert memo.get(large, lambda: calls.append(1) or 7) == 7
    assert calls == [1, 1] and len(memo) == 0
    memo.get(b"\x30" * DER_KEY_BYTES, lambda: 1)
    assert len(memo) == 1


def test_memos_keyed_by_certificate_der_hold_no_oversized_der() -> None:
    """Input sized to fill them (a 1 MB certificate in a CMS) is verified but not kept: each memo keyed
    by DER admits only keys of at most DER_KEY_BYTES."""
    from verifier import certificate, certificate_summary, identity

    large = b"\x30" * (DER_KEY_BYTES + 1)
    for memo, key in (
        (certificate_summary._SUMMARIES, large),
        (identity._IDENTITIES, large),
        (certificate._ISSUED_BY, (b"k", large, frozenset())),
        (certificate._ISSUED_BY, (large, b"c", frozenset())),
    ):
        before = len(memo)
        memo.get(key, lambda: None)  # type: ignore[arg-type]
        assert len(memo) == before
