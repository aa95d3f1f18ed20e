"""The one timing helper the benchmarks share. Wall-clock figures are printed, never asserted."""

from __future__ import annotations

import time
from collections.abc import Callable


def per_second(operation: Callable[[int], object], count: int) -> float:
    """Operations per second of ``operation(i)`` for i in range(count), after one warm-up call.

    The warm-up is ``operation(count)``: a spare index, so that an operation whose first sight of an
    input costs more (a key, a certificate, an OCSP answer seen for the first time) is timed cold.
    """
    operation(count)
    started = time.perf_counter()
    for n in range(count):
        operation(n)
    return count / (time.perf_counter() - started)
