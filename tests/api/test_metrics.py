"""GET /metrics: the Prometheus exposition, read back with prometheus_client's own text parser.

The app here shares the session's services, with a metrics token configured; the session app has none
(metrics off). Counters are compared before and after the calls a test makes (other tests count too).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from ca_sim.grounds import Ground
from ca_sim.ocsp import CacheUse
from ca_sim.timestamping import Outcome
from pki.iin import Sex, make_iin
from pki.reasons import Reason
from tests.api import contract
from tests.api.conftest import bearer, scenarios
from tests.api.console_support import console_client, issue, session_csrf
from tests.api.support import assert_problem, cms_login, credentials
from tests.api.test_logins import _challenge, _issue_with_account, _login
from tests.api.test_public import _ocsp_request
from tests.servers import ROOT
from unis.login import Decision

TOKEN = "metrics-token-for-tests"


@pytest.fixture(scope="module")
def metrics_app(services) -> Flask:
    settings = dataclasses.replace(services.settings, metrics_token=TOKEN)
    app = create_app(settings, services=dataclasses.replace(services, settings=settings))
    contract.install(app)
    return app


def _scrape(app: Flask) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = app.test_client().get("/metrics", headers=bearer(TOKEN))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token_configured(client):
    assert_problem(client.get("/metrics"), 404, "metrics_disabled")


def test_metrics_need_the_configured_bearer_token(metrics_app):
    assert_problem(metrics_app.test_client().get("/metrics"), 401, "missing_token")
    wrong = metrics_app.test_client().get("/metrics", headers=bearer("not-the-token"))
    assert_problem(wrong, 401, "invalid_token")


def test_logins_are_counted_by_decision_and_main_reason(metrics_app, client, fixture_dir):
    before = _scrape(metrics_app)
    accepted = _login(
        client, cms_login(_challenge(client), *credentials(fixture_dir.path, "individual_auth_rsa"))
    )
    replayed = _challenge(client)
    body = cms_login(replayed, *credentials(fixture_dir.path, "individual_auth_rsa"))
    _login(client, body)
    refused = _login(client, body)
    assert accepted["decision"] == "accepted" and refused["decision"] == "refused"
    after = _scrape(metrics_app)
    name = "kzpki_logins_total"
    assert (
        _value(after, name, decision="accepted", reason="none")
        - _value(before, name, decision="accepted", reason="none")
        == 2
    )
    main = refused["reasons"][0]
    assert (
        _value(after, name, decision="refused", reason=main)
        - _value(before, name, decision="refused", reason=main)
        == 1
    )
    count = "kzpki_verification_duration_seconds_count"
    assert _value(after, count, operation="login") - _value(before, count, operation="login") == 3


def test_verification_latency_is_a_histogram_in_seconds(metrics_app, client, fixture_dir):
    _, certificate = credentials(fixture_dir.path, "individual_auth_rsa")
    before = _scrape(metrics_app)
    pem = certificate.public_bytes(Encoding.PEM).decode()
    assert client.post("/api/v1/certificates/inspect", json={"certificate": pem}).status_code == 200
    after = _scrape(metrics_app)
    name = "kzpki_verification_duration_seconds"
    assert (
        _value(after, f"{name}_count", operation="certificate")
        - _value(before, f"{name}_count", operation="certificate")
        == 1
    )
    assert _value(after, f"{name}_bucket", operation="certificate", le="+Inf") == _value(
        after, f"{name}_count", operation="certificate"
    )
    assert (
        0
        < _value(after, f"{name}_sum", operation="certificate")
        - _value(before, f"{name}_sum", operation="certificate")
        < 3600
    )  # seconds, not milliseconds: one inspection takes well under an hour


def test_ocsp_requests_are_counted_by_cache_hit_and_miss(metrics_app, client, fixture_dir, clock):
    clock.at += dt.timedelta(minutes=6)  # past the responder's cache age: the first answer is signed now
    request_der = _ocsp_request(fixture_dir, "individual_sign_rsa")
    before = _scrape(metrics_app)
    for _ in range(2):
        answer = client.post("/ocsp/", data=request_der, content_type="application/ocsp-request")
        assert answer.status_code == 200
    nonce = _ocsp_request(fixture_dir, "individual_sign_rsa", nonce=b"0123456789abcdef")
    client.post("/ocsp/", data=nonce, content_type="application/ocsp-request")
    client.post("/ocsp/", data=b"not DER", content_type="application/ocsp-request")
    after = _scrape(metrics_app)
    name = "kzpki_ocsp_requests_total"
    for cache in ("miss", "hit", "bypass", "error"):
        delta = _value(after, name, cache=cache, source="http") - _value(
            before, name, cache=cache, source="http"
        )
        assert delta == 1, cache


def test_time_stamps_are_counted_by_outcome(metrics_app, client):
    query = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": bytes(32)},
        }
    ).dump()
    before = _scrape(metrics_app)
    for body in (query, query, b"not DER"):
        client.post("/tsp", data=body, content_type="application/timestamp-query")
    after = _scrape(metrics_app)
    name = "kzpki_time_stamps_total"
    for outcome, count in (("granted", 2), ("bad_data_format", 1)):
        assert _value(after, name, outcome=outcome) - _value(before, name, outcome=outcome) == count


def test_crl_gauges_match_the_published_crls(isolated):
    """Entries, DER size and age of each CA's latest full and delta CRL, against the CRLs themselves."""
    services, clock = isolated
    published = services.crls.publish(clock())
    clock.at += dt.timedelta(seconds=90)
    settings = dataclasses.replace(services.settings, metrics_token=TOKEN)
    samples = _scrape(create_app(settings, services=dataclasses.replace(services, settings=settings)))
    assert {issued.record.ca_id for issued in published} == set(services.hierarchy.authorities)
    for issued in published:
        labels = {"ca": issued.record.ca_id, "kind": issued.record.kind.value}
        crl = x509.load_der_x509_crl(issued.der)
        assert _value(samples, "kzpki_crl_entries", **labels) == len(list(crl))
        assert _value(samples, "kzpki_crl_size_bytes", **labels) == len(issued.der)
        age = (clock() - crl.last_update_utc).total_seconds()
        assert _value(samples, "kzpki_crl_age_seconds", **labels) == pytest.approx(age) and age >= 90


