"""bench.wrk: slices of a phase add up exactly, percentiles of a latency distribution."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.wrk import Phase, percentile


def test_percentile_is_the_smallest_value_covering_the_fraction() -> None:
    distribution = {10.0: 50, 20.0: 45, 90.0: 5}  # 100 requests
    assert percentile(distribution, 0.5) == 10.0
    assert percentile(distribution, 0.51) == 20.0
    assert percentile(distribution, 0.95) == 20.0
    assert percentile(distribution, 0.96) == 90.0
    assert percentile(distribution, 1.0) == 90.0
    assert percentile({}, 0.99) == 0.0


def test_slices_add_counts_seconds_cpu_and_latencies() -> None:
    first = Phase(
        accepted=10, challenges=11, seconds=2.0, cpu=0.5, latency_us=Counter({1000.0: 20, 5000.0: 1})
    )
    second = Phase(
        accepted=30, challenges=30, other=1, seconds=2.0, cpu=1.5, latency_us=Counter({5000.0: 40})
    )
    total = first + second
    assert (total.accepted, total.challenges, total.other, total.seconds, total.cpu) == (40, 41, 1, 4.0, 2.0)
    assert total.latency_us == Counter({1000.0: 20, 5000.0: 41})
    assert total.rate("accepted") == pytest.approx(10.0)
    # the merged median is the second slice's latency, which neither slice's own median would give
    assert total.percentile_ms(0.5) == 5.0
    assert first.percentile_ms(0.5) == 1.0
    assert total.problems() == "  NOT ALL ACCEPTED: 1 other"
    assert Phase(accepted=3).problems() == ""
