"""A bounded memo of pure functions whose key is not their argument.

``functools.lru_cache`` keys on the arguments, so a memo of a certificate's summary keyed by its DER must
take the DER and parse the certificate again on every miss, although the caller holds it parsed already
(a login's signer certificate is used by several checks, and for a new user every memo misses).
:class:`Memo` takes the key and a computation of the caller's: the value is computed from the object at
hand, and only the key and the value are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# The largest DER a memo keyed by certificate DER stores (no NCA certificate comes near): input sized to
# fill a memo holds at most ``maxsize`` x this much, whatever the signature size limit lets in.
DER_KEY_BYTES = 8 * 1024


def small_der(der: bytes) -> bool:
    """Whether ``der`` is at most :data:`DER_KEY_BYTES` long (an ``admit`` for memos keyed by DER)."""
    return len(der) <= DER_KEY_BYTES


class Memo(Generic[K, V]):
    """At most ``maxsize`` values, the least recently used dropped first. Thread-safe: a value may be
    computed twice by threads that miss at once (the computations are pure); the first stored wins.
    A key ``admit`` refuses is computed every time and never stored (e.g. :func:`small_der`)."""

    def __init__(self, maxsize: int, *, admit: Callable[[K], bool] | None = None) -> None:
        if maxsize < 1:
            raise ValueError("a memo holds at least one value")
        self.maxsize = maxsize
        self._admit = admit
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value stored under ``key``, else ``compute()``, stored. Exceptions of ``compute`` propagate
        and store nothing."""
        if self._admit is not None and not self._admit(key):
            return compute()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            stored = self._values.setdefault(key, value)
            self._values.move_to_end(key)
            if len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return stored

    def cache_clear(self) -> None:
        """Forget every value (as ``functools.lru_cache``'s method of that name)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
