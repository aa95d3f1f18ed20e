"""What the login benchmarks share: timing a stream of UNIS logins through a :class:`Verifier` (returning
users, or a new user each login), and the signer's part of a CMS (for the raw signature cost beside it).
Wall-clock figures, never asserted."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence

from bench.timing import per_second
from pki.cms import load_signed_data, signed_attributes_der
from verifier import Verifier


def login_rate(verifier: Verifier, signed: Sequence[bytes], at: dt.datetime, count: int) -> float:
    """Login verifications per second: ``verify_cms(signed[n % len(signed)])`` for n < ``count``, each at
    ``at`` + n milliseconds; every verdict must pass (AssertionError with the verdict otherwise).

    The warm-up login is index ``count`` (see :func:`per_second`): give ``count + 1`` CMS objects to time
    every one of the ``count`` logins on a CMS the verifier has not seen before.
    """
    times = [at + dt.timedelta(milliseconds=n) for n in range(count + 1)]

    def login(n: int) -> None:
        verdict = verifier.verify_cms(signed[n % len(signed)], at=times[n])
        assert verdict.passed, verdict.to_json()

    return per_second(login, count)


def memo_caches(packages: Sequence[str] = ("verifier", "pki")) -> list[Callable[[], None]]:
    """The ``cache_clear`` of every memo at module level in ``packages``' loaded modules (each
    ``functools.lru_cache`` and :class:`verifier.memo.Memo` defined there): the memo caches keyed on what a
    login brings (certificate DER, public keys, names), found by looking rather than listed, so a cache
    added later is emptied too."""
    clears: list[Callable[[], None]] = []
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in packages:
            continue
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if not callable(clear) or isinstance(value, type):  # a memo, not the Memo class
                continue
            owner = str(getattr(value, "__module__", "") or "")
            if owner.split(".")[0] in packages and clear not in clears:
                clears.append(clear)
    return clears


def new_user_rate(verifier: Verifier, signed: Sequence[bytes], at: dt.datetime, count: int) -> float:
    """Logins per second when every login is a new user's: as :func:`login_rate`, but before each timed
    login every memo cache (:func:`memo_caches`) is emptied and the CMS of another leaf is verified,
    untimed, so that the CA certificates' entries are warm again and the timed leaf's are not. What a
    service with far more users than its caches hold (4,096-8,192 entries) pays; only the timed logins
    are counted. Needs at least two CMS objects from different leaves.
    """
    if len(signed) < 2:
        raise ValueError("a new-user login needs another leaf to re-warm the CA entries")
    clears = memo_caches()
    times = [at + dt.timedelta(milliseconds=n) for n in range(count)]
    spent = 0.0
    for n in range(count):
        for clear in clears:
            clear()
        warm = verifier.verify_cms(signed[(n + 1) % len(signed)], at=times[n])
        assert warm.passed, warm.to_json()
        started = time.perf_counter()
        verdict = verifier.verify_cms(signed[n % len(signed)], at=times[n])
        spent += time.perf_counter() - started
        assert verdict.passed, verdict.to_json()
    return count / spent


def signer_signature(cms: bytes) -> tuple[bytes, bytes]:
    """The DER signed attributes of the CMS's first signer (what its signature covers) and the signature."""
    signer_info = load_signed_data(cms)["signer_infos"][0]
    attributes = signed_attributes_der(signer_info)
    assert attributes is not None, "the benchmark CMS objects carry signed attributes"
    return attributes, signer_info["signature"].native
