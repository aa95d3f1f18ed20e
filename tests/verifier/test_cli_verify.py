"""`kzpki verify`: verdict JSON on stdout; exit 0 only for TOTAL_PASSED, 1 otherwise, 2 for bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.shared_paths import INTEROP_RSA

pytestmark = pytest.mark.skipif(not INTEROP_RSA.exists(), reason="shared interop material not present")
ANCHOR = str(INTEROP_RSA / "nca_rsa_test.crt")
CRL = str(INTEROP_RSA / "nca_rsa_test.crl")


def _run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["verify", "--anchor", ANCHOR, *args])
    payload = json.loads(result.stdout) if result.stdout.strip() else json.loads(result.stderr)
    return result.exit_code, payload


def test_cli_exit_0_and_verdict_json_for_a_valid_cms_and_xml() -> None:
    for name in ("signed_attached_lol_kek.cms", "signed_enveloped.xml"):
        code, verdict = _run(
            "--at",
            "2021-06-01T00:00:00Z",
            "--test-pki",
            "--revocation",
            "if_available",
            str(INTEROP_RSA / name),
        )
        assert code == 0, verdict
        assert verdict["indication"] == "TOTAL_PASSED" and verdict["kind"] in {"cms", "xml"}


def test_cli_exit_1_for_a_refused_certificate_with_the_reason() -> None:
    code, verdict = _run(
        "--at",
        "2022-06-01",
        "--purpose",
        "login",
        "--crl",
        CRL,
        str(INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer"),
    )
    assert code == 1
    assert verdict["reasons"] == ["invalid_iin"]  # production mode refuses the NCA test IIN
    code, verdict = _run(
        "--at",
        "2022-06-01",
        "--test-pki",
        "--purpose",
        "login",
        "--crl",
        CRL,
        str(INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer"),
    )
    assert code == 0 and verdict["signers"][0]["revocation"]["crl_number"] == 9


def test_cli_exit_2_with_a_problem_for_unreadable_input() -> None:
    code, problem = _run(str(INTEROP_RSA / "README.md"))
    assert code == 2 and problem["code"] == "malformed_signature"
