"""CA operations: issue from an application (tester or operator), revoke / hold / release (operator of that
CA), publish CRLs on demand, and the public register lookup (EDS-23: status only, no personal data)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify

from api import payloads
from api.auth import authorize, current_operator, requires, services
from api.clock import iso_time
from ca_sim.certstore import serial_from_hex
from ca_sim.issuance import Application, GeneratedKeyType, GostKeyType
from ca_sim.operators import Action
from ca_sim.profiles import CertificateKind, KeyStorage, LegalRole, profile_for
from ca_sim.registry import Ground
from pki import keys
from pki.errors import ErrorCode, InvalidInput
from pki.iin import Sex
from pki.names import Organization

blueprint = Blueprint("ca", __name__, url_prefix="/api/v1")

MAX_CSR_BYTES = 64 * 1024
# "generate the key for me": the names clients send; GOST R 34.10-2015-512 is what the real NCA issues today.
GENERATED_KEY_TYPES: dict[str, GeneratedKeyType] = {
    **{k.value: k for k in keys.KeyType},
    "gost2015_512": GostKeyType.GOST2015_512,
}
_ISSUABLE = tuple(k for k in CertificateKind if k not in (CertificateKind.CA, CertificateKind.OCSP_RESPONDER))


@blueprint.post("/ca/applications")
def issue_certificate() -> tuple[Response, int]:
    """Issue from an application (EDS-14-1 refusals are 422 with their own codes)."""
    body = payloads.json_object()
    application = _application(body)
    ca_id = profile_for(application.kind).issuer
    operator = authorize(Action.ISSUE, ca_id)
    ctx = services()
    issued = ctx.issuer.issue(application, ctx.clock(), requested_by=operator.name)
    certificate = issued.certificate
    result: dict[str, Any] = {
        "ca_id": issued.ca_id,
        "kind": issued.kind.value,
        "serial": format(certificate.serial_number, "x"),
        "not_before": iso_time(certificate.not_valid_before_utc),
        "not_after": iso_time(certificate.not_valid_after_utc),
        "certificate_pem": keys.certificate_pem(certificate).decode("ascii"),
        "chain_pem": [keys.certificate_pem(c).decode("ascii") for c in issued.chain],
        "pkcs12": None if issued.pkcs12 is None else base64.b64encode(issued.pkcs12).decode("ascii"),
    }
    return jsonify(result), 201


@blueprint.post("/ca/<ca_id>/certificates/<serial>/revocation")
@requires(Action.REVOKE, ca_id_arg="ca_id")
def revoke(ca_id: str, serial: str) -> Response:
    """EDS-17/EDS-18: revoke on a ground of the law (``hold`` suspends)."""
    body = payloads.json_object()
    ground = payloads.enum_value(body, "ground", Ground)
    assert ground is not None
    ctx = services()
    ctx.registry.revoke(
        ca_id,
        serial_from_hex(serial),
        ground,
        ctx.clock(),
        current_operator().name,
        payloads.required_string(body, "document_ref", max_length=200),
        invalidity_date=payloads.optional_timestamp(body, "invalidity_date"),
    )
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/certificates/<serial>/hold")
@requires(Action.HOLD, ca_id_arg="ca_id")
def hold(ca_id: str, serial: str) -> Response:
    """Suspend (certificateHold) until released."""
    document_ref = payloads.required_string(payloads.json_object(), "document_ref", max_length=200)
    ctx = services()
    ctx.registry.hold(ca_id, serial_from_hex(serial), ctx.clock(), current_operator().name, document_ref)
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/certificates/<serial>/release")
@requires(Action.RELEASE, ca_id_arg="ca_id")
def release(ca_id: str, serial: str) -> Response:
    """Lift a hold: good again at once (OCSP) and removeFromCRL in the next delta CRL."""
    document_ref = payloads.required_string(payloads.json_object(), "document_ref", max_length=200)
    ctx = services()
    ctx.registry.release(ca_id, serial_from_hex(serial), ctx.clock(), current_operator().name, document_ref)
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/crls")
@requires(Action.PUBLISH_CRL, ca_id_arg="ca_id")
def publish_crls(ca_id: str) -> tuple[Response, int]:
    """EDS-18.3: publish a full and a delta CRL now."""
    ctx = services()
    published = ctx.crls.publish(ctx.clock(), [ca_id])
    crls = [
        {
            "ca_id": p.record.ca_id,
            "kind": p.record.kind.value,
            "crl_number": p.record.crl_number,
            "this_update": iso_time(p.record.this_update),
            "next_update": iso_time(p.record.next_update),
        }
        for p in published
    ]
    return jsonify({"crls": crls}), 201


@blueprint.get("/register/<ca_id>/<serial>")
def lookup_register(ca_id: str, serial: str) -> Response:
    """The public register (EDS-21, EDS-23): status, reason and revocation time, no personal data."""
    services().hierarchy.get(ca_id)
    return _register_entry(ca_id, serial)


def _register_entry(ca_id: str, serial: str) -> Response:
    ctx = services()
    entry = ctx.registry.lookup(ca_id, serial_from_hex(serial), ctx.clock())
    return jsonify(
        {
            "ca_id": entry.ca_id,
            "serial": entry.serial,
            "status": entry.status,
            "reason": entry.reason,
            "revocation_time": None if entry.revocation_time is None else iso_time(entry.revocation_time),
        }
    )


def _application(body: dict[str, Any]) -> Application:
    """The JSON application as :class:`ca_sim.issuance.Application` (types only; the CA checks the rules)."""
    kind = payloads.enum_value(body, "kind", CertificateKind)
    assert kind is not None
    if kind not in _ISSUABLE:
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, f"kind must be one of: {', '.join(_ISSUABLE)}", field="kind"
        )
    organization = body.get("organization")
    if organization is not None:
        if not isinstance(organization, dict):
            raise InvalidInput(
                ErrorCode.WRONG_TYPE, "organization must be an object {name, bin}", field="organization"
            )
        organization = Organization(
            payloads.required_string(organization, "name", max_length=300),
            payloads.required_string(organization, "bin", max_length=12),
        )
    roles = body.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidInput(ErrorCode.WRONG_TYPE, "roles must be a list of strings", field="roles")
    csr = payloads.string(body, "csr", max_length=2 * MAX_CSR_BYTES, required=False)
    password = payloads.string(body, "pkcs12_password", max_length=200, required=False)
    key_storage = payloads.enum_value(body, "key_storage", KeyStorage, required=False)
    return Application(
        kind=kind,
        iin=payloads.string(body, "iin", max_length=12, required=False) or "",
        surname=payloads.string(body, "surname", max_length=200, required=False) or "",
        name=payloads.string(body, "name", max_length=200, required=False) or "",
        patronymic=payloads.string(body, "patronymic", max_length=200, required=False) or "",
        birth_date=_date(body.get("birth_date")),
        sex=payloads.enum_value(body, "sex", Sex, required=False),
        email=payloads.string(body, "email", max_length=200, required=False),
        organization=organization,
        roles=tuple(_role(r) for r in roles),
        key_storage=key_storage or KeyStorage.FILE,
        csr=None if csr is None else _csr_bytes(csr),
        generate_key=_generated_key_type(body),
        pkcs12_password=None if password is None else password.encode("utf-8"),
    )


def _generated_key_type(body: dict[str, Any]) -> GeneratedKeyType | None:
    name = payloads.string(body, "generate_key", max_length=64, required=False)
    if name is None:
        return None
    try:
        return GENERATED_KEY_TYPES[name]
    except KeyError:
        allowed = ", ".join(GENERATED_KEY_TYPES)
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, f"generate_key must be one of: {allowed}", field="generate_key"
        ) from None


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidInput(ErrorCode.WRONG_TYPE, "birth_date must be a date YYYY-MM-DD", field="birth_date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, "birth_date is not a real date YYYY-MM-DD", field="birth_date"
        ) from None


def _role(value: str) -> LegalRole:
    try:
        return LegalRole(value)
    except ValueError:
        allowed = ", ".join(r.value for r in LegalRole)
        raise InvalidInput(
            ErrorCode.INVALID_VALUE, f"roles must be among: {allowed}", field="roles"
        ) from None


def _csr_bytes(text: str) -> bytes:
    """A CSR given as PEM text or base64 DER."""
    if text.lstrip().startswith("-----BEGIN"):
        return text.encode("ascii", "replace")
    return payloads.decode_base64(text, "csr")
