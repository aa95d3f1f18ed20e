"""The path budget's counters on x509-limbo's pathological cases and a plain PKITS path (issue 10:
bounded path building, RFC 4158 8.2 denial of service).

``PathBudget.paths`` counts the partial candidate paths path building considered, ``signatures`` the
signature verifications pyhanko-certvalidator ran; a spend beyond the limit raises and nothing more is
tried, so a counter ends at most one above its limit. Counted by calling the trust store with a budget
of the policy's limits (16 paths, 64 signatures), as ``Verifier`` does for each validation.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pki.reasons import Reason
from tests.conformance import test_limbo, test_pkits
from tests.conformance.harness import CaseInputs, verifier_for
from verifier.certificate import Cert
from verifier.paths import budget_of
from verifier.pkix import Authority, Failure, PathBudget
from verifier.verdict import CheckId, CheckStatus

LIMBO = {c["id"]: c for c in test_limbo.CASES}
PKITS = {v["name"]: v for v in test_pkits.VARIANTS}


def _issuer(case: CaseInputs, **limits: int) -> tuple[Authority | Failure, PathBudget]:
    verifier = verifier_for(case)
    if limits:
        verifier = verifier.with_policy(dataclasses.replace(verifier.policy, **limits))  # type: ignore[arg-type]
    budget = budget_of(verifier.policy)
    leaf, extra = Cert.load(case.leaf), [Cert.load(c) for c in case.intermediates]
    return verifier.trust.issuer_of(leaf, extra, case.at, budget=budget), budget


def _limbo(case_id: str) -> CaseInputs:
    case: dict[str, Any] = LIMBO[case_id]
    return test_limbo.case_inputs(case)


@pytest.mark.parametrize("kind", ["same-subject-distinct-key", "same-subject-same-key"])
def test_a_same_subject_mesh_of_100_cas_stops_at_the_path_budget(kind: str) -> None:
    """100 CAs sharing one subject: every one is a candidate issuer of every other. Path building stops
    after 16 partial paths (the 17th spend is refused), before any signature is checked, and no further
    candidate issuer of the leaf is tried once the budget is spent."""
    result, budget = _issuer(_limbo(f"pathological::pathological-chain-{kind}"))
    assert isinstance(result, Failure) and result.reason is Reason.CHAIN_INVALID
    assert "gave up after 16 candidate paths" in result.message
    assert (budget.paths, budget.signatures) == (17, 0)
    assert budget.exhausted


@pytest.mark.parametrize("kind", ["distinct-subject-distinct-key", "distinct-subject-same-key"])
def test_a_chain_of_100_distinct_cas_stops_at_the_intermediate_bound(kind: str) -> None:
    """ICA #0 (self-signed, untrusted) <- ... <- ICA #99 <- EE: each level has one candidate, and the
    ninth CA exceeds max_intermediates (8): 9 partial paths, no signature, no path."""
    result, budget = _issuer(_limbo(f"pathological::pathological-chain-{kind}"))
    assert isinstance(result, Failure) and result.reason is Reason.UNTRUSTED_ROOT
    assert (budget.paths, budget.signatures) == (9, 0)
    assert not budget.exhausted


@pytest.mark.parametrize("kind", ["intermediate-cycle-distinct-cas", "intermediate-cycle-same-logical-ca"])
def test_a_cycle_of_two_cas_is_walked_once(kind: str) -> None:
    """ICA' <-> ICA'' sign each other: the path holds no certificate twice, so two partial paths end it."""
    result, budget = _issuer(_limbo(f"pathological::{kind}"))
    assert isinstance(result, Failure)
    assert (budget.paths, budget.signatures) == (2, 0)


def test_a_plain_path_spends_one_path_and_one_signature() -> None:
    """PKITS 4.1.1 (anchor -> Good CA -> EE): the CA's path is one candidate, its signature one check
    (the leaf's own signature is the fast path's, outside pyhanko-certvalidator)."""
    result, budget = _issuer(test_pkits.variant_inputs(PKITS["valid_signatures_test1"]))
    assert isinstance(result, Authority)
    assert (budget.paths, budget.signatures) == (1, 1)


def test_the_signature_budget_is_counted_and_enforced() -> None:
    """With no signature check allowed, the CA path fails on its first one (counted: 1 of 0)."""
    result, budget = _issuer(
        test_pkits.variant_inputs(PKITS["valid_signatures_test1"]), max_signature_checks=0
    )
    assert isinstance(result, Failure) and "gave up after 0 signature checks" in result.message
    assert (budget.paths, budget.signatures) == (1, 1)


def test_the_verdict_reports_a_spent_budget_as_a_failed_chain() -> None:
    """Through the public API: the mesh gives a verdict whose chain check failed with the reason."""
    case = _limbo("pathological::pathological-chain-same-subject-same-key")
    verifier = verifier_for(case)
    verdict = verifier.inspect_certificate(case.leaf, at=case.at, extra_certificates=case.intermediates)
    chain = next(c for c in verdict.checks if c.id is CheckId.CHAIN)
    assert chain.status is CheckStatus.FAILED and chain.reason is Reason.CHAIN_INVALID
    assert "gave up after 16 candidate paths" in chain.message
