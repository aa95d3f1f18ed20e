"""The 208 hand-written x509-limbo cases through ``Verifier.inspect_certificate``, judged by limbo's own
expected result, with the deviations in ``limbo-allowlist.txt`` (one line each, with its reason).

The harness speaks limbo's format (``limbo-schema.json``): ``trusted_certs`` are the trust anchors,
``untrusted_intermediates`` extra certificates, ``crls`` the revocation data (revocation is required
exactly when the case brings CRLs), ``validation_time`` the time, ``extended_key_usage`` the
policy's required extended key usage, ``max_chain_depth`` its intermediate bound. kzpki has no
host-name API (a signer is bound by IIN/BIN, not by a DNS name), so ``expected_peer_name`` is not
checked: cases about name matching are allow-listed as ``skip`` (run, never allowed to raise, not
judged).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from pki import oids
from tests.conformance.harness import (
    DATA,
    CaseInputs,
    Deviation,
    inspect,
    read_allow_list,
    read_deviations,
)

CASES: list[dict[str, Any]] = json.loads((DATA / "limbo" / "limbo-handwritten.json").read_text())["testcases"]
ALLOW_LIST = read_allow_list(DATA.parent.parent / "conformance" / "limbo-allowlist.txt")
PENDING = read_deviations(DATA.parent.parent / "conformance" / "limbo-pending.txt")  # temporary, to be empty
EKUS = {
    "anyExtendedKeyUsage": oids.ANY_EKU,
    "serverAuth": oids.EKU_SERVER_AUTH,
    "clientAuth": oids.EKU_CLIENT_AUTH,
    "codeSigning": "1.3.6.1.5.5.7.3.3",
    "emailProtection": oids.EKU_EMAIL_PROTECTION,
    "timeStamping": oids.EKU_TIME_STAMPING,
    "OCSPSigning": oids.EKU_OCSP_SIGNING,
}


def _der(pem: str) -> bytes:
    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)


def _crl(pem: str) -> bytes:
    return x509.load_pem_x509_crl(pem.encode()).public_bytes(Encoding.DER)


def deviation_of(case_id: str) -> Deviation | None:
    return next((d for d in ALLOW_LIST if d.matches(case_id)), None)


def run_case(case: dict[str, Any]) -> bool:
    """True if the verifier accepts the case's path."""
    return inspect(case_inputs(case)).accepted


def case_inputs(case: dict[str, Any]) -> CaseInputs:
    """The verifier's inputs for the limbo ``case``."""
    fields: dict[str, object] = {}
    if case["extended_key_usage"]:
        fields["required_extended_key_usage"] = frozenset(EKUS[e] for e in case["extended_key_usage"])
    if case["max_chain_depth"] is not None:
        fields["max_intermediates"] = case["max_chain_depth"]
    at = (
        dt.datetime.fromisoformat(case["validation_time"])
        if case["validation_time"]
        else dt.datetime.now(dt.UTC)
    )
    return CaseInputs(
        leaf=case["peer_certificate"].encode(),
        anchors=tuple(_der(c) for c in case["trusted_certs"]),
        intermediates=tuple(_der(c) for c in case["untrusted_intermediates"]),
        crls=tuple(_crl(c) for c in case["crls"]),
        at=at,
        revocation_checked=bool(case["crls"]),
        policy_fields=fields,
    )


def test_limbo_counts() -> None:
    assert len(CASES) == 208


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_limbo_case(case: dict[str, Any]) -> None:
    """The case's expected result, or the deviation its allow-list line names."""
    accepted = run_case(case)  # raises only on a bug: nothing may escape the public API
    expected = case["expected_result"] == "SUCCESS"
    deviation = deviation_of(case["id"])
    if deviation is not None and deviation.kind == "skip":
        pytest.skip(f"allow-listed: {deviation.reason}")
    if accepted == expected:
        return
    if case["id"] in PENDING:
        pytest.skip(f"pending (tests/conformance/limbo-pending.txt): {PENDING[case['id']]}")
    assert deviation is not None, (
        f"{'accepted' if accepted else 'refused'}; limbo expects {case['expected_result']}"
    )
    assert deviation.kind == ("accept" if accepted else "reject"), (
        f"deviates otherwise than listed: {deviation}"
    )


def test_allow_list_rules() -> None:
    """At most 25 lines; a false accept may be allowed only in webpki:: (the CA/Browser Forum profile);
    every line matches at least one case."""
    assert len(ALLOW_LIST) <= 25
    for deviation in ALLOW_LIST:
        assert any(deviation.matches(c["id"]) for c in CASES), f"stale line: {deviation.pattern}"
        if deviation.kind == "accept":
            assert deviation.pattern.startswith("webpki::"), f"false accept outside webpki: {deviation}"