def test_eds18_revocations_are_counted_by_legal_ground(metrics_app, client, tokens):
    headers = bearer(tokens["nca_operator"])
    issued = _issue_with_account(
        client, headers, "individual_auth", "p256", make_iin(dt.date(1979, 6, 1), Sex.MALE, 4545)
    )
    before = _scrape(metrics_app)
    revoked = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/revocation",
        json={"ground": "key_compromise", "document_ref": "owner's statement 9"},
        headers=headers,
    )
    assert revoked.status_code == 200
    again = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/revocation",
        json={"ground": "key_compromise", "document_ref": "owner's statement 9"},
        headers=headers,
    )
    assert again.status_code == 409  # refused: not counted
    after = _scrape(metrics_app)
    name = "kzpki_revocations_total"
    assert _value(after, name, ground="key_compromise") - _value(before, name, ground="key_compromise") == 1


def test_eds18_console_revocations_and_holds_are_counted_as_the_api_s(metrics_app, app, tokens):
    """The console's revoke and hold go through the same register as the API's and are counted the same
    way, once each; a release is no revocation."""
    client = console_client(app, tokens["nca_operator"])
    revoked = issue(client, tokens["nca_operator"], make_iin(dt.date(1977, 3, 3), Sex.MALE, 4601), "СЧЁТОВ")
    held = issue(client, tokens["nca_operator"], make_iin(dt.date(1978, 4, 4), Sex.FEMALE, 4602), "СЧЁТОВА")
    name = "kzpki_revocations_total"
    before = _scrape(metrics_app)

    def confirm(serial: str, change: str, **fields: str) -> None:
        form = {"csrf_token": session_csrf(client), "step": "confirm", "document_ref": "order 46", **fields}
        response = client.post(f"/console/certificates/nca/{serial}/{change}", data=form)
        assert response.status_code == 303, response.get_data(as_text=True)

    confirm(revoked["serial"], "revoke", ground="key_compromise")
    confirm(held["serial"], "hold")
    confirm(held["serial"], "release")
    after = _scrape(metrics_app)
    for ground in ("key_compromise", "hold"):
        assert _value(after, name, ground=ground) - _value(before, name, ground=ground) == 1, ground


def test_pd_metrics_labels_are_enumeration_values_only(metrics_app, client, fixture_dir, services):
    """No personal data in labels: every label value is a decision, reason code, ground, cache use, source,
    operation, CA id, CRL kind, time-stamp outcome or histogram bound; no IIN or serial appears anywhere in
    the exposition."""
    _login(client, cms_login(_challenge(client), *credentials(fixture_dir.path, "individual_auth_rsa")))
    text = metrics_app.test_client().get("/metrics", headers=bearer(TOKEN)).get_data(as_text=True)
    allowed = {
        "decision": {d.value for d in Decision},
        "reason": {"none"} | {r.value for r in Reason},
        "ground": {g.value for g in Ground},
        "cache": {c.value for c in CacheUse},
        "source": {"http", "in_process"},
        "operation": {"login", "certificate", "cms", "xml", "timestamp"},
        "ca": set(services.hierarchy.authorities),
        "kind": {"full", "delta"},
        "outcome": {o.value for o in Outcome},
    }
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for label, value in sample.labels.items():
                if label == "le":
                    float(value)
                else:
                    assert value in allowed[label], (sample.name, label, value)
    for scenario in scenarios(fixture_dir).values():
        assert scenario["iin"] not in text
        assert f'"{scenario.get("serial", "-")}"' not in text


def test_the_cli_never_imports_prometheus_client_before_serve_sets_multiprocess_mode():
    """prometheus_client picks its value store at import: the master must not import it before
    ``kzpki serve`` names the metrics directory (else workers would never merge their counters)."""
    probe = "import sys, api.cli; print('prometheus_client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
