"""Running public path-validation suites through the verifier's public API.

Each case becomes a :class:`VerificationPolicy` and one ``Verifier.inspect_certificate`` call; the
outcome is judged at path level, from the checks that stand for RFC 5280 path validation
(``chain``, ``validity``, ``revocation``). The EDS-specific checks (key usage for a purpose,
identity rules) do not apply to the suites' certificates and are not read.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path

from tests.data_paths import CONFORMANCE
from verifier import (
    Purpose,
    RevocationRequirement,
    StaticRevocationSource,
    Verdict,
    VerificationPolicy,
    Verifier,
)
from verifier.policy import RevocationMethods
from verifier.verdict import CheckStatus

PATH_CHECKS = ("chain", "validity", "revocation")
DATA = CONFORMANCE


@dataclass(frozen=True)
class Deviation:
    """One allow-list line: the case id or glob, what we do instead, and why."""

    pattern: str
    kind: str  # "skip" (not judged), "accept" (we accept a FAILURE case), "reject" (we refuse a SUCCESS case)
    reason: str

    def matches(self, case_id: str) -> bool:
        return fnmatch.fnmatchcase(case_id, self.pattern)


def read_allow_list(path: Path) -> list[Deviation]:
    """``pattern | kind | reason`` lines; ``#`` starts a comment."""
    deviations = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, kind, reason = (part.strip() for part in line.split("|", 2))
        assert kind in {"skip", "accept", "reject"}, line
        assert reason, line
        deviations.append(Deviation(pattern, kind, reason))
    return deviations


def read_deviations(path: Path) -> dict[str, str]:
    """``name | reason`` lines (a temporary list of known failures); empty when the file is absent."""
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, reason = (part.strip() for part in line.split("|", 1))
            found[name] = reason
    return found


@dataclass(frozen=True)
class PathOutcome:
    """Whether the path validated, and the checks that decided it (for failure messages)."""

    accepted: bool
    checks: tuple[tuple[str, str, str | None, str], ...]  # (id, status, reason, message)

    def describe(self) -> str:
        return "; ".join(f"{i}={s}({r}): {m}" for i, s, r, m in self.checks)


def path_outcome(verdict: Verdict, *, revocation_checked: bool) -> PathOutcome:
    """Accepted when chain and validity passed and revocation passed (or, when the case does not ask for
    revocation checking, was skipped for want of data)."""
    return judged(
        [
            (c.id, c.status.value, None if c.reason is None else c.reason.value, c.message)
            for c in verdict.checks
        ],
        revocation_checked=revocation_checked,
    )


def judged(checks: list[tuple[str, str, str | None, str]], *, revocation_checked: bool) -> PathOutcome:
    """:func:`path_outcome` of a verdict's checks as (id, status value, reason value, message), e.g. read
    back from the verdict JSON ``kzpki verify`` prints."""
    path = tuple(c for c in checks if c[0] in PATH_CHECKS)
    status = {c[0]: c[1] for c in path}
    passed, skipped = CheckStatus.PASSED.value, CheckStatus.SKIPPED.value
    accepted = set(PATH_CHECKS) <= status.keys() and status["chain"] == status["validity"] == passed
    if status.get("revocation", passed) != passed:
        accepted = accepted and not revocation_checked and status["revocation"] == skipped
    return PathOutcome(accepted, path)


@dataclass(frozen=True)
class CaseInputs:
    """One suite case as the verifier's inputs: what :func:`run` validates."""

    leaf: bytes
    anchors: tuple[bytes, ...]
    intermediates: tuple[bytes, ...]
    crls: tuple[bytes, ...]
    at: dt.datetime
    revocation_checked: bool
    policy_fields: dict[str, object]


def run(case: CaseInputs) -> tuple[Verifier, Verdict]:
    """The verifier for ``case`` and its verdict (``Verifier.inspect_certificate``)."""
    verifier = verifier_for(case)
    verdict = verifier.inspect_certificate(case.leaf, at=case.at, extra_certificates=case.intermediates)
    return verifier, verdict


def verifier_for(case: CaseInputs) -> Verifier:
    """Document purpose, CRLs only; revocation required (for the end entity and every CA) exactly when the
    case checks revocation."""
    revocation_checked = case.revocation_checked
    policy = VerificationPolicy(
        trust_anchors=case.anchors,
        purpose=Purpose.DOCUMENT,
        revocation_methods=RevocationMethods.CRL,
        document_revocation=(
            RevocationRequirement.REQUIRED if revocation_checked else RevocationRequirement.IF_AVAILABLE
        ),
        check_ca_revocation=revocation_checked,
        ocsp_nonce=False,
        **case.policy_fields,  # type: ignore[arg-type]
    )
    return Verifier(policy, StaticRevocationSource(crls=case.crls if revocation_checked else ()))


def inspect(case: CaseInputs) -> PathOutcome:
    """One path validation through ``Verifier.inspect_certificate``, judged at path level."""
    return path_outcome(run(case)[1], revocation_checked=case.revocation_checked)
