"""The OpenAPI 3.1 document of the HTTP API (served at ``/openapi.json``) and its readable page (``/docs``).

Written as data next to the blueprints; a test checks that every route of the app is documented here
and that nothing documented is missing from the app.
"""

from __future__ import annotations

import html
import json
from typing import Any

from api.blueprints.ca import GENERATED_KEY_TYPES
from pki.reasons import Reason
from verifier import Purpose

JSON = "application/json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_TIME = {"type": "string", "format": "date-time"}
_NTIME = {"type": ["string", "null"], "format": "date-time"}
_B64 = {"type": "string", "contentEncoding": "base64"}
_BOOL = {"type": "boolean"}
_INT = {"type": "integer"}

SCHEMAS: dict[str, Any] = {
    "Problem": _obj(
        {
            "type": _STR,
            "title": _STR,
            "status": _INT,
            "code": {**_STR, "description": "Stable machine code; branch on it."},
            "detail": {**_STR, "description": "What went wrong and what to do, for people."},
            "instance": _STR,
            "field": {**_STR, "description": "The offending field, when one is to blame."},
        },
        ("type", "title", "status", "code", "detail"),
        description="RFC 9457 problem document.",
    ),
    "Challenge": _obj(
        {
            "challenge_id": _STR,
            "nonce": {**_B64, "description": "32 random bytes: sign exactly these bytes (CMS)."},
            "expires_at": _TIME,
            "xml_to_sign": {**_STR, "description": "The document to sign for an XMLDSig login (enveloped)."},
        },
        ("challenge_id", "nonce", "expires_at", "xml_to_sign"),
    ),
    "LoginRequest": _obj(
        {
            "challenge_id": _STR,
            "cms": {**_B64, "description": "CMS SignedData over the nonce, attached or detached (or PEM)."},
            "xml": {**_STR, "description": "Enveloped XMLDSig of xml_to_sign."},
            "biometric": {**_B64, "description": "UNIS-2025-bio attestation (CMS), required for notaries."},
        },
        ("challenge_id",),
        description="Exactly one of cms or xml.",
    ),
    "LoginDecision": _obj(
        {
            "decision": {"type": "string", "enum": ["accepted", "refused"]},
            "reasons": {
                "type": "array",
                "items": {"type": "string", "enum": [r.value for r in Reason]},
                "description": "Empty when accepted; the first is the main reason.",
            },
            "challenge_id": _STR,
            "decided_at": _TIME,
            "account": {"oneOf": [_ref("Account"), {"type": "null"}]},
            "account_blocked": {**_BOOL, "description": "UNIS-12: this attempt blocked the account."},
            "biometric": {"type": ["object", "null"]},
            "verdict": {"oneOf": [_ref("Verdict"), {"type": "null"}]},
        },
        ("decision", "reasons", "challenge_id", "decided_at", "account", "account_blocked", "verdict"),
    ),
    "Verdict": _obj(
        {
            "indication": {"type": "string", "enum": ["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]},
            "sub_indication": _NSTR,
            "kind": {"type": "string", "enum": ["cms", "xml", "certificate", "timestamp"]},
            "purpose": {"type": "string", "enum": [p.value for p in Purpose]},
            "validation_time": _TIME,
            "reasons": {"type": "array", "items": _STR},
            "checks": {
                "type": "array",
                "items": _obj(
                    {
                        "id": _STR,
                        "status": {"type": "string", "enum": ["passed", "failed", "unknown", "skipped"]},
                        "reason": _NSTR,
                        "message": _STR,
                        "signer": {"type": ["integer", "null"]},
                    }
                ),
            },
            "signers": {"type": "array", "items": {"type": "object"}},
            "warnings": {"type": "array", "items": {"type": "object"}},
            "timestamp": {
                **_obj(
                    {
                        "gen_time": _TIME,
                        "policy": {**_STR, "description": "TSA policy OID (dotted)."},
                        "serial": {**_STR, "description": "TSTInfo serialNumber, hex."},
                        "imprint_algorithm": {**_STR, "description": "Hash algorithm OID (dotted)."},
                        "imprint": {**_STR, "description": "The message imprint, hex."},
                        "nonce": {"type": ["integer", "null"]},
                    }
                ),
                "type": ["object", "null"],
                "description": "What an RFC 3161 token states (kind timestamp), else null.",
            },
        },
        ("indication", "checks", "signers"),
        description="The verifier's ETSI EN 319 102-1 style verdict.",
    ),
    "Account": _obj(
        {
            "account_id": _INT,
            "iin_masked": _STR,
            "role": {"type": "string", "enum": ["notary", "chamber_employee", "justice_employee"]},
            "chamber": _STR,
            "status": {"type": "string", "enum": ["active", "suspended", "blocked", "terminated"]},
            "status_reason": _NSTR,
            "suspended_until": _NTIME,
            "temporary": _BOOL,
            "status_changed_at": _TIME,
            "created_at": _TIME,
        },
        ("account_id", "iin_masked", "role", "chamber", "status"),
    ),
    "AccountDetails": {
        "allOf": [_ref("Account"), _obj({"history": {"type": "array", "items": {"type": "object"}}})]
    },
    "AccountList": _obj(
        {"accounts": {"type": "array", "items": _ref("Account")}, "next_after": {"type": ["integer", "null"]}}
    ),
    "NewAccount": _obj(
        {
            "iin": {**_STR, "pattern": "^[0-9]{12}$"},
            "role": {"type": "string", "enum": ["notary", "chamber_employee", "justice_employee"]},
            "chamber": _STR,
        },
        ("iin", "role", "chamber"),
    ),
    "IinLookup": _obj({"iin": {**_STR, "pattern": "^[0-9]{12}$"}}, ("iin",)),
    "Suspension": _obj(
        {
            "reason": {
                "type": "string",
                "enum": ["licence_suspended", "leave", "sick_leave", "parental_leave"],
            },
            "until": {**_NTIME, "description": "Optional end (exclusive); the account is active from then."},
        },
        ("reason",),
    ),
    "Block": _obj(
        {"reason": {"type": "string", "enum": ["eds_not_reissued", "suspected_misuse", "chamber_decision"]}},
        ("reason",),
    ),
    "Termination": _obj(
        {
            "reason": {
                "type": "string",
                "enum": ["left_chamber", "excluded_from_chamber", "licence_terminated", "dismissed"],
            }
        },
        ("reason",),
    ),
    "LoginRecords": _obj({"records": {"type": "array", "items": {"type": "object"}}}),
    "Application": _obj(
        {
            "kind": _STR,
            "iin": _STR,
            "surname": _STR,
            "name": _STR,
            "patronymic": _STR,
            "birth_date": {"type": "string", "format": "date"},
            "sex": {"type": "string", "enum": ["M", "F"]},
            "email": _STR,
            "organization": _obj({"name": _STR, "bin": _STR}, ("name", "bin")),
            "roles": {"type": "array", "items": _STR},
            "key_storage": {"type": "string", "enum": ["file", "token", "id_card"]},
            "csr": {**_STR, "description": "PKCS#10, PEM or base64 DER (the applicant keeps the key)."},
            "generate_key": {"type": "string", "enum": list(GENERATED_KEY_TYPES)},
            "pkcs12_password": {**_STR, "description": "Protects the PKCS#12 when the CA generates the key."},
        },
        ("kind",),
    ),
    "IssuedCertificate": _obj(
        {
            "ca_id": _STR,
            "kind": _STR,
            "serial": _STR,
            "not_before": _TIME,
            "not_after": _TIME,
            "certificate_pem": _STR,
            "chain_pem": {"type": "array", "items": _STR},
            "pkcs12": {"type": ["string", "null"], "contentEncoding": "base64"},
        }
    ),
    "Revocation": _obj(
        {
            "ground": {
                "type": "string",
                "enum": [
                    "unreliable_information",
                    "owner_death",
                    "name_change",
                    "legal_entity_change",
                    "agreement",
                    "court_decision",
                    "key_compromise",
                    "hold",
                ],
            },
            "document_ref": _STR,
            "invalidity_date": _NTIME,
        },
        ("ground", "document_ref"),
    ),
    "DocumentRef": _obj({"document_ref": _STR}, ("document_ref",)),
    "RegisterEntry": _obj(
        {
            "ca_id": _STR,
            "serial": _STR,
            "status": {"type": "string", "enum": ["good", "revoked", "on_hold"]},
            "reason": _NSTR,
            "revocation_time": _NTIME,
        },
        ("ca_id", "serial", "status"),
        description="EDS-23: no name, IIN or other personal data.",
    ),
    "PublishedCrls": _obj({"crls": {"type": "array", "items": {"type": "object"}}}),
    "InspectRequest": _obj(
        {
            "certificate": {**_STR, "description": "PEM, or base64 DER."},
            "purpose": {"type": "string", "enum": [p.value for p in Purpose]},
            "at": {**_TIME, "description": "Validation time (default now)."},
        },
        ("certificate",),
    ),
    "VerifyRequest": _obj(
        {
            "cms": _B64,
            "data": {**_B64, "description": "The signed data of a detached CMS."},
            "xml": _STR,
            "at": {**_TIME, "description": "Validation time (default now)."},
        },
        description="Exactly one of cms or xml.",
    ),
    "TimestampRequest": _obj(
        {
            "token": {**_B64, "description": "The RFC 3161 TimeStampToken (a CMS ContentInfo), base64."},
            "data": {**_B64, "description": "The time-stamped data, to compare with the message imprint."},
            "at": {**_TIME, "description": "Validation time (default now)."},
        },
        ("token",),
    ),
    "Health": _obj({"status": {"type": "string", "enum": ["ok"]}}, ("status",)),
}


def _problems(*statuses: int) -> dict[str, Any]:
    names = {
        400: "Malformed request (stable code)",
        401: "Missing or invalid bearer token",
        403: "Role or CA scope does not allow it",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Body over the size limit",
        415: "Wrong Content-Type",
        422: "Refused by a rule of the law",
    }
    return {
        str(s): {"description": names[s], "content": {PROBLEM: {"schema": _ref("Problem")}}} for s in statuses
    }


def _json_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": _ref(schema)}}}


def _ok(schema: str, status: int = 200, description: str = "OK") -> dict[str, Any]:
    return {str(status): {"description": description, "content": {JSON: {"schema": _ref(schema)}}}}


_OPERATOR: list[dict[str, list[str]]] = [{"bearer": []}]
_SERIAL = {"name": "serial", "in": "path", "required": True, "schema": _STR, "description": "hex"}
_CA = {
    "name": "ca_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["root", "gov", "nca"]},
}
_ACCOUNT = {"name": "account_id", "in": "path", "required": True, "schema": _INT}


def _op(summary: str, description: str, responses: dict[str, Any], tag: str, **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "description": description, "tags": [tag], "responses": responses, **extra}


def _account_change(summary: str, description: str, schema: str | None) -> dict[str, Any]:
    extra: dict[str, Any] = {"parameters": [_ACCOUNT], "security": _OPERATOR}
    if schema is not None:
        extra["requestBody"] = _json_body(schema)
    return {
        "post": _op(
            summary,
            description,
            {**_ok("Account"), **_problems(400, 401, 403, 404, 409, 413)},
            "UNIS",
            **extra,
        )
    }


def _ca_change(summary: str, description: str, schema: str) -> dict[str, Any]:
    return {
        "post": _op(
            summary,
            description,
            {**_ok("RegisterEntry"), **_problems(400, 401, 403, 404, 409, 413)},
            "CA",
            parameters=[_CA, _SERIAL],
            requestBody=_json_body(schema),
            security=_OPERATOR,
        )
    }


PATHS: dict[str, Any] = {
    "/api/v1/unis/challenges": {
        "post": _op(
            "Create a login challenge",
            "UNIS-8/9/10: 32 random bytes, valid 5 minutes, usable once.",
            _ok("Challenge", 201, "Created"),
            "UNIS",
        )
    },
    "/api/v1/unis/logins": {
        "post": _op(
            "Decide a login",
            "The verify endpoint UNIS calls. 200 with the decision whenever the signature could be evaluated "
            "(accepted, or refused with reason codes); 4xx only for malformed requests. The challenge is "
            "consumed by the attempt.",
            {**_ok("LoginDecision"), **_problems(400, 413, 415)},
            "UNIS",
            requestBody=_json_body("LoginRequest"),
        )
    },
    "/api/v1/unis/accounts": {
        "get": _op(
            "List accounts",
            "Keyset pagination by account id.",
            {**_ok("AccountList"), **_problems(400, 401, 403)},
            "UNIS",
            security=_OPERATOR,
            parameters=[
                {"name": "status", "in": "query", "schema": _STR},
                {"name": "after", "in": "query", "schema": _INT},
                {"name": "limit", "in": "query", "schema": _INT},
            ],
        ),
        "post": _op(
            "Create an account",
            "UNIS-4: an account for an IIN, with a role and a territorial chamber.",
            {**_ok("Account", 201, "Created"), **_problems(400, 401, 403, 409, 413)},
            "UNIS",
            security=_OPERATOR,
            requestBody=_json_body("NewAccount"),
        ),
    },
    "/api/v1/unis/accounts/lookup": {
        "post": _op(
            "Find an account by IIN",
            "The IIN travels in the body, never in a URL (access logs).",
            {**_ok("Account"), **_problems(400, 401, 403, 404, 413)},
            "UNIS",
            security=_OPERATOR,
            requestBody=_json_body("IinLookup"),
        )
    },
    "/api/v1/unis/accounts/{account_id}": {
        "get": _op(
            "An account and its history",
            "Every change with who, when and why.",
            {**_ok("AccountDetails"), **_problems(401, 403, 404)},
            "UNIS",
            security=_OPERATOR,
            parameters=[_ACCOUNT],
        )
    },
    "/api/v1/unis/accounts/{account_id}/suspension": _account_change(
        "Suspend an account",
        "UNIS-5-1: temporary (licence suspension, leave), optional end date.",
        "Suspension",
    ),
    "/api/v1/unis/accounts/{account_id}/resumption": _account_change(
        "Resume a suspended account", "UNIS-5-1: end a suspension early.", None
    ),
    "/api/v1/unis/accounts/{account_id}/block": _account_change(
        "Block an account", "UNIS-5/6: until an operator lifts it.", "Block"
    ),
    "/api/v1/unis/accounts/{account_id}/unblock": _account_change(
        "Lift a block", "E.g. UNIS-12's automatic block once the user has a new certificate.", None
    ),
    "/api/v1/unis/accounts/{account_id}/termination": _account_change(
        "Terminate an account", "UNIS-5/6: access ends for good.", "Termination"
    ),
    "/api/v1/unis/login-records": {
        "get": _op(
            "Login records",
            "Every attempt (masked IIN, decision, reasons, challenge, certificate, revocation evidence), "
            "newest first; for auditors.",
            {**_ok("LoginRecords"), **_problems(400, 401, 403)},
            "UNIS",
            security=_OPERATOR,
            parameters=[
                {"name": "challenge_id", "in": "query", "schema": _STR},
                {"name": "account_id", "in": "query", "schema": _INT},
                {"name": "serial", "in": "query", "schema": _STR},
                {"name": "before", "in": "query", "schema": _INT},
                {"name": "limit", "in": "query", "schema": _INT},
            ],
        )
    },
    "/api/v1/ca/applications": {
        "post": _op(
            "Issue a certificate from an application",
            "Tester or operator of the issuing CA. EDS-14-1 refusals are 422 with codes "
            "incomplete_application, false_information, court_decision, under_age.",
            {**_ok("IssuedCertificate", 201, "Issued"), **_problems(400, 401, 403, 409, 413, 422)},
            "CA",
            security=_OPERATOR,
            requestBody=_json_body("Application"),
        )
    },
    "/api/v1/ca/{ca_id}/certificates/{serial}/revocation": _ca_change(
        "Revoke a certificate",
        "EDS-17/EDS-18 grounds; visible to OCSP at once. Operator of that CA.",
        "Revocation",
    ),
    "/api/v1/ca/{ca_id}/certificates/{serial}/hold": _ca_change(
        "Suspend a certificate (certificateHold)", "Operator of that CA.", "DocumentRef"
    ),
    "/api/v1/ca/{ca_id}/certificates/{serial}/release": _ca_change(
        "Release a hold", "Good again at once; removeFromCRL in the next delta CRL.", "DocumentRef"
    ),
    "/api/v1/ca/{ca_id}/crls": {
        "post": _op(
            "Publish CRLs now",
            "EDS-18.3: a full and a delta CRL of the CA (also published at least every 24 hours).",
            {**_ok("PublishedCrls", 201, "Published"), **_problems(401, 403, 404)},
            "CA",
            security=_OPERATOR,
            parameters=[_CA],
        )
    },
    "/api/v1/register/{ca_id}/{serial}": {
        "get": _op(
            "Public register lookup",
            "EDS-21/EDS-23: status, reason and revocation time; no personal data.",
            {**_ok("RegisterEntry"), **_problems(400, 404)},
            "Public",
            parameters=[_CA, _SERIAL],
        )
    },
    "/api/v1/certificates/inspect": {
        "post": _op(
            "Inspect a certificate",
            "Identity, roles, key usage, validity, chain and revocation status, as a verdict.",
            {**_ok("Verdict"), **_problems(400, 413, 415)},
            "Verification",
            requestBody=_json_body("InspectRequest"),
        )
    },
    "/api/v1/signatures/verify": {
        "post": _op(
            "Verify a signed document",
            "CMS (attached or detached) or enveloped XMLDSig, in document mode (EDS-10).",
            {**_ok("Verdict"), **_problems(400, 413, 415)},
            "Verification",
            requestBody=_json_body("VerifyRequest"),
        )
    },
    "/api/v1/timestamps/verify": {
        "post": _op(
            "Verify a time-stamp token",
            "RFC 3161: the TSA's signature (RSA, ECDSA or GOST), certificate (critical id-kp-timeStamping), "
            "chain and revocation, genTime, and the message imprint when data is given. The verdict's "
            "timestamp field holds genTime, policy, serial, imprint and nonce.",
            {**_ok("Verdict"), **_problems(400, 413, 415)},
            "Verification",
            requestBody=_json_body("TimestampRequest"),
        )
    },
    "/cert/{name}": {
        "get": _op(
            "CA certificate",
            "At the AIA caIssuers URL, e.g. /cert/nca_rsa.cer (DER).",
            {"200": {"description": "DER", "content": {"application/pkix-cert": {}}}, **_problems(404)},
            "Public",
            parameters=[{"name": "name", "in": "path", "required": True, "schema": _STR}],
        )
    },
    "/crl/{name}": {
        "get": _op(
            "CRL",
            "Full (/crl/nca_rsa.crl) or delta (/crl/nca_d_rsa.crl) CRL, DER; Expires = nextUpdate, ETag by "
            "CRL number.",
            {
                "200": {"description": "DER", "content": {"application/pkix-crl": {}}},
                "304": {"description": "Not modified"},
                **_problems(404),
            },
            "Public",
            parameters=[{"name": "name", "in": "path", "required": True, "schema": _STR}],
        )
    },
    "/ocsp/": {
        "post": _op(
            "OCSP (POST)",
            "RFC 6960 for every CA; SHA-1/SHA-256 CertIDs, nonce echoed. A malformed request gets the "
            "RFC 6960 malformedRequest response with HTTP 400.",
            {
                "200": {"description": "OCSPResponse", "content": {"application/ocsp-response": {}}},
                "400": {
                    "description": "malformedRequest OCSPResponse, or a problem for a wrong Content-Type"
                },
                "413": _problems(413)["413"],
            },
            "Public",
            requestBody={"required": True, "content": {"application/ocsp-request": {}}},
        )
    },
    "/ocsp/{request}": {
        "get": _op(
            "OCSP (GET)",
            "RFC 6960 A.1: base64 of the DER request in the path.",
            {
                "200": {"description": "OCSPResponse", "content": {"application/ocsp-response": {}}},
                "400": {"description": "malformedRequest OCSPResponse"},
            },
            "Public",
            parameters=[{"name": "request", "in": "path", "required": True, "schema": _STR}],
        )
    },
    "/healthz": {"get": _op("Health", "Liveness and database reachability.", _ok("Health"), "Public")},
    "/openapi.json": {
        "get": _op("This document", "OpenAPI 3.1.", {"200": {"description": "OpenAPI document"}}, "Docs")
    },
    "/docs": {"get": _op("API reference page", "Readable HTML.", {"200": {"description": "HTML"}}, "Docs")},
}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kzpki: simulated Kazakh PKI and EDS verification for UNIS logins",
            "version": "1",
            "description": "Errors are application/problem+json (RFC 9457) with a stable `code`. Operator "
            "endpoints take `Authorization: Bearer <token>` (`kzpki operators add`).",
        },
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def reference_page() -> str:
    """A self-contained HTML reference (no scripts, no external assets) generated from :func:`document`."""
    spec = document()
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>kzpki API</title><style>"
        "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}"
        "h3{margin-top:2rem}.m{font-weight:bold;text-transform:uppercase}</style></head><body>",
        f"<h1>{html.escape(spec['info']['title'])}</h1><p>{html.escape(spec['info']['description'])}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>',
    ]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            parts.append(
                f"<h3><span class=m>{method}</span> <code>{html.escape(path)}</code></h3>"
                f"<p><b>{html.escape(operation['summary'])}</b>. {html.escape(operation['description'])}</p>"
            )
            if "security" in operation:
                parts.append("<p>Requires an operator bearer token.</p>")
            body = operation.get("requestBody", {}).get("content", {})
            for media_type, content in body.items():
                schema = _resolve(content.get("schema"), spec)
                parts.append(f"<p>Request <code>{html.escape(media_type)}</code>:</p>")
                if schema is not None:
                    parts.append(f"<pre>{html.escape(json.dumps(schema, indent=2))}</pre>")
            statuses = ", ".join(
                f"{code} {html.escape(r['description'])}" for code, r in operation["responses"].items()
            )
            parts.append(f"<p>Responses: {statuses}.</p>")
    parts.append("<h2>Login reason codes</h2><ul>")
    parts.extend(f"<li><code>{r.value}</code></li>" for r in Reason)
    parts.append("</ul></body></html>")
    return "".join(parts)


def _resolve(schema: dict[str, Any] | None, spec: dict[str, Any]) -> dict[str, Any] | None:
    if schema is None or "$ref" not in schema:
        return schema
    resolved: dict[str, Any] = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return resolved
