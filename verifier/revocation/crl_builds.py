"""Large CRLs validated and indexed off the request path (issue 16: CRLs at national scale, UNIS-11).

A CRL of the real NCA's size (~422,000 entries, 21 MB) takes about half a second of CPU to validate and
index (:mod:`verifier.revocation.crl_index`), a million entries about a second and a half: too long for a
login to wait. :class:`CrlBuilds` runs such jobs on one background thread per process, one job per CRL
however many requests ask for it, and lets each request wait only as long as it chooses:

- a CRL of at most ``inline_limit`` octets (default 1 MiB, ~20,000 entries, a few milliseconds) is built
  in the calling thread, as before: small CRLs, and every test's, are judged deterministically;
- a larger one is submitted once; a caller waits at most ``wait`` seconds for it (None: until it is
  built) and otherwise gets None, "still being prepared". What that means is the caller's decision
  (:mod:`verifier.revocation.crl_check`: a login keeps using the previous CRL while it is within its
  nextUpdate, and otherwise fails closed).

The thread is started lazily in the process that first needs it and again after a fork (gunicorn
workers), since threads do not survive ``fork``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")

INLINE_LIMIT = 1 << 20  # octets of DER built in the calling thread
LOGIN_WAIT = 0.05  # seconds a login may wait for a new CRL's index (issue 16: never more than 50 ms)

_log = logging.getLogger(__name__)


class CrlBuilds(Generic[T]):
    """One build per key, inline for small inputs, on a background thread for large ones. Thread-safe."""

    def __init__(self, *, inline_limit: int = INLINE_LIMIT) -> None:
        self.inline_limit = inline_limit
        self._lock = threading.Lock()
        self._inline_lock = threading.Lock()  # one inline build at a time: each CRL is built once
        self._pending: dict[Hashable, Future[T]] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0

    def obtain(
        self,
        key: Hashable,
        size: int,
        job: Callable[[], T],
        cached: Callable[[], T | None],
        on_error: Callable[[Exception], T],
        wait: float | None,
    ) -> T | None:
        """The result of ``job`` for ``key`` (an input of ``size`` octets), or None while it is being built.

        ``cached`` returns a result already stored by an earlier ``job`` (each job stores its own result
        before it finishes, so a caller that arrives later finds it there); ``on_error`` turns an
        unexpected exception of a background job into a result (it is logged, never raised in a request).
        ``wait`` bounds the seconds the caller's login spends on a background build (None: no bound): it
        stops waiting two interpreter switch intervals (``sys.getswitchinterval()``, 5 ms each) early, one
        for the time a busy build may keep the interpreter before the caller runs again, one for the rest of
        the login, whose work shares the interpreter with the build (measured by bench_crl_scale: with one
        interval the whole refused login took 51.8 ms of a 50 ms ``wait``).
        """
        if size <= self.inline_limit:
            with self._inline_lock:
                done = cached()
                return done if done is not None else job()
        with self._lock:
            done = cached()
            if done is not None:
                return done
            future = self._pending.get(key)
            if future is None:
                future = self._submit(key, job, on_error)
        timeout = None if wait is None else max(0.0, wait - 2 * sys.getswitchinterval())
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            return None

    def building(self, key: Hashable) -> bool:
        """Whether a background build of ``key`` is under way."""
        with self._lock:
            return key in self._pending

    def _submit(self, key: Hashable, job: Callable[[], T], on_error: Callable[[Exception], T]) -> Future[T]:
        """Start ``job`` in the background (caller holds ``_lock``)."""
        if self._executor is None or self._pid != os.getpid():
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crl-index")
            self._pid = os.getpid()
            self._pending.clear()  # futures of the parent process: their thread is not in this one

        def run() -> T:
            try:
                return job()
            except Exception as exc:  # a defect must not leave a login waiting or raise in it
                _log.exception("indexing a CRL failed")
                return on_error(exc)
            finally:
                with self._lock:
                    self._pending.pop(key, None)

        future = self._executor.submit(run)
        self._pending[key] = future
        return future
