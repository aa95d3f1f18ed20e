"""NIST PKITS through ``kzpki verify``, as an outside reviewer runs it: every variant's certificates,
CRLs and RFC 5280 6.1.1 initial inputs as command-line options, the verdict JSON judged at path level
as :mod:`tests.conformance.test_pkits` judges ``Verifier.inspect_certificate``'s verdict.

The two relaxations PKITS needs (see that module) are the options ``--historic-dsa`` and ``--rfc3280``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.conformance.harness import PathOutcome, judged
from tests.conformance.test_pkits import ANCHOR_NAME, PKITS, VARIANTS, intermediate_names

_FLAGS = {
    "initial_explicit_policy": "--explicit-policy",
    "initial_policy_mapping_inhibit": "--inhibit-policy-mapping",
    "initial_any_policy_inhibit": "--inhibit-any-policy",
}


def cli_arguments(variant: dict[str, Any], *relaxations: str) -> list[str]:
    """``kzpki verify``'s arguments for ``variant`` (document purpose, as of 2022-05-01)."""
    certs, crls = PKITS / "certs", PKITS / "crls"
    arguments = ["verify", "--at", "2022-05-01T00:00:00Z", "--purpose", "document", *relaxations]
    arguments += ["--anchor", str(certs / ANCHOR_NAME)]
    for name in intermediate_names(variant):
        arguments += ["--intermediate", str(certs / name)]
    if variant.get("revocation", True):
        for name in ("TrustAnchorRootCRL.crl", *variant.get("crls", [])):
            arguments += ["--crl", str(crls / name)]
    else:
        arguments += ["--revocation", "if_available", "--no-ca-revocation"]
    for field, value in (variant.get("params") or {}).items():
        if field == "user_initial_policy_set":
            arguments += [option for oid in value for option in ("--initial-policy", oid)]
        elif value:
            arguments.append(_FLAGS[field])
    return [*arguments, str(certs / variant["cert"])]


def cli_outcome(variant: dict[str, Any], *relaxations: str) -> PathOutcome:
    """The path-level outcome of ``kzpki verify`` on ``variant``; fails the test on exit status 2."""
    result = CliRunner().invoke(cli, cli_arguments(variant, *relaxations))
    assert result.exit_code in (0, 1), result.output
    checks = json.loads(result.stdout)["checks"]
    return judged(
        [(c["id"], c["status"], c.get("reason"), c["message"]) for c in checks],
        revocation_checked=variant.get("revocation", True),
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v['id']}-{v['name']}" for v in VARIANTS])
def test_pkits_variant_through_the_cli(variant: dict[str, Any]) -> None:
    outcome = cli_outcome(variant, "--historic-dsa", "--rfc3280")
    expected = "error" not in variant
    assert outcome.accepted == expected, (
        f"expected {'accept' if expected else 'reject'}: {outcome.describe()}"
    )


@pytest.mark.parametrize(
    ("name", "relaxation", "refusal"),
    [
        ("valid_dsa_signatures_test4", "--historic-dsa", "chain=failed(unsupported_algorithm)"),
        ("all_certificates_same_policies_test10", "--rfc3280", "must be critical (RFC 5280 4.2.1.11)"),
    ],
)
def test_the_cli_relaxations_are_off_by_default(name: str, relaxation: str, refusal: str) -> None:
    """Without its option, a PKITS path that must validate under RFC 3280, or with DSA, is refused: the
    reason says why."""
    variant = next(v for v in VARIANTS if v["name"] == name)
    others = [flag for flag in ("--historic-dsa", "--rfc3280") if flag != relaxation]
    assert cli_outcome(variant, relaxation, *others).accepted
    refused = cli_outcome(variant, *others)
    assert not refused.accepted and refusal in refused.describe()


def test_historic_dsa_is_refused_for_a_login_with_a_problem_not_a_traceback() -> None:
    """UNIS-8 / UNIS-11: a login accepts no legacy algorithm, whatever the command line asks."""
    variant = next(v for v in VARIANTS if v["name"] == "valid_dsa_signatures_test4")
    arguments = cli_arguments(variant, "--historic-dsa")
    arguments[arguments.index("document")] = "login"
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert json.loads(result.stderr)["code"]
