"""The engine's last line: no input makes a :class:`~verifier.engine.Verifier` method raise a defect.

Every public method of the verifier runs its work through :func:`guarded`. What the method documents
(a :class:`pki.errors.KzPkiError`, e.g. InvalidInput ``malformed_certificate`` for input that is not a
certificate, which the API answers with a 4xx problem) passes through unchanged; any other exception is a
defect of ours or of a library below us (pyhanko-certvalidator, asn1crypto, cryptography) on an input we
did not foresee. It becomes a verdict with one failed ``processing`` check, reason ``processing_error``
(INDETERMINATE / FORMAT_FAILURE: nothing was established, so nothing passed), and is logged with its type
and where it was raised, never with its message or the input (they may hold personal data, PD rules).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable

from pki.errors import KzPkiError
from pki.reasons import Reason
from verifier.policy import Purpose
from verifier.verdict import Check, CheckId, CheckStatus, Verdict

_LOG = logging.getLogger("kzpki.verifier")


def guarded(kind: str, purpose: Purpose, at: dt.datetime, work: Callable[[], Verdict]) -> Verdict:
    """``work()``, or the ``processing_error`` verdict (kind ``kind``, as of ``at``) if it raises anything
    but a KzPkiError. Raises what ``work`` raises of KzPkiError."""
    try:
        return work()
    except KzPkiError:
        raise
    except Exception as exc:  # the point of this module: a defect is a verdict, not a crash
        return defect_verdict(kind, purpose, at, exc)


def defect_verdict(kind: str, purpose: Purpose, at: dt.datetime, exc: BaseException) -> Verdict:
    """The verdict for the defect ``exc`` (logged at ERROR with its type and the frames that raised it)."""
    where = where_raised(exc)
    _LOG.error("verifier defect: %s raised at %s (reported as processing_error)", type(exc).__name__, where)
    message = (
        f"the input could not be processed ({type(exc).__name__} at {where}); nothing was verified, "
        "please report this defect"
    )
    check = Check(CheckId.PROCESSING, CheckStatus.FAILED, message, Reason.PROCESSING_ERROR)
    return Verdict(kind=kind, purpose=purpose, validation_time=at, checks=(check,))


def where_raised(exc: BaseException) -> str:
    """``module-file:line`` of the innermost frame of ``exc``'s traceback ("?" without one)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    parts = last.filename.replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{last.lineno}"
