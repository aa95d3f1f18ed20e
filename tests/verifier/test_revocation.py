"""Revocation (EDS-18, UNIS-11): CRL and OCSP checks, fail-closed logins, caching, the HTTP source."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator

import pytest
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509

import verifier.revocation.crl_index as crl_index_module
import verifier.revocation.ocsp_check as ocsp_check_module
from pki.cms_signing import sign_cms
from pki.errors import NotFound
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki, ResponderDouble
from verifier import (
    HttpRevocationSource,
    Indication,
    InProcessRevocationSource,
    Purpose,
    RevocationMethods,
    RevocationRequirement,
    SubIndication,
    Verifier,
)

HOLD = x509.ReasonFlags.certificate_hold
KEY_COMPROMISE = x509.ReasonFlags.key_compromise
REMOVE = x509.ReasonFlags.remove_from_crl
CRL_ONLY = {"revocation_methods": RevocationMethods.CRL}
OCSP_ONLY = {"revocation_methods": RevocationMethods.OCSP}


def _revocation_check(verdict):  # type: ignore[no-untyped-def]
    return next(c for c in verdict.checks if c.id == "revocation")


# --- CRL ------------------------------------------------------------------------------------------


def test_eds18_certificate_listed_in_the_crl_is_revoked(pki: MiniPki) -> None:
    leaf = pki.leaf()
    crl = pki.crl([(leaf.cert.serial_number, T0 - dt.timedelta(days=2), KEY_COMPROMISE)])
    verdict = pki.verifier(crls=[crl], **CRL_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.REVOKED
    assert verdict.reasons == (Reason.REVOKED,)
    evidence = verdict.signer.revocation
    assert evidence.source == "crl" and evidence.crl_number == 1 and evidence.reason == "key_compromise"


def test_eds18_certificate_hold_is_on_hold_not_revoked(pki: MiniPki) -> None:
    leaf = pki.leaf()
    crl = pki.crl([(leaf.cert.serial_number, T0 - dt.timedelta(days=2), HOLD)])
    verdict = pki.verifier(crls=[crl], **CRL_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.TRY_LATER
    assert verdict.reasons == (Reason.ON_HOLD,)


def test_revocation_after_the_validation_time_does_not_count(pki: MiniPki) -> None:
    leaf = pki.leaf()
    crl = pki.crl(
        [(leaf.cert.serial_number, T0 + dt.timedelta(minutes=10), KEY_COMPROMISE)],
        this_update=T0 - dt.timedelta(hours=1),
    )
    assert pki.verifier(crls=[crl], **CRL_ONLY).inspect_certificate(leaf.der, at=T0).passed


def test_delta_crl_is_merged_with_its_base(pki: MiniPki) -> None:
    leaf = pki.leaf()
    full = pki.crl(number=10, freshest=True)
    delta = pki.crl(
        [(leaf.cert.serial_number, T0 - dt.timedelta(minutes=30), KEY_COMPROMISE)], number=11, base=10
    )
    verdict = pki.verifier(crls=[full, delta], **CRL_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.REVOKED,)
    assert verdict.signer.revocation.delta_crl_number == 11


def test_remove_from_crl_in_the_delta_releases_a_hold(pki: MiniPki) -> None:
    leaf = pki.leaf()
    full = pki.crl([(leaf.cert.serial_number, T0 - dt.timedelta(days=3), HOLD)], number=20, freshest=True)
    delta = pki.crl([(leaf.cert.serial_number, T0 - dt.timedelta(hours=2), REMOVE)], number=21, base=20)
    verifier = pki.verifier(crls=[full, delta], **CRL_ONLY)
    assert verifier.inspect_certificate(leaf.der, at=T0).passed
    only_full = pki.verifier(
        crls=[pki.crl([(leaf.cert.serial_number, T0 - dt.timedelta(days=3), HOLD)], number=20)], **CRL_ONLY
    )
    assert only_full.inspect_certificate(leaf.der, at=T0).reasons == (Reason.ON_HOLD,)


def test_delta_whose_base_is_newer_than_the_full_crl_is_not_merged(pki: MiniPki) -> None:
    leaf = pki.leaf()
    full = pki.crl(number=30)
    delta = pki.crl(
        [(leaf.cert.serial_number, T0 - dt.timedelta(minutes=30), KEY_COMPROMISE)], number=32, base=31
    )
    assert pki.verifier(crls=[full, delta], **CRL_ONLY).inspect_certificate(leaf.der, at=T0).passed


def test_full_crl_announcing_a_delta_without_one_is_unknown(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verdict = pki.verifier(crls=[pki.crl(number=40, freshest=True)], **CRL_ONLY).inspect_certificate(
        leaf.der, at=T0
    )
    assert verdict.reasons == (Reason.REVOCATION_UNKNOWN,)


def test_unis11_stale_crl_past_next_update_refuses_the_login(pki: MiniPki) -> None:
    leaf = pki.leaf()
    stale = pki.crl(this_update=T0 - dt.timedelta(days=3), next_update=T0 - dt.timedelta(days=1))
    verdict = pki.verifier(crls=[stale], **CRL_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.reasons == (Reason.REVOCATION_STALE,)


def test_crl_signed_by_another_key_is_not_used(pki: MiniPki) -> None:
    leaf = pki.leaf()
    forged = pki.crl(signer=pki.responder.key)
    verdict = pki.verifier(crls=[forged], **CRL_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.REVOCATION_INVALID,)


def test_crl_is_validated_and_indexed_once_per_crl_number(
    pki: MiniPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaves = [pki.leaf() for _ in range(3)]
    revoked = [(10_000 + n, T0 - dt.timedelta(days=1), KEY_COMPROMISE) for n in range(10_000)]
    revoked.append((leaves[2].cert.serial_number, T0 - dt.timedelta(days=1), KEY_COMPROMISE))
    crl = pki.crl(revoked, number=50)
    root_crl = pki.root_crl()
    loads: list[int] = []
    original = crl_index_module.CrlIndex.build
    monkeypatch.setattr(
        crl_index_module.CrlIndex,
        "build",
        classmethod(lambda cls, *args: loads.append(1) or original(*args)),
    )
    # each fetch returns a new bytes object, as a re-download would: recognised by (issuer, CRL number)
    source = InProcessRevocationSource(crls=lambda cert, issuer, at: [root_crl, bytes(bytearray(crl))])
    verifier = Verifier(pki.policy(**CRL_ONLY), source)
    results = [
        verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=n))
        for leaf in leaves
        for n in range(3)
    ]
    assert [r.passed for r in results] == [True] * 6 + [False] * 3
    assert len(loads) == 1


def test_unis11_login_without_any_revocation_answer_is_indeterminate(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verdict = pki.verifier().inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.TRY_LATER
    assert verdict.reasons == (Reason.REVOCATION_UNKNOWN,)


def test_documents_may_be_checked_without_revocation_data_by_policy_choice(pki: MiniPki) -> None:
    leaf = pki.leaf("sign")
    verifier = pki.verifier(purpose=Purpose.DOCUMENT, document_revocation=RevocationRequirement.IF_AVAILABLE)
    verdict = verifier.inspect_certificate(leaf.der, at=T0)
    assert verdict.passed
    assert _revocation_check(verdict).status.value == "skipped"
    assert Reason.REVOCATION_UNKNOWN.value in {w.code for w in verdict.warnings}
    strict = pki.verifier(purpose=Purpose.DOCUMENT).inspect_certificate(leaf.der, at=T0)
    assert strict.reasons == (Reason.REVOCATION_UNKNOWN,)


# --- OCSP -----------------------------------------------------------------------------------------


def test_ocsp_good_answer_with_our_nonce_passes_and_is_recorded(pki: MiniPki) -> None:
    leaf = pki.leaf()
    source = ResponderDouble(pki, [leaf.cert])
    verdict = Verifier(pki.policy(**OCSP_ONLY), source).inspect_certificate(leaf.der, at=T0)
    assert verdict.passed, verdict.to_json()
    evidence = verdict.signer.revocation
    assert evidence.source == "ocsp" and evidence.nonce_verified and evidence.status == "good"


def test_ocsp_revoked_and_on_hold_answers(pki: MiniPki) -> None:
    leaf = pki.leaf()
    revoked = Verifier(pki.policy(**OCSP_ONLY), ResponderDouble(pki, [leaf.cert], "revoked"))
    assert revoked.inspect_certificate(leaf.der, at=T0).reasons == (Reason.REVOKED,)
    held = Verifier(pki.policy(**OCSP_ONLY), ResponderDouble(pki, [leaf.cert], "revoked", reason=HOLD))
    assert held.inspect_certificate(leaf.der, at=T0).reasons == (Reason.ON_HOLD,)


def test_ocsp_unknown_status_refuses_the_login(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verifier = Verifier(pki.policy(**OCSP_ONLY), ResponderDouble(pki, [leaf.cert], "unknown"))
    verdict = verifier.inspect_certificate(leaf.der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE and verdict.reasons == (Reason.REVOCATION_UNKNOWN,)


def test_ocsp_nonce_mismatch_is_refused_as_a_replay(pki: MiniPki) -> None:
    leaf = pki.leaf()
    source = ResponderDouble(pki, [leaf.cert])
    source.wrong_nonce = True
    verdict = Verifier(pki.policy(**OCSP_ONLY), source).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.REVOCATION_INVALID,)
    assert "nonce" in _revocation_check(verdict).message


def _forged(response: bytes) -> bytes:
    """``response`` with one bit of its signature flipped (what an attacker without the key can do)."""
    parsed = asn1_ocsp.OCSPResponse.load(response)
    basic = parsed["response_bytes"]["response"].parsed
    signature = bytearray(basic["signature"].native)
    signature[len(signature) // 2] ^= 0x01
    basic["signature"] = bytes(signature)
    parsed["response_bytes"]["response"] = asn1_ocsp.BasicOCSPResponse.load(basic.dump(force=True))
    return parsed.dump(force=True)


def test_forged_ocsp_response_is_refused(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verdict = pki.verifier(ocsps=[_forged(pki.ocsp(leaf.cert))], **OCSP_ONLY).inspect_certificate(
        leaf.der, at=T0
    )
    assert verdict.reasons == (Reason.REVOCATION_INVALID,)
    assert "signature" in _revocation_check(verdict).message


def test_forged_ocsp_falls_back_to_a_good_crl_like_certvalidator(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verdict = pki.verifier(crls=[pki.crl()], ocsps=[_forged(pki.ocsp(leaf.cert))]).inspect_certificate(
        leaf.der, at=T0
    )
    assert verdict.passed and verdict.signer.revocation.source == "crl"


def test_ocsp_from_an_unauthorised_responder_is_refused(pki: MiniPki, foreign_root) -> None:  # type: ignore[no-untyped-def]
    leaf = pki.leaf()
    no_eku = pki.responder_certificate(ocsp_signing=False)
    other_ca = pki.responder_certificate(issuer=foreign_root)
    for responder in (no_eku, other_ca, leaf):
        response = pki.ocsp(leaf.cert, responder=responder)
        verdict = pki.verifier(ocsps=[response], **OCSP_ONLY).inspect_certificate(leaf.der, at=T0)
        assert verdict.reasons == (Reason.REVOCATION_INVALID,), responder.cert.subject
        assert "responder" in _revocation_check(verdict).message


def test_ocsp_signed_by_the_ca_itself_is_accepted(pki: MiniPki) -> None:
    leaf = pki.leaf()
    response = pki.ocsp(leaf.cert, responder=pki.nca)
    assert pki.verifier(ocsps=[response], **OCSP_ONLY).inspect_certificate(leaf.der, at=T0).passed


def test_delegated_responder_without_nocheck_needs_its_own_good_status(pki: MiniPki) -> None:
    leaf = pki.leaf()
    checked = pki.responder_certificate(nocheck=False)
    response = pki.ocsp(leaf.cert, responder=checked)
    assert (
        pki.verifier(crls=[pki.crl()], ocsps=[response], **OCSP_ONLY)
        .inspect_certificate(leaf.der, at=T0)
        .passed
    )
    revoked_responder = pki.crl([(checked.cert.serial_number, T0 - dt.timedelta(days=1), KEY_COMPROMISE)])
    verdict = pki.verifier(crls=[revoked_responder], ocsps=[response], **OCSP_ONLY).inspect_certificate(
        leaf.der, at=T0
    )
    assert verdict.reasons == (Reason.REVOCATION_INVALID,)


def test_ocsp_about_another_issuer_certid_is_refused(pki: MiniPki, foreign_root) -> None:  # type: ignore[no-untyped-def]
    leaf = pki.leaf()
    response = pki.ocsp(leaf.cert, issuer=foreign_root, responder=pki.responder)
    verdict = pki.verifier(ocsps=[response], **OCSP_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.REVOCATION_INVALID,)


def test_ocsp_without_next_update_is_fresh_only_for_the_max_age_from_this_update(pki: MiniPki) -> None:
    leaf = pki.leaf()
    old = pki.ocsp(leaf.cert, this_update=T0 - dt.timedelta(hours=2))
    verdict = pki.verifier(ocsps=[old], **OCSP_ONLY).inspect_certificate(leaf.der, at=T0)
    assert verdict.reasons == (Reason.REVOCATION_STALE,)
    recent = pki.ocsp(leaf.cert, this_update=T0 - dt.timedelta(minutes=5))
    assert pki.verifier(ocsps=[recent], **OCSP_ONLY).inspect_certificate(leaf.der, at=T0).passed


def test_ocsp_answers_are_reused_for_the_cache_ttl_only(pki: MiniPki) -> None:
    leaf = pki.leaf()
    source = ResponderDouble(pki, [leaf.cert], this_update=T0)
    verifier = Verifier(pki.policy(**OCSP_ONLY, ocsp_cache_ttl=dt.timedelta(seconds=60)), source)
    for seconds in (0, 10, 59):
        verdict = verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=seconds))
        assert verdict.passed
    assert source.ocsp_calls == 1 and verdict.signer.revocation.from_cache
    verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=61))
    assert source.ocsp_calls == 2


def test_login_cms_with_ocsp_end_to_end(pki: MiniPki) -> None:
    leaf = pki.leaf()
    verifier = Verifier(pki.policy(), ResponderDouble(pki, [leaf.cert]))
    verdict = verifier.verify_cms(sign_cms(b"n" * 32, leaf.key, leaf.cert, signing_time=T0), at=T0)
    assert verdict.passed and verdict.signer.revocation.nonce_verified


# --- the HTTP source ------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}  # noqa: RUF012

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def _answer(self) -> None:
        status, body, headers = self.routes.get(self.path, (404, b"", {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, dict]]:  # type: ignore[type-arg]
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


def test_http_source_fetches_crl_and_ocsp_from_allow_listed_hosts(pki: MiniPki, http_server) -> None:  # type: ignore[no-untyped-def]
    base, routes = http_server
    leaf = pki.leaf(base=base)
    routes["/crl/nca.crl"] = (200, pki.crl(), {})
    source = HttpRevocationSource({"127.0.0.1"}, timeout=2)
    crls = source.fetch_crls(leaf.cert, pki.nca.cert, T0)
    assert crls == [routes["/crl/nca.crl"][1]]
    routes["/ocsp/"] = (200, pki.ocsp(leaf.cert), {"Content-Type": "application/ocsp-response"})
    answer = source.fetch_ocsp(leaf.cert, pki.nca.cert, b"n" * 16, T0)
    assert answer is not None and answer.location == f"{base}/ocsp/" and answer.nonce == b"n" * 16


def test_http_source_never_fetches_from_hosts_outside_the_allow_list(pki: MiniPki, http_server) -> None:  # type: ignore[no-untyped-def]
    base, routes = http_server
    leaf = pki.leaf(base=base)
    routes["/crl/nca.crl"] = (200, pki.crl(), {})
    source = HttpRevocationSource({"crl.pki.gov.kz"}, timeout=2)
    with pytest.raises(NotFound) as error:
        source.fetch_crls(leaf.cert, pki.nca.cert, T0)
    assert "allow-list" in error.value.message


def test_http_source_refuses_oversize_bodies_and_redirects(pki: MiniPki, http_server) -> None:  # type: ignore[no-untyped-def]
    base, routes = http_server
    leaf = pki.leaf(base=base)
    routes["/crl/nca.crl"] = (200, b"x" * 5000, {})
    with pytest.raises(NotFound, match="larger than"):
        HttpRevocationSource({"127.0.0.1"}, max_crl_bytes=1000).fetch_crls(leaf.cert, pki.nca.cert, T0)
    routes["/crl/nca.crl"] = (302, b"", {"Location": "http://169.254.169.254/latest/meta-data"})
    with pytest.raises(NotFound):
        HttpRevocationSource({"127.0.0.1"}).fetch_crls(leaf.cert, pki.nca.cert, T0)


def test_http_source_down_means_revocation_unknown_for_a_login(pki: MiniPki, http_server) -> None:  # type: ignore[no-untyped-def]
    base, _ = http_server
    leaf = pki.leaf(base=base)  # no routes: every URL answers 404
    policy = pki.policy(check_ca_revocation=False)
    verdict = Verifier(policy, HttpRevocationSource({"127.0.0.1"}, timeout=2)).inspect_certificate(
        leaf.der, at=T0
    )
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.reasons == (Reason.REVOCATION_UNKNOWN,)


def test_a_re_served_identical_ocsp_response_is_not_re_verified_but_still_judged_for_freshness(
    pki: MiniPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaf = pki.leaf()
    response = pki.ocsp(leaf.cert, this_update=T0)
    verifier = pki.verifier(ocsps=[response], **OCSP_ONLY, ocsp_nonce=False, ocsp_cache_ttl=dt.timedelta(0))
    checks: list[int] = []
    original = ocsp_check_module.verify_signature
    monkeypatch.setattr(
        ocsp_check_module, "verify_signature", lambda *a, **k: checks.append(1) or original(*a, **k)
    )
    for seconds in (0, 60, 600):
        assert verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(seconds=seconds)).passed
    assert len(checks) == 1  # the response signature, once (the responder certificate: issued_by_key, cached)
    stale = verifier.inspect_certificate(leaf.der, at=T0 + dt.timedelta(hours=1))
    assert stale.reasons == (Reason.REVOCATION_STALE,)
    forged = pki.verifier(
        ocsps=[_forged(response)], **OCSP_ONLY, ocsp_nonce=False, ocsp_cache_ttl=dt.timedelta(0)
    )
    assert forged.inspect_certificate(leaf.der, at=T0).reasons == (Reason.REVOCATION_INVALID,)
