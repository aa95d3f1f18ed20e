"""What the login benchmarks share: timing a stream of UNIS logins through a :class:`Verifier`, and the
signer's part of a CMS (for the raw signature cost beside it). Wall-clock figures, never asserted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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


def signer_signature(cms: bytes) -> tuple[bytes, bytes]:
    """The DER signed attributes of the CMS's first signer (what its signature covers) and the signature."""
    signer_info = load_signed_data(cms)["signer_infos"][0]
    attributes = signed_attributes_der(signer_info)
    assert attributes is not None, "the benchmark CMS objects carry signed attributes"
    return attributes, signer_info["signature"].native
