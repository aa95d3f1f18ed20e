"""GET /readyz: 200 with each component's state, or 503 problem+json naming the failing ones; one test per
failing component. Runs on services of their own (``isolated``): CRLs are published and time moves here."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from api.app import create_app
from api.models.operations import Readiness
from api.services import Services
from tests.api import contract
from tests.api.support import assert_problem


def _app(services: Services, **changes) -> Flask:
    app = create_app(services.settings, services=dataclasses.replace(services, **changes))
    contract.install(app)
    return app


@pytest.fixture
def published(isolated) -> tuple[Services, object]:
    """The isolated services with every CA's full and delta CRL published now."""
    services, clock = isolated
    services.crls.publish(clock())
    return services, clock


def test_ready_when_database_keys_and_crls_are_usable(published):
    services, _ = published
    response = _app(services).test_client().get("/readyz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = Readiness.model_validate(response.get_json())
    assert set(body.components) == {"database", "ca_keys", "crls"}
    assert all(state.status == "ok" for state in body.components.values())


def test_not_ready_when_the_database_does_not_answer(published, tmp_path):
    services, _ = published
    unreachable = sessionmaker(create_engine(f"sqlite:///{tmp_path}/missing/directory/kzpki.db"))
    response = _app(services, sessionmaker=unreachable).test_client().get("/readyz")
    problem = assert_problem(response, 503, "not_ready")
    assert problem["failing"] == ["database", "crls"]  # the CRLs are in the database: not read
    assert "database: the database does not answer (OperationalError)" in problem["detail"]
    assert "sqlite" not in problem["detail"]  # never the URL


def test_not_ready_when_a_ca_key_is_missing_or_not_the_certificates(published):
    services, _ = published
    hierarchy = copy.copy(services.hierarchy)
    authorities = dict(services.hierarchy.authorities)
    del authorities["gov"]
    other = ec.generate_private_key(ec.SECP256R1())
    authorities["nca"] = dataclasses.replace(authorities["nca"], private_key=other)
    hierarchy.authorities = authorities
    response = _app(services, hierarchy=hierarchy).test_client().get("/readyz")
    problem = assert_problem(response, 503, "not_ready")
    assert problem["failing"] == ["ca_keys"]
    assert "gov: not loaded" in problem["detail"]
    assert "nca: the loaded key is not the CA certificate's" in problem["detail"]


def test_eds18_3_not_ready_when_a_crl_is_past_its_next_update(published):
    services, clock = published
    delta = services.registry.crls.publication("nca").delta
    assert delta is not None
    clock.at = delta.next_update + dt.timedelta(seconds=1)  # nobody republished: the publisher is not running
    problem = assert_problem(_app(services).test_client().get("/readyz"), 503, "not_ready")
    assert problem["failing"] == ["crls"]
    assert f"nca: delta CRL {delta.crl_number} past its nextUpdate" in problem["detail"]
    services.crls.publish(clock())  # republished: ready again
    assert _app(services).test_client().get("/readyz").status_code == 200


def test_actuator_readiness_follows_readyz_and_liveness_does_not(published):
    """NCANode's Spring probes: a stale CRL is OUT_OF_SERVICE for readiness, but the instance stays alive
    (an orchestrator must not restart it for that)."""
    services, clock = published
    client = _app(services).test_client()
    assert client.get("/actuator/health/readiness").get_json(force=True) == {"status": "UP"}
    delta = services.registry.crls.publication("nca").delta
    assert delta is not None
    clock.at = delta.next_update + dt.timedelta(seconds=1)
    stale = client.get("/actuator/health/readiness")
    assert stale.status_code == 503 and stale.get_json(force=True) == {"status": "OUT_OF_SERVICE"}
    for alive in ("/actuator/health", "/actuator/health/liveness"):
        answer = client.get(alive)
        assert answer.status_code == 200 and answer.get_json(force=True) == {"status": "UP"}
