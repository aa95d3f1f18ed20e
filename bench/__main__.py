"""Every benchmark in sequence, then one summary: `python -m bench [--runs N] [NAME ...]`.

Runs each ``bench/bench_*.py`` (or only those NAMEs, e.g. ``revocation issuance``) as its own process
(``python -m bench.bench_<name>``, default arguments), in alphabetical order, echoing its output as it
comes. Then prints, per benchmark, its exit status, its wall-clock duration and the median lines it
printed through :func:`bench.timing.median_of` (each with its runs and the load average around them), and
the 1-minute load average at the start and end of the whole sequence. ``--runs`` sets
``KZPKI_BENCH_RUNS`` for the benchmarks (3 by default). Exits 1 if any benchmark failed; figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.timing import SUMMARY_MARK, load_average

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Outcome:
    """What one benchmark process gave: exit status, wall-clock seconds, its median lines."""

    name: str
    returncode: int
    seconds: float
    medians: tuple[str, ...]


def available() -> list[str]:
    """The benchmark names (``bench_<name>.py`` in this folder), sorted."""
    return sorted(path.stem.removeprefix("bench_") for path in BENCH.glob("bench_*.py"))


def run(name: str, env: dict[str, str]) -> Outcome:
    """Run ``python -m bench.bench_<name>``, echoing its output; collect its median lines."""
    print(f"\n=== bench_{name} (load 1-min {load_average():.2f}) ===", flush=True)
    started = time.perf_counter()
    medians = []
    with subprocess.Popen(
        [sys.executable, "-m", f"bench.bench_{name}"],
        cwd=BENCH.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith(SUMMARY_MARK):
                medians.append(line.rstrip())
    return Outcome(name, process.returncode, time.perf_counter() - started, tuple(medians))


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"which ones (default all: {', '.join(names)})"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per median (KZPKI_BENCH_RUNS; default 3)"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in names]
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)} (there are: {', '.join(names)})")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    env = dict(os.environ)
    if args.runs is not None:
        env["KZPKI_BENCH_RUNS"] = str(args.runs)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH.parent), env.get("PYTHONPATH")]))
    load_start = load_average()
    outcomes = [run(name, env) for name in args.names or names]
    print(f"\n=== summary (load 1-min {load_start:.2f} at the start, {load_average():.2f} at the end) ===")
    for outcome in outcomes:
        status = "ok" if outcome.returncode == 0 else f"FAILED (exit {outcome.returncode})"
        print(f"bench_{outcome.name}: {status}, {outcome.seconds:.0f} s")
        for line in outcome.medians or (
            "  (no median lines: this benchmark does not use bench.timing.median_of)",
        ):
            print(f"  {line}")
    return 0 if all(outcome.returncode == 0 for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
