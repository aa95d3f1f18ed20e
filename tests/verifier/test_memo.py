"""verifier.memo: a bounded memo keyed apart from its computation."""

from __future__ import annotations

import pytest

from verifier.memo import Memo


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
