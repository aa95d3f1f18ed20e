"""Driving ``wrk`` for bench/bench_api.py: one phase of :file:`bench/wrk_logins.lua` against a server, what it
answered, its latency distribution, and the CPU the server used meanwhile (Linux /proc)."""

from __future__ import annotations

import json
import math
import os
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

LUA = Path(__file__).with_name("wrk_logins.lua")


def percentile(distribution: Mapping[float, int], fraction: float) -> float:
    """The smallest value with at least ``fraction`` (0 to 1) of the counts at or below it, in
    ``distribution`` (value -> how often it occurred); 0.0 when it is empty."""
    total = sum(distribution.values())
    if total == 0:
        return 0.0
    wanted, seen = max(1, math.ceil(fraction * total)), 0
    for value in sorted(distribution):
        seen += distribution[value]
        if seen >= wanted:
            return value
    raise AssertionError("unreachable: the counts add up to the total")


@dataclass(frozen=True)
class Phase:
    """One wrk phase, or the sum of its slices: the answers by kind, the timed seconds (the Lua script's
    window), the CPU seconds the server used meanwhile and the latency distribution (microseconds ->
    requests) of every request."""

    accepted: int = 0
    refused: int = 0
    challenges: int = 0
    other: int = 0
    socket_errors: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    latency_us: Counter[float] = field(default_factory=Counter)

    def __add__(self, other: Phase) -> Phase:
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Phase)}
        return Phase(**counts)  # Counter + Counter adds the counts of each latency

    def rate(self, counted: str) -> float:
        """``counted`` (a count field) per timed second."""
        return float(getattr(self, counted)) / max(self.seconds, 1e-9)

    def percentile_ms(self, fraction: float) -> float:
        return percentile(self.latency_us, fraction) / 1000

    def problems(self) -> str:
        """What was not an accepted login or a created challenge, or the empty string."""
        found = [f"{getattr(self, k)} {k}" for k in ("refused", "other", "socket_errors") if getattr(self, k)]
        return "" if not found else "  NOT ALL ACCEPTED: " + ", ".join(found)


def run_wrk(
    port: int, mode: str, argument: Path | str, seconds: float, connections: int, server_pid: int = 0
) -> Phase:
    """One wrk phase of ``seconds`` (rounded to whole seconds, at least 1) in ``mode`` of the Lua script,
    whose ``argument`` is the bodies file (logins, pairs), the URL path (get) or the DER request's file
    (ocsp), with the CPU seconds the server ``server_pid`` (with its workers) used meanwhile."""
    cpu = server_cpu_seconds(server_pid) if server_pid else 0.0
    duration = f"{max(1, round(seconds))}s"  # wrk takes whole seconds
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", duration, "--timeout", "10s",
               "-s", str(LUA), f"http://127.0.0.1:{port}", "--", mode, str(argument), "1"]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("WRK-RESULT "))
    result = json.loads(line.removeprefix("WRK-RESULT "))
    return Phase(
        **{k: result[k] for k in ("accepted", "refused", "challenges", "other", "socket_errors", "seconds")},
        cpu=server_cpu_seconds(server_pid) - cpu if server_pid else 0.0,
        latency_us=Counter({float(value): count for value, count in result["latency_us"]}),
    )


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` and its descendants (Linux /proc).

    On a shared machine the wall-clock rates swing with the load; CPU per request does not.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        stats[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    wanted, total, frontier = {pid}, 0.0, [pid]
    while frontier:
        parent = frontier.pop()
        total += stats.get(parent, (0, 0.0))[1]
        children = [p for p, (ppid, _) in stats.items() if ppid == parent and p not in wanted]
        wanted.update(children)
        frontier.extend(children)
    return total
