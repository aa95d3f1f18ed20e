"""The National CA's time-stamping authority at ``POST /tsp`` (RFC 3161), judged by ``openssl ts``: openssl
makes the requests, reads the replies and verifies the tokens against the fixture CAs; our own verifier
checks them too, and the TSA certificate passes ``openssl verify -purpose timestampsign``."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper

from bench.bench_documents import one_page_pdf as blank_pdf
from ca_sim.timestamping import TimeStampAuthority
from pki import oids
from pki.calendar import iso_time
from tests.api.conftest import bearer, scenarios
from tests.api.support import assert_problem
from tests.ca_sim.time_stamp_support import DatabaseDown

DATA = "Қазақстан: what was stamped".encode()
QUERY, REPLY = "application/timestamp-query", "application/timestamp-reply"


def _openssl(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, check=False)


def _query(tmp_path: Path, *options: str, data: bytes = DATA) -> Path:
    (tmp_path / "data").write_bytes(data)
    request = tmp_path / "request.tsq"
    made = _openssl("ts", "-query", "-data", tmp_path / "data", *options, "-out", request)
    assert made.returncode == 0, made.stderr
    return request


def _stamp(client, tmp_path: Path, request: Path) -> tuple[int, Path]:
    response = client.post("/tsp", data=request.read_bytes(), content_type=QUERY)
    assert response.mimetype == REPLY
    reply = tmp_path / "reply.tsr"
    reply.write_bytes(response.data)
    return response.status_code, reply


def _ts_verify(fixture_dir, *source: str | Path) -> subprocess.CompletedProcess[str]:
    ca = fixture_dir.path / "ca"
    return _openssl("ts", "-verify", *source, "-CAfile", ca / "root.pem", "-untrusted", ca / "nca.pem")


def test_rfc3161_openssl_verifies_our_token_against_its_query(client, fixture_dir, tmp_path):
    request = _query(tmp_path, "-sha256", "-cert")
    status, reply = _stamp(client, tmp_path, request)
    assert status == 200
    text = _openssl("ts", "-reply", "-in", reply, "-text").stdout
    assert "Status: Granted." in text and oids.TSA_GOST2015_POLICY in text  # NCANode's default policy
    assert "Nonce: 0x" in text and "TSA: DirName:" in text and "TIME-STAMP AUTHORITY NCA" in text
    checked = _ts_verify(fixture_dir, "-in", reply, "-queryfile", request)
    assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr


def test_rfc3161_openssl_refuses_our_token_for_other_data(client, fixture_dir, tmp_path):
    status, reply = _stamp(client, tmp_path, _query(tmp_path, "-sha512", "-cert"))
    assert status == 200
    (tmp_path / "other").write_bytes(DATA + b".")
    checked = _ts_verify(fixture_dir, "-in", reply, "-data", tmp_path / "other")
    assert checked.returncode != 0 and "Verification: OK" not in checked.stdout


def test_rfc3161_2_4_1_cert_req_false_leaves_the_tsa_certificate_out(client, tmp_path):
    status, reply = _stamp(client, tmp_path, _query(tmp_path, "-sha256", "-tspolicy", oids.TSA_GOST_POLICY))
    assert status == 200
    token = tsp.TimeStampResp.load(reply.read_bytes())["time_stamp_token"]
    assert not token["content"]["certificates"].native
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["policy"].dotted == oids.TSA_GOST_POLICY  # the requested policy


def test_rfc3161_our_verifier_passes_the_token_over_its_data(client, tmp_path):
    status, reply = _stamp(client, tmp_path, _query(tmp_path, "-sha256", "-cert"))
    token = tsp.TimeStampResp.load(reply.read_bytes())["time_stamp_token"].dump()
    body = {"token": base64.b64encode(token).decode(), "data": base64.b64encode(DATA).decode()}
    verdict = client.post("/api/v1/timestamps/verify", json=body).get_json()
    assert status == 200 and verdict["indication"] == "TOTAL_PASSED", verdict["reasons"]


@pytest.mark.parametrize(
    ("options", "failure"),
    [
        (("-sha1",), "unrecognized or unsupported algorithm identifier"),
        (("-sha256", "-tspolicy", "1.2.3.4"), "the requested TSA policy is not supported"),
    ],
)
def test_rfc3161_2_4_2_a_refused_request_gets_a_rejection_openssl_reads(client, tmp_path, options, failure):
    status, reply = _stamp(client, tmp_path, _query(tmp_path, *options))
    text = _openssl("ts", "-reply", "-in", reply, "-text").stdout
    assert status == 400 and "Status: Rejected." in text and failure in text, text


def test_rfc3161_garbage_is_bad_data_format_and_another_media_type_is_415(client, tmp_path):
    garbage = client.post("/tsp", data=b"\x30\x03\x02\x01", content_type=QUERY)
    (tmp_path / "reply.tsr").write_bytes(garbage.data)
    text = _openssl("ts", "-reply", "-in", tmp_path / "reply.tsr", "-text").stdout
    assert garbage.status_code == 400 and garbage.mimetype == REPLY and "Status: Rejected." in text
    assert "the data submitted has the wrong format" in text, text
    wrong = client.post("/tsp", data=b"x", content_type="application/octet-stream")
    assert wrong.status_code == 415 and wrong.mimetype == "application/problem+json"


def test_rfc3161_2_3_openssl_takes_the_tsa_certificate_for_time_stamping(client, fixture_dir, tmp_path):
    status, reply = _stamp(client, tmp_path, _query(tmp_path, "-sha256", "-cert"))
    token = tsp.TimeStampResp.load(reply.read_bytes())["time_stamp_token"]
    (embedded,) = token["content"]["certificates"]
    certificate = x509.load_der_x509_certificate(embedded.chosen.dump())
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]
    pem = tmp_path / "tsa.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))
    ca = fixture_dir.path / "ca"
    checked = _openssl(
        "verify", "-purpose", "timestampsign", "-CAfile", ca / "root.pem", "-untrusted", ca / "nca.pem", pem
    )
    assert status == 200 and checked.returncode == 0, checked.stdout + checked.stderr


class _StampingWith(TimeStamper):
    """pyHanko's time-stamp client, answered in process by our TSA (over ``imprint`` when given, as a TSA
    stamping the wrong hash would)."""

    def __init__(self, app, at: dt.datetime, imprint: bytes | None = None) -> None:
        super().__init__()
        self._tsa, self._at, self._imprint = app.extensions["kzpki"].tsa, at, imprint

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        if self._imprint is not None:
            req["message_imprint"]["hashed_message"] = self._imprint
        return tsp.TimeStampResp.load(self._tsa.respond(req.dump(), self._at).der)


def _document_stamped(app, client, fixture_dir, session_clock, imprint: bytes | None = None) -> str:
    """A /pdf/sign PDF, then a document time stamp (PAdES-LTA) added by pyHanko's PdfTimeStamper."""
    files = scenarios(fixture_dir)["individual_sign_rsa"]["files"]
    signer = {
        "key": base64.b64encode((fixture_dir.path / files["p12"]).read_bytes()).decode(),
        "password": files["p12_password"],
    }
    body = {"pdf": base64.b64encode(blank_pdf()).decode(), "signers": [{"signer": signer}]}
    signed = base64.b64decode(client.post("/pdf/sign", json=body).get_json()["pdf"])
    stamper = PdfTimeStamper(_StampingWith(app, session_clock(), imprint))
    stamped = stamper.timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(signed)), "sha256")
    return base64.b64encode(stamped.getvalue()).decode()


