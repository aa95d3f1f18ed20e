"""NIST PKITS (all 246 variants and the 10 user-notice variants) through ``Verifier.inspect_certificate``.

Each variant is one path validation as of 2022-05-01 with the trust anchor
``TrustAnchorRootCertificate`` (and its CRL), the variant's CA certificates as extra certificates,
its RFC 5280 6.1.1 initial inputs as policy fields, and, unless the variant says ``revocation:
false``, revocation required for the end entity and every CA (CRLs only). PKITS is historic material
validated in document mode: its policy names the choice to accept DSA with SHA-1 (4.1.4-4.1.6,
parameters inherited from the issuer in 4.1.5) by ``verifier.policy.HISTORIC_DSA``, which a login
policy refuses. PKITS was written for RFC 3280, whose 4.2.1.12 let a CA mark policyConstraints
non-critical, and 16 of its CA certificates do so on paths that must validate (4.8, 4.10, 4.12);
RFC 5280 4.2.1.11 requires it critical and the verifier refuses it by default, so the PKITS policy
also names ``verifier.policy.RFC3280_COMPATIBLE`` (``profile_compatibility``), which accepts it.
The variant passes when
the path-level outcome (chain, validity, revocation) is the one PKITS prescribes; the user-notice
variants must validate. Data and provenance: tests/data/conformance/README.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509

from tests.conformance.harness import DATA, CaseInputs, PathOutcome, inspect, read_deviations
from verifier.policy import HISTORIC_DSA, RFC3280_COMPATIBLE

PKITS = DATA / "pkits"
AT = dt.datetime(2022, 5, 1, tzinfo=dt.UTC)
ANCHOR_NAME = "TrustAnchorRootCertificate.crt"
ANCHOR = (PKITS / "certs" / ANCHOR_NAME).read_bytes()
ANCHOR_CRL = (PKITS / "crls" / "TrustAnchorRootCRL.crl").read_bytes()
PENDING = read_deviations(DATA.parent.parent / "conformance" / "pkits-pending.txt")


def _variants() -> list[dict[str, Any]]:
    main = json.loads((PKITS / "pkits.json").read_text())
    notices = json.loads((PKITS / "pkits-user-notice.json").read_text())
    return [*main, *({**v, "name": f"notice-{v['name']}"} for v in notices)]


VARIANTS = _variants()


def intermediate_names(variant: dict[str, Any]) -> list[str]:
    """The file names of the CA certificates ``variant`` supplies besides the trust anchor."""
    return list(variant.get("path_intermediates", variant.get("other_certs", [])))


POLICY_FIELDS = {
    "user_initial_policy_set": lambda v: frozenset(v),
    "initial_explicit_policy": bool,
    "initial_policy_mapping_inhibit": bool,
    "initial_any_policy_inhibit": bool,
}


def test_pkits_counts() -> None:
    assert len([v for v in VARIANTS if "notice" not in v]) == 246
    assert len([v for v in VARIANTS if "notice" in v]) == 10
    assert len({v["name"] for v in VARIANTS}) == len(VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v['id']}-{v['name']}" for v in VARIANTS])
def test_pkits_variant(variant: dict[str, Any]) -> None:
    """RFC 5280 6.1 as NIST PKITS 4.x prescribes for this variant."""
    revocation = variant.get("revocation", True)
    fields = {k: POLICY_FIELDS[k](v) for k, v in (variant.get("params") or {}).items()}
    try:
        outcome = _inspect(variant, revocation, fields)
    except Exception:
        if variant["name"] not in PENDING:
            raise
        pytest.skip(f"pending (tests/conformance/pkits-pending.txt): {PENDING[variant['name']]}")
    expected = "error" not in variant
    if variant["name"] in PENDING and outcome.accepted != expected:
        pytest.skip(f"pending (tests/conformance/pkits-pending.txt): {PENDING[variant['name']]}")
    wanted = "accept" if expected else "reject"
    assert outcome.accepted == expected, f"expected {wanted}: {outcome.describe()}"


def _inspect(variant: dict[str, Any], revocation: bool, fields: dict[str, Any]) -> PathOutcome:
    return inspect(case_inputs(variant, revocation, fields))


def case_inputs(variant: dict[str, Any], revocation: bool, fields: dict[str, Any]) -> CaseInputs:
    """The verifier's inputs for ``variant``."""
    return CaseInputs(
        leaf=(PKITS / "certs" / variant["cert"]).read_bytes(),
        anchors=(ANCHOR,),
        intermediates=tuple((PKITS / "certs" / name).read_bytes() for name in intermediate_names(variant)),
        crls=(ANCHOR_CRL, *((PKITS / "crls" / name).read_bytes() for name in variant.get("crls", []))),
        at=AT,
        revocation_checked=revocation,
        policy_fields={
            "cryptographic_constraints": HISTORIC_DSA,
            "profile_compatibility": RFC3280_COMPATIBLE,
            **fields,
        },
    )


def variant_inputs(variant: dict[str, Any]) -> CaseInputs:
    """The inputs of ``variant`` with its own revocation setting and RFC 5280 6.1.1 inputs."""
    fields = {k: POLICY_FIELDS[k](v) for k, v in (variant.get("params") or {}).items()}
    return case_inputs(variant, variant.get("revocation", True), fields)


def test_pkits_pending_list_is_current() -> None:
    """Every pending line names a variant that exists."""
    names = {v["name"] for v in VARIANTS}
    assert set(PENDING) <= names, sorted(set(PENDING) - names)


def _noncritical_policy_constraints(cert_name: str) -> bool:
    extensions = asn1_x509.Certificate.load((PKITS / "certs" / cert_name).read_bytes())["tbs_certificate"]
    return any(
        e["extn_id"].native == "policy_constraints" and not e["critical"].native
        for e in extensions["extensions"]
    )


def test_rfc5280_4_2_1_11_valid_pkits_paths_through_a_non_critical_policy_constraints_need_rfc3280() -> None:
    """Without ``RFC3280_COMPATIBLE`` (the default profile), every PKITS variant that must validate through a
    CA whose policyConstraints is non-critical is refused, for that reason: 27 of the 246 and 6 of the 10
    user-notice variants."""
    affected = [
        v
        for v in VARIANTS
        if "error" not in v and any(_noncritical_policy_constraints(c) for c in intermediate_names(v))
    ]
    assert (sum("notice" not in v for v in affected), sum("notice" in v for v in affected)) == (27, 6)
    for variant in affected:
        inputs = variant_inputs(variant)
        fields = {k: v for k, v in inputs.policy_fields.items() if k != "profile_compatibility"}
        outcome = inspect(dataclasses.replace(inputs, policy_fields=fields))
        assert not outcome.accepted, variant["name"]
        assert "policyConstraints extension must be critical (RFC 5280 4.2.1.11)" in outcome.describe()
