"""``prometheus_client``'s multi-process mode for ``kzpki serve``: one private directory of metric files.

Each gunicorn worker writes its counters into files named after its pid in the directory
``PROMETHEUS_MULTIPROC_DIR`` names; a scrape answered by any worker merges them all. The variable must be
set before ``prometheus_client`` is first imported (it picks its value store at import) and before the
workers fork, so the master sets it first thing and never imports ``prometheus_client`` before that
(``tests/api/test_metrics.py`` checks that the CLI does not). The directory is created empty and private
(``mkdtemp``: mode 0700) and removed when the server stops (by the master only: gunicorn's forked workers
leave the same ``with`` block when they exit); an exited worker is marked dead so that its
live-only values are dropped (its counters are kept: a counter never goes back).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def metrics_directory() -> Iterator[Path]:
    """A fresh private directory named in ``PROMETHEUS_MULTIPROC_DIR`` for the block (and every process it
    starts); on leaving, the directory is removed and the variable restored.

    Raises RuntimeError when ``prometheus_client`` is already imported in this process (its workers would
    inherit a single-process value store and their counters would never be merged).
    """
    if "prometheus_client" in sys.modules:
        raise RuntimeError("prometheus_client was imported before the metrics directory was set up")
    directory = Path(tempfile.mkdtemp(prefix="kzpki-metrics-"))
    owner = os.getpid()
    previous = os.environ.get(MULTIPROCESS_VARIABLE)
    os.environ[MULTIPROCESS_VARIABLE] = str(directory)
    try:
        yield directory
    finally:
        if os.getpid() == owner:  # not a forked worker leaving the block: the directory is the master's
            _restore(previous)
            shutil.rmtree(directory, ignore_errors=True)


def _restore(previous: str | None) -> None:
    if previous is None:
        os.environ.pop(MULTIPROCESS_VARIABLE, None)
    else:
        os.environ[MULTIPROCESS_VARIABLE] = previous


def worker_exited(_server: Any, worker: Any) -> None:
    """gunicorn's ``child_exit`` hook (in the master): mark the worker's metric files dead."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