def test_etsi_rfc3161_a_pdf_document_time_stamp_is_verified_over_its_byte_range(
    app, client, fixture_dir, session_clock
):
    pdf = _document_stamped(app, client, fixture_dir, session_clock)
    signature, stamp = client.post("/api/v1/pdf/verify", json={"pdf": pdf}).get_json()["signatures"]
    assert signature["sub_filter"] == "ETSI.CAdES.detached"
    assert signature["verdict"]["indication"] == "TOTAL_PASSED", signature["verdict"]["reasons"]
    assert stamp["sub_filter"] == "ETSI.RFC3161" and stamp["coverage"] == "whole_file"
    assert stamp["verdict"]["indication"] == "TOTAL_PASSED", stamp["verdict"]["reasons"]
    assert stamp["verdict"]["timestamp"]["policy"] == oids.TSA_GOST2015_POLICY
    nca = client.post("/pdf/verify", json={"pdf": pdf}).get_json()
    assert nca["valid"] is True and [s["signatureAlgorithm"] for s in nca["signers"]] == [
        "ETSI.CAdES.detached",
        "ETSI.RFC3161",
    ]


def test_etsi_rfc3161_a_document_time_stamp_over_another_hash_fails_its_imprint(
    app, client, fixture_dir, session_clock
):
    pdf = _document_stamped(app, client, fixture_dir, session_clock, imprint=bytes(32))
    signature, stamp = client.post("/api/v1/pdf/verify", json={"pdf": pdf}).get_json()["signatures"]
    assert signature["verdict"]["indication"] == "TOTAL_PASSED"
    assert stamp["verdict"]["indication"] != "TOTAL_PASSED"
    assert stamp["verdict"]["reasons"] == ["content_mismatch"], stamp["verdict"]["reasons"]
    assert client.post("/pdf/verify", json={"pdf": pdf}).get_json()["valid"] is False


