"""The verdict: one rule derives the indication; never TOTAL_PASSED if any check failed; stable JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pki.reasons import Reason
from verifier import Indication, Purpose, Verdict
from verifier.verdict import Check, CheckStatus, Notice

_statuses = st.sampled_from(list(CheckStatus))
_reasons = st.sampled_from(list(Reason))


@st.composite
def checks(draw: st.DrawFn) -> Check:
    status = draw(_statuses)
    reason = draw(_reasons) if status in (CheckStatus.FAILED, CheckStatus.UNKNOWN) else None
    return Check(draw(st.sampled_from(["chain", "signature", "revocation", "age"])), status, "m", reason)


@given(st.lists(checks(), max_size=12))
def test_verdict_is_never_total_passed_if_any_check_failed_or_is_unknown(check_list: list[Check]) -> None:
    verdict = Verdict("cms", Purpose.LOGIN, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tuple(check_list))
    bad = any(c.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN) for c in check_list)
    some_passed = any(c.status is CheckStatus.PASSED for c in check_list)
    assert (verdict.indication is Indication.TOTAL_PASSED) == (not bad and some_passed)
    assert verdict.passed == (verdict.indication is Indication.TOTAL_PASSED)
    if bad:
        assert verdict.sub_indication is not None and verdict.reasons
    payload = json.loads(verdict.to_json())
    assert payload["indication"] == verdict.indication.value


def test_a_check_needs_a_reason_exactly_when_it_failed_or_is_unknown() -> None:
    with pytest.raises(ValueError):
        Check("signature", CheckStatus.FAILED, "no reason given")
    with pytest.raises(ValueError):
        Check("signature", CheckStatus.PASSED, "ok", Reason.SIGNATURE_INVALID)


def test_total_failed_outweighs_indeterminate_whatever_the_order() -> None:
    checks_ = (
        Check("revocation", CheckStatus.UNKNOWN, "no answer", Reason.REVOCATION_UNKNOWN),
        Check("signature", CheckStatus.FAILED, "bad", Reason.SIGNATURE_INVALID),
    )
    verdict = Verdict("cms", Purpose.LOGIN, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), checks_)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.reasons == (Reason.REVOCATION_UNKNOWN, Reason.SIGNATURE_INVALID)


def test_verdict_json_has_stable_keys_and_never_holds_the_signed_content() -> None:
    verdict = Verdict(
        "cms",
        Purpose.LOGIN,
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        (Check("signature", CheckStatus.PASSED, "ok", None, 0),),
        warnings=(Notice("test_identity", "w", 0),),
        signed_content=b"secret nonce",
    )
    payload = json.loads(verdict.to_json())
    assert list(payload) == [
        "indication",
        "sub_indication",
        "kind",
        "purpose",
        "validation_time",
        "reasons",
        "checks",
        "signers",
        "warnings",
        "timestamp",
    ]
    assert payload["validation_time"] == "2026-01-01T00:00:00Z"
    assert payload["checks"] == [
        {"id": "signature", "status": "passed", "reason": None, "message": "ok", "signer": 0}
    ]
    assert "secret nonce" not in verdict.to_json()
