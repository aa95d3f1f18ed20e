"""bench.timing.median_of and the summary of ``python -m bench``: what is printed and collected."""

from __future__ import annotations

import itertools

import pytest

from bench import __main__ as bench_main
from bench.timing import SUMMARY_MARK, count_and_runs, default_runs, figure, median_of


def test_median_of_prints_each_run_and_the_median_with_the_load(capsys: pytest.CaptureFixture[str]) -> None:
    values = iter([30.0, 10.0, 20.0])
    result = median_of("widgets", "widgets/s", lambda: next(values), runs=3)
    assert result.runs == (30.0, 10.0, 20.0)
    assert result.median == 20.0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].strip() for line in lines[:3]] == [f"widgets run {n}/3" for n in (1, 2, 3)]
    assert lines[3] == result.line()
    assert lines[3].startswith(
        f"{SUMMARY_MARK} widgets: 20.0 widgets/s (runs 30.0 / 10.0 / 20.0; load 1-min "
    )


def test_runs_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = itertools.count(1)
    monkeypatch.setenv("KZPKI_BENCH_RUNS", "5")
    assert default_runs() == 5
    assert median_of("n", "x", lambda: float(next(counter))).runs == (1.0, 2.0, 3.0, 4.0, 5.0)
    monkeypatch.delenv("KZPKI_BENCH_RUNS")
    assert default_runs() == 3
    for bad in ("0", "three"):
        monkeypatch.setenv("KZPKI_BENCH_RUNS", bad)
        with pytest.raises(SystemExit, match="KZPKI_BENCH_RUNS"):
            default_runs()


def test_figures_keep_a_precision_that_suits_their_size() -> None:
    assert [figure(v) for v in (5880.4, 93.44, 1.114, 0.00931)] == ["5,880", "93.4", "1.11", "0.00931"]


def test_the_runner_knows_every_benchmark_and_refuses_an_unknown_one() -> None:
    names = bench_main.available()
    assert {"documents", "gost", "issuance", "revocation", "verify"} <= set(names)
    with pytest.raises(SystemExit):
        bench_main.main(["no-such-benchmark"])


def test_count_and_runs_reads_the_benchmark_s_two_options() -> None:
    doc = "A benchmark: what it measures.\n\nMore."
    assert count_and_runs(doc, "count", 5, "things", []) == (5, None)
    assert count_and_runs(doc, "logins", 5, "logins", ["--logins", "7", "--runs", "2"]) == (7, 2)
