"""The timing helpers the benchmarks share. Wall-clock figures are printed, never asserted.

Two helpers:

- :func:`per_second`: operations per second of one loop (one run);
- :func:`median_of`: run a measurement N times (3 by default, ``KZPKI_BENCH_RUNS`` overrides), print each
  run with its wall-clock and CPU seconds, then the median with the 1-minute load average at the start and
  at the end. The median line starts with :data:`SUMMARY_MARK`, which ``python -m bench`` collects into
  its summary, so a benchmark that reports through :func:`median_of` is summarised with no other change.

The machine the benchmarks run on is usually shared: the load average says how much, and the CPU seconds
beside each run's wall-clock seconds say how long the process actually ran (a run whose CPU time is well
below its wall-clock time was descheduled, and its figure is pessimistic).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "SUMMARY_MARK",
    "Median",
    "count_and_runs",
    "default_runs",
    "figure",
    "load_average",
    "median_of",
    "per_second",
]

SUMMARY_MARK = "median:"  # the first word of every median line (what ``python -m bench`` collects)


def default_runs() -> int:
    """The number of runs of :func:`median_of`: ``KZPKI_BENCH_RUNS`` (a positive integer) or 3.

    Raises SystemExit naming the variable when it is set to anything else.
    """
    value = os.environ.get("KZPKI_BENCH_RUNS", "3")
    try:
        runs = int(value)
    except ValueError:
        raise SystemExit(f"KZPKI_BENCH_RUNS must be a positive integer, not {value!r}") from None
    if runs < 1:
        raise SystemExit(f"KZPKI_BENCH_RUNS must be a positive integer, not {value!r}")
    return runs


def count_and_runs(
    module_doc: str, option: str, default: int, what: str, argv: list[str] | None = None
) -> tuple[int, int | None]:
    """A benchmark's command line: ``--<option> N`` (``what`` per measurement, ``default``) and ``--runs N``
    (the runs of every :func:`median_of`; None: :func:`default_runs`). The description is the first line
    of ``module_doc``. Exits (argparse) on a bad command line."""
    parser = argparse.ArgumentParser(description=module_doc.splitlines()[0])
    parser.add_argument(
        f"--{option}", type=int, default=default, help=f"{what} per measurement (default {default})"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs of every measurement (default 3, KZPKI_BENCH_RUNS)"
    )
    arguments = parser.parse_args(argv)
    return getattr(arguments, option), arguments.runs


def per_second(operation: Callable[[int], object], count: int) -> float:
    """Operations per second (wall clock) of ``operation(i)`` for i in range(count), after one warm-up call.

    The warm-up is ``operation(count)``: a spare index, so that an operation whose first sight of an
    input costs more (a key, a certificate, an OCSP answer seen for the first time) is timed cold.
    """
    operation(count)
    started = time.perf_counter()
    for n in range(count):
        operation(n)
    return count / (time.perf_counter() - started)


def load_average() -> float:
    """The 1-minute load average of the machine (``os.getloadavg``; 0.0 where the OS has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on Linux
        return 0.0


def figure(value: float) -> str:
    """``value`` with a precision that suits its size: 5,880 / 93.4 / 1.11 / 0.0093."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class Median:
    """The runs of one measurement: each run's figure (in ``unit``) and the load average around them."""

    label: str
    unit: str
    runs: tuple[float, ...]
    load_start: float  # 1-minute load average before the first run
    load_end: float  # and after the last

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def line(self) -> str:
        """The summary line: ``median: <label>: <median> <unit> (runs ...; load 1-min a -> b)``."""
        runs = " / ".join(figure(r) for r in self.runs)
        return (
            f"{SUMMARY_MARK} {self.label}: {figure(self.median)} {self.unit} "
            f"(runs {runs}; load 1-min {self.load_start:.2f} -> {self.load_end:.2f})"
        )


def median_of(label: str, unit: str, measure: Callable[[], float], runs: int | None = None) -> Median:
    """Call ``measure()`` ``runs`` times (default :func:`default_runs`), each returning a figure in ``unit``.

    Prints each run (its figure, wall-clock and CPU seconds of this process) and then the median line
    (:meth:`Median.line`), and returns the :class:`Median`. Whatever ``measure`` raises propagates.
    """
    count = default_runs() if runs is None else runs
    load_start = load_average()
    figures = []
    for number in range(1, count + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        value = measure()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        figures.append(value)
        print(
            f"  {label} run {number}/{count}: {figure(value)} {unit} (wall {wall:.2f} s, CPU {cpu:.2f} s)",
            flush=True,
        )
    result = Median(label, unit, tuple(figures), load_start, load_average())
    print(result.line(), flush=True)
    return result