# --- the ledger of issued time stamps, for auditors ------------------------------------------------------


def test_rfc3161_an_auditor_reads_what_the_tsa_issued_under_a_tokens_serial(client, tokens, tmp_path):
    request = _query(tmp_path, "-sha256", "-cert")
    status, reply = _stamp(client, tmp_path, request)
    assert status == 200
    info = tsp.TimeStampResp.load(reply.read_bytes())["time_stamp_token"]["content"]["encap_content_info"]
    tst = info["content"].parsed
    serial = format(tst["serial_number"].native, "x")
    response = client.get(f"/api/v1/tsa/time-stamps/{serial}", headers=bearer(tokens["auditor"]))
    assert response.status_code == 200, response.get_json()
    record = response.get_json()
    assert record["serial"] == serial and record["policy"] == oids.TSA_GOST2015_POLICY
    assert (
        record["imprint"] == hashlib.sha256(DATA).hexdigest() and record["imprint_algorithm"] == oids.SHA256
    )
    assert record["nonce"] == format(tst["nonce"].native, "x")
    assert record["gen_time"] == iso_time(tst["gen_time"].native)
    spelled = ":".join(serial[i : i + 2] for i in range(0, len(serial), 2)).upper()  # as openssl prints it
    assert (
        client.get(f"/api/v1/tsa/time-stamps/{spelled}", headers=bearer(tokens["auditor"])).status_code == 200
    )


def test_rfc3161_the_ledger_needs_an_auditor_and_a_known_serial(client, tokens):
    path = "/api/v1/tsa/time-stamps/4000000000000000000000000000abcd"
    assert_problem(client.get(path), 401)
    assert_problem(client.get(path, headers=bearer(tokens["nca_operator"])), 403)
    assert_problem(client.get(path, headers=bearer(tokens["auditor"])), 404, "time_stamp_not_found")
    bad = client.get("/api/v1/tsa/time-stamps/xyz", headers=bearer(tokens["auditor"]))
    assert_problem(bad, 400, "malformed_serial")


def test_rfc3161_a_tsa_that_cannot_record_answers_503_with_a_system_failure_reply(
    client, services, tmp_path, monkeypatch
):
    down = TimeStampAuthority(services.hierarchy, DatabaseDown(services.sessionmaker))
    monkeypatch.setattr(services, "tsa", down)
    status, reply = _stamp(client, tmp_path, _query(tmp_path, "-sha256"))
    assert status == 503
    text = _openssl("ts", "-reply", "-in", reply, "-text").stdout
    assert "Status: Rejected." in text and "system failure" in text.lower(), text


def test_rfc3161_with_tsp_when_the_tsa_cannot_record_is_an_ncanode_error_naming_why(
    client, services, fixture_dir, monkeypatch
):
    down = TimeStampAuthority(services.hierarchy, DatabaseDown(services.sessionmaker))
    monkeypatch.setattr(services, "tsa", down)
    files = scenarios(fixture_dir)["individual_sign_rsa"]["files"]
    p12 = base64.b64encode((fixture_dir.path / files["p12"]).read_bytes()).decode()
    signer = {"key": p12, "password": files["p12_password"]}
    body = {"data": base64.b64encode(DATA).decode(), "signers": [signer], "withTsp": True}
    answer = client.post("/cms/sign", json=body)
    assert answer.status_code == 400  # NCANode's door answers 400, never 500
    assert (
        answer.get_json()["details"] == "time_stamp_unavailable"
        and "try again" in answer.get_json()["message"]
    )
