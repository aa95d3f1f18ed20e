"""The generated OpenAPI 3.1 document and the Swagger UI reference page."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from api.openapi import is_api_endpoint
from api.operations import operation_of
from pki.reasons import RULE_IDS, Reason


def _template(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_the_document_is_valid_openapi_3_1(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises on any schema violation of the OpenAPI 3.1 meta-schema


def test_every_route_is_declared_and_documented_and_nothing_else(app, client):
    routes = {
        (_template(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if is_api_endpoint(rule.endpoint)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert all(
        operation_of(app.view_functions[r.endpoint])
        for r in app.url_map.iter_rules()
        if is_api_endpoint(r.endpoint)
    )
    spec = client.get("/openapi.json").get_json()
    documented = {(_template(path), method) for path, ops in spec["paths"].items() for method in ops}
    assert routes == documented


def test_operations_have_ids_tags_and_response_schemas(client):
    spec = client.get("/openapi.json").get_json()
    tags = {t["name"] for t in spec["tags"]}
    ids = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            assert operation["tags"][0] in tags, path
            assert operation["summary"] and operation["description"], (path, method)
            ok = [s for s in operation["responses"] if s.startswith("2")]
            assert ok, (path, method)
            if operation["responses"][ok[0]].get("content", {}).get("application/json"):
                assert operation["responses"][ok[0]]["content"]["application/json"]["schema"]
    assert len(ids) == len(set(ids))
    login = spec["paths"]["/api/v1/unis/logins"]["post"]
    decision = login["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["components"]["schemas"][decision.rsplit("/", 1)[1]]["properties"]["verdict"]
    assert {"400", "413", "415"} <= set(login["responses"])
    accounts = spec["paths"]["/api/v1/unis/accounts"]["get"]
    assert accounts["security"] == [{"bearer": []}] and {"401", "403"} <= set(accounts["responses"])
    assert [p["name"] for p in accounts["parameters"]] == ["status", "after", "limit"]
    assert spec["servers"][0]["url"] == "/"


def test_request_schemas_carry_examples(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    assert schemas["LoginRequest"]["examples"][0]["challenge_id"]
    assert schemas["RevocationIn"]["examples"][0]["ground"] == "key_compromise"


def test_docs_serve_swagger_ui_from_the_installed_bundle(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "//" not in html.replace("<!doctype", "").split("<body>")[0].replace("://", "")  # no CDN URL
    for asset in re.findall(r'(?:src|href)="(/docs/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200 and response.get_data(), asset
    script = client.get("/docs/assets/swagger-ui-bundle.js").get_data(as_text=True)
    assert "SwaggerUIBundle" in script
    assert client.get("/docs/assets/../../etc/passwd").status_code == 404
    assert client.get("/docs/assets/index.html").status_code == 404


def test_reason_codes_and_rule_ids_are_a_table_in_the_reference(client):
    assert set(RULE_IDS) == set(Reason)
    description = client.get("/openapi.json").get_json()["info"]["description"]
    for reason in Reason:
        assert f"| `{reason.value}` | {', '.join(RULE_IDS[reason])} |" in description
