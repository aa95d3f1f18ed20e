"""NCANode's Spring Boot actuator health (``/actuator``, ``/actuator/health``, its ``liveness`` and
``readiness`` groups), so probes written against NCANode keep working: Spring's bodies, statuses and media
types. The readiness group against a stale CRL is in tests/api/test_readiness.py."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from api.app import create_app
from tests.api import contract

V3 = "application/vnd.spring-boot.actuator.v3+json"


def test_health_is_up_in_spring_s_media_type(client):
    response = client.get("/actuator/health")
    assert response.status_code == 200 and response.mimetype == V3
    assert response.get_json(force=True) == {"status": "UP"}
    assert response.headers["Cache-Control"] == "no-store"


def test_the_media_type_follows_accept(client):
    answer = client.get("/actuator/health", headers={"Accept": "application/json"})
    assert answer.mimetype == "application/json" and answer.get_json() == {"status": "UP"}
    older = client.get("/actuator/health", headers={"Accept": "application/vnd.spring-boot.actuator.v2+json"})
    assert older.mimetype == "application/vnd.spring-boot.actuator.v2+json"


def test_links(client):
    links = client.get("/actuator").get_json(force=True)["_links"]
    assert links["self"] == {"href": "http://localhost/actuator", "templated": False}
    assert links["health"] == {"href": "http://localhost/actuator/health", "templated": False}
    assert links["health-path"] == {"href": "http://localhost/actuator/health/{*path}", "templated": True}


@pytest.mark.parametrize("path", ["/actuator/health", "/actuator/health/liveness"])
def test_down_with_503_when_the_database_does_not_answer(isolated, tmp_path, path):
    services, _ = isolated
    unreachable = sessionmaker(create_engine(f"sqlite:///{tmp_path}/missing/directory/kzpki.db"))
    app = create_app(services.settings, services=dataclasses.replace(services, sessionmaker=unreachable))
    contract.install(app)
    response = app.test_client().get(path)
    assert response.status_code == 503 and response.get_json(force=True) == {"status": "DOWN"}


def test_an_unknown_group_is_404(client):
    response = client.get("/actuator/health/db")
    assert response.status_code == 404 and response.get_json()["code"] == "actuator_group_not_found"
