"""The check invariant over every verdict the suites produce (issue 10, EDS-10 / EDS-18 / UNIS-11).

A check is PASSED only when everything it stands for ran and held; a check that did not hold carries a
reason. Derived over the 256 PKITS variants and the 208 x509-limbo cases, each through
``Verifier.inspect_certificate``:

- every failed or unknown check has a reason code of the catalogue and a message; a passed or skipped
  one has no reason;
- ``revocation`` PASSED only after ``chain`` and ``validity`` passed (revocation is judged for a valid path);
- ``chain`` PASSED only if an independent whole-path validation of the same inputs (path building, RFC 5280
  6.1 by pyhanko-certvalidator, profile and name-constraint rules, revocation off) finds the path valid:
  the fast path's cached CA paths and per-leaf checks never pass what the full validation refuses;
- ``revocation`` PASSED, when the case requires revocation, only if the whole-path validation with
  revocation required (end entity and CAs, CRLs) accepts too;
- with revocation required, a valid path never has its revocation SKIPPED, and an UNKNOWN revocation
  never goes with TOTAL_PASSED (undetermined fails closed);
- TOTAL_PASSED exactly when no check failed or stayed unknown and at least one passed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from tests.conformance import test_limbo, test_pkits
from tests.conformance.harness import CaseInputs, run
from verifier import Indication, Verdict, Verifier
from verifier.certificate import Cert
from verifier.paths import validate_target
from verifier.pkix import Failure
from verifier.profile import Role
from verifier.verdict import CheckId, CheckStatus

CASES: list[tuple[str, CaseInputs]] = [
    *((f"pkits:{v['name']}", test_pkits.variant_inputs(v)) for v in test_pkits.VARIANTS),
    *((f"limbo:{c['id']}", test_limbo.case_inputs(c)) for c in test_limbo.CASES),
]
_tally: Counter[str] = Counter()


def _path_valid_without_revocation(verifier: Verifier, case: CaseInputs) -> Failure | None:
    """The whole-path validation of ``case`` (validate_target as a leaf), revocation off."""
    settings = verifier.trust.settings([Cert.load(c) for c in case.intermediates], case.at)
    result = validate_target(Cert.load(case.leaf), Role.LEAF, settings)
    return result if isinstance(result, Failure) else None


def _by_id(verdict: Verdict) -> dict[CheckId, Any]:
    return {c.id: c for c in verdict.checks}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_a_check_passes_only_if_everything_it_stands_for_ran_and_held(name: str, case: CaseInputs) -> None:
    try:
        verifier, verdict = run(case)
    except InvalidInput as exc:  # the documented refusal of a certificate that cannot be decoded at all
        assert exc.code == ErrorCode.MALFORMED_CERTIFICATE, exc
        return
    for check in verdict.checks:
        _tally[check.status.value] += 1
        if check.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN):
            assert isinstance(check.reason, Reason) and check.message, check
        else:
            assert check.reason is None, check
    checks = _by_id(verdict)
    chain, validity, revocation = checks[CheckId.CHAIN], checks[CheckId.VALIDITY], checks[CheckId.REVOCATION]
    if revocation.status is CheckStatus.PASSED:
        assert chain.status is CheckStatus.PASSED and validity.status is CheckStatus.PASSED
    if chain.status is CheckStatus.PASSED:
        failure = _path_valid_without_revocation(verifier, case)
        assert failure is None or failure.check == "validity", f"chain passed, the full path: {failure}"
    if case.revocation_checked and revocation.status is CheckStatus.PASSED:
        full = verifier.validate_with_certvalidator(
            Cert.load(case.leaf), [Cert.load(c) for c in case.intermediates], case.at
        )
        assert not isinstance(full, Failure), f"revocation passed, the full validation: {full}"
    if case.revocation_checked:
        path_valid = chain.status is CheckStatus.PASSED and validity.status is CheckStatus.PASSED
        assert not (path_valid and revocation.status is CheckStatus.SKIPPED), revocation
    if revocation.status is CheckStatus.UNKNOWN:
        assert verdict.indication is not Indication.TOTAL_PASSED
    bad = any(c.status in (CheckStatus.FAILED, CheckStatus.UNKNOWN) for c in verdict.checks)
    some = any(c.status is CheckStatus.PASSED for c in verdict.checks)
    assert verdict.passed == (not bad and some)


def test_the_invariant_saw_every_kind_of_check() -> None:
    """The suites exercise passed, failed and skipped checks (run after the cases, in file order)."""
    if not _tally:
        pytest.skip("run with the case tests")
    assert {"passed", "failed", "skipped"} <= set(_tally), _tally
