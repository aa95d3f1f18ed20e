"""CA operations: issue from an application (tester or operator), revoke / hold / release (operator of that
CA), publish CRLs on demand, and the public register lookup (EDS-23: status only, no personal data)."""

from __future__ import annotations

import base64
from typing import Any

from flask import Blueprint, Response, jsonify

from api.auth import authorize, current_operator, requires, services
from api.clock import iso_time
from api.models import ca as m
from api.operations import operation
from ca_sim.certstore import serial_from_hex
from ca_sim.issuance import Application
from ca_sim.operators import TEST_MODE_ROLES, Action
from ca_sim.profiles import profile_for
from pki import keys
from pki.errors import ErrorCode, NotFound
from pki.names import Organization

blueprint = Blueprint("ca", __name__, url_prefix="/api/v1")
TAG = "CA"
ENTRY = {200: m.RegisterEntry}
CHANGE = (404, 409)


@blueprint.post("/ca/applications")
@operation(
    tag=TAG,
    summary="Issue a certificate from an application",
    body=m.ApplicationIn,
    responses={201: m.IssuedCertificate},
    problems=(401, 403, 409, 422),
)
def issue_certificate(body: m.ApplicationIn) -> tuple[Response, int]:
    """Tester or operator of the issuing CA. EDS-14-1 refusals are 422 with the codes
    incomplete_application, false_information, court_decision, under_age; a ``pkcs12_password`` for a
    generated key below the policy (8 characters, two kinds, not the IIN: EDS-21) is 400 weak_password."""
    application = _application(body)
    ca_id = profile_for(application.kind).issuer
    operator = authorize(Action.ISSUE, ca_id)
    ctx = services()
    issued = ctx.issuer.issue(
        application,
        ctx.clock(),
        requested_by=operator.name,
        test_certificate=operator.role in TEST_MODE_ROLES,  # refused by production verification
    )
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
@operation(tag=TAG, summary="Revoke a certificate", body=m.RevocationIn, responses=ENTRY, problems=CHANGE)
def revoke(ca_id: str, serial: str, body: m.RevocationIn) -> Response:
    """EDS-17/EDS-18: revoke on a ground of the law (``hold`` suspends); visible to OCSP at once. Operator
    of that CA."""
    ctx = services()
    ctx.registry.revoke(
        ca_id,
        serial_from_hex(serial),
        body.ground,
        ctx.clock(),
        current_operator().name,
        body.document_ref,
        invalidity_date=body.invalidity_date,
    )
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/certificates/<serial>/hold")
@requires(Action.HOLD, ca_id_arg="ca_id")
@operation(
    tag=TAG,
    summary="Suspend a certificate (certificateHold)",
    body=m.HoldIn,
    responses=ENTRY,
    problems=CHANGE,
)
def hold(ca_id: str, serial: str, body: m.HoldIn) -> Response:
    """Suspend (certificateHold) until released or, with ``until``, until then (400
    hold_end_not_after_start for an end not after now). Operator of that CA."""
    ctx = services()
    ctx.registry.hold(
        ca_id,
        serial_from_hex(serial),
        ctx.clock(),
        current_operator().name,
        body.document_ref,
        until=body.until,
    )
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/certificates/<serial>/release")
@requires(Action.RELEASE, ca_id_arg="ca_id")
@operation(tag=TAG, summary="Release a hold", body=m.DocumentRef, responses=ENTRY, problems=CHANGE)
def release(ca_id: str, serial: str, body: m.DocumentRef) -> Response:
    """Lift a hold: good again at once (OCSP) and removeFromCRL in the next delta CRL."""
    document_ref = body.document_ref
    ctx = services()
    ctx.registry.release(ca_id, serial_from_hex(serial), ctx.clock(), current_operator().name, document_ref)
    return _register_entry(ca_id, serial)


@blueprint.post("/ca/<ca_id>/crls")
@requires(Action.PUBLISH_CRL, ca_id_arg="ca_id")
@operation(tag=TAG, summary="Publish CRLs now", responses={201: m.PublishedCrls}, problems=(404,))
def publish_crls(ca_id: str) -> tuple[Response, int]:
    """EDS-18.3: a full and a delta CRL of the CA now (they are also published at least every 24 hours).
    Audited (``publish_crl``)."""
    ctx = services()
    published = ctx.crls.publish(ctx.clock(), [ca_id], requested_by=current_operator().name)
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
@operation(tag="Public", summary="Public register lookup", responses=ENTRY, problems=(400, 404))
def lookup_register(ca_id: str, serial: str) -> Response:
    """The public register (EDS-21, EDS-23): status, reason and revocation time, no personal data."""
    services().hierarchy.get(ca_id)
    return _register_entry(ca_id, serial)


@blueprint.get("/tsa/time-stamps/<serial>")
@requires(Action.READ_AUDIT)
@operation(
    tag=TAG,
    summary="A time stamp the TSA issued",
    responses={200: m.IssuedTimeStamp},
    problems=(400, 404),
)
def issued_time_stamp(serial: str) -> Response:
    """The TSA's record of the token with this serial (hex): genTime, policy, message imprint, nonce and
    the TSA certificate that signed it (ETSI EN 319 421 7.10: evidence for a dispute about a time stamp)."""
    issued = services().tsa.issued(serial_from_hex(serial))
    if issued is None:
        raise NotFound(ErrorCode.TIME_STAMP_NOT_FOUND, f"the TSA issued no time stamp with serial {serial}")
    return jsonify(issued.to_json())


def _register_entry(ca_id: str, serial: str) -> Response:
    ctx = services()
    entry = ctx.registry.views.lookup(ca_id, serial_from_hex(serial), ctx.clock())
    return jsonify(
        {
            "ca_id": entry.ca_id,
            "serial": entry.serial,
            "status": entry.status,
            "reason": entry.reason,
            "revocation_time": None if entry.revocation_time is None else iso_time(entry.revocation_time),
            "hold_until": None if entry.hold_until is None else iso_time(entry.hold_until),
        }
    )


def _application(body: m.ApplicationIn) -> Application:
    """The typed application as :class:`ca_sim.issuance.Application` (the CA checks the rules)."""
    organization = body.organization
    return Application(
        kind=body.kind,
        iin=body.iin or "",
        surname=body.surname or "",
        name=body.name or "",
        patronymic=body.patronymic or "",
        birth_date=body.birth_date,
        sex=body.sex,
        email=body.email,
        organization=None if organization is None else Organization(organization.name, organization.bin),
        roles=tuple(body.roles),
        key_storage=body.key_storage,
        csr=body.csr,
        generate_key=None if body.generate_key is None else m.GENERATED_KEY_TYPES[body.generate_key],
        pkcs12_password=None if body.pkcs12_password is None else body.pkcs12_password.encode("utf-8"),
    )
