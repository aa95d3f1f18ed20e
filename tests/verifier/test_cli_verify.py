"""`kzpki verify`: verdict JSON on stdout; exit 0 only for TOTAL_PASSED, 1 otherwise, 2 for bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from api.cli import cli
from bench.bench_documents import one_page_pdf as blank_pdf
from pki import pdf, wsse
from pki.pkcs12 import open_pkcs12
from tests.data_paths import INTEROP_GOST, INTEROP_RSA

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


def test_cli_verifies_a_genuine_nca_gost_certificate_without_the_roots_crl() -> None:
    """EDS-10 with GOST from the command line: the NCA test root as anchor, the NCA CA as intermediate and
    its CRL; the root's CRL is not in the material, so CA revocation is switched off (else: fail closed)."""
    arguments = [
        "verify",
        "--anchor",
        str(INTEROP_GOST / "root_test_gost_2022.cer"),
        "--intermediate",
        str(INTEROP_GOST / "nca_gost2022_test.cer"),
        "--crl",
        str(INTEROP_GOST / "nca_gost2022_test.crl"),
        "--test-pki",
        "--at",
        "2026-11-23T09:00:00Z",
    ]
    certificate = str(INTEROP_GOST / "individual_valid.cer")
    result = CliRunner().invoke(cli, [*arguments, "--no-ca-revocation", certificate])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, [*arguments, certificate])
    assert result.exit_code == 1 and json.loads(result.stdout)["reasons"] == ["revocation_unknown"]


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "0001-01-01"])
def test_cli_refuses_a_validation_time_out_of_range_without_a_traceback(at: str) -> None:
    result = CliRunner().invoke(
        cli, ["verify", "--anchor", ANCHOR, "--at", at, str(INTEROP_RSA / "signed_enveloped.xml")]
    )
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert json.loads(result.stderr)["code"] == "datetime_out_of_range"
    assert "Traceback" not in result.output


def test_cli_out_of_range_time_in_a_real_process_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "api", "verify", "--anchor", ANCHOR, "--at", "9999-12-31T23:59:59Z", CRL],
        capture_output=True,
        text=True,
        env={**os.environ, "KZPKI_HOME": str(tmp_path)},
        timeout=120,
    )
    assert completed.returncode == 2
    assert (
        "Traceback" not in completed.stderr
        and json.loads(completed.stderr)["code"] == "datetime_out_of_range"
    )


def test_cli_verifies_a_pdf_and_a_soap_envelope_signed_with_the_genuine_rsa_key(tmp_path: Path) -> None:
    """`kzpki verify` dispatches a PDF (one verdict per signature) and a SOAP envelope (WS-Security)."""
    entry, _ = open_pkcs12(
        (INTEROP_RSA / "individual_valid_sign_2004_rsa.p12").read_bytes(), "Qwerty12", None
    )
    at = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)
    signed_pdf = tmp_path / "signed.pdf"
    signed_pdf.write_bytes(pdf.sign_pdf(blank_pdf(), entry.private_key, entry.certificate, at=at))
    envelope = tmp_path / "envelope.xml"
    soap = f'<s:Envelope xmlns:s="{wsse.SOAP11_NS}"><s:Body><ping/></s:Body></s:Envelope>'.encode()
    envelope.write_bytes(wsse.sign_envelope(soap, entry.private_key, entry.certificate))
    options = ("--at", "2021-06-01T00:00:00Z", "--test-pki", "--revocation", "if_available")
    code, answer = _run(*options, str(signed_pdf))
    assert code == 0, answer
    (signature,) = answer["signatures"]
    assert signature["verdict"]["indication"] == "TOTAL_PASSED" and signature["coverage"] == "whole_file"
    code, verdict = _run(*options, str(envelope))
    assert code == 0 and verdict["kind"] == "wsse", verdict
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnothing here")
    code, problem = _run(*options, str(broken))
    assert code == 2 and problem["code"] == "malformed_pdf"


def test_cli_a_pdf_changed_after_signing_in_a_real_process_is_pdf_modified_without_a_traceback(
    tmp_path: Path,
) -> None:
    """pyHanko's difference analysis logs its finding with a traceback; the CLI prints the verdict only."""
    entry, _ = open_pkcs12(
        (INTEROP_RSA / "individual_valid_sign_2004_rsa.p12").read_bytes(), "Qwerty12", None
    )
    signed = pdf.sign_pdf(
        blank_pdf(), entry.private_key, entry.certificate, at=dt.datetime(2021, 6, 1, tzinfo=dt.UTC)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/MediaBox")] = generic.ArrayObject(
        [generic.NumberObject(n) for n in (0, 0, 10, 10)]
    )
    writer.update_container(page)
    changed = tmp_path / "changed.pdf"
    with changed.open("wb") as output:
        writer.write(output)
    options = ["--at", "2021-06-01T00:00:00Z", "--test-pki", "--revocation", "if_available"]
    completed = subprocess.run(
        [sys.executable, "-m", "api", "verify", "--anchor", ANCHOR, *options, str(changed)],
        capture_output=True,
        text=True,
        env={**os.environ, "KZPKI_HOME": str(tmp_path)},
        timeout=120,
    )
    assert completed.returncode == 1 and completed.stderr == "", completed.stderr
    (signature,) = json.loads(completed.stdout)["signatures"]
    assert signature["later_changes"] == "other" and signature["verdict"]["reasons"] == ["pdf_modified"]
