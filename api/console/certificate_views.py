"""Certificate pages of the console: search the register, one certificate's fields and status history, and
revoke (EDS-17/18 ground), suspend and release it, each after a confirmation page.

Search filters: serial, IIN/BIN, the start of the name, CA, status and a range of issue dates (Kazakh
dates, inclusive). A hold may be given an end date (a Kazakh date: the certificate is good again from the
start of that day in Kazakhstan, by itself; ``RevocationRegistry.hold``).

Reading certificates is ``lookup_owner`` (the rows show owners' names and masked IINs): every search and
every certificate page is audited, with the IIN concerned as the entry's subject (PD-22). Changes are
``revoke`` / ``hold`` / ``release`` on the certificate's CA and call the registry exactly as the API does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import form_fields, guard
from api.console.certificate_fields import describe
from api.console.confirmation import two_step
from api.console.issuance_views import ISSUING_CA
from api.console.messages import language
from api.console.web import blueprint
from ca_sim import register_search
from ca_sim.audit import Outcome
from ca_sim.certstore import serial_from_hex, serial_to_hex
from ca_sim.grounds import Ground
from ca_sim.operators import Action, refusal_code
from pki import keys
from pki.calendar import KZ_TIME
from pki.errors import ErrorCode, InvalidInput

PAGE_SIZE = 25
MAX_PAGE_NUMBER = 4000  # 100,000 rows of 25
_DOWNLOADS = {"pem": "application/x-pem-file", "der": "application/pkix-cert"}
CHANGES = {"revoke": Action.REVOKE, "hold": Action.HOLD, "release": Action.RELEASE}
REVOCATION_GROUNDS = tuple(g for g in Ground if g is not Ground.HOLD)
_DIGITS12 = re.compile(r"^\d{12}$")
_MAX_NAME = 100
_MAX_DOCUMENT = 300
FILTERS = ("serial", "iin", "name", "ca", "status", "issued_from", "issued_to")


@blueprint.route("/certificates", methods=["GET", "POST"])
def certificates() -> str:
    """GET: the search form. POST (so no IIN or name lands in a URL, a log or the history): one page of
    matches, newest first."""
    guard.authorize(Action.LOOKUP_OWNER)
    ctx = services()
    args = request.form
    searched = request.method == "POST"
    page = _page_number(args.get("page", "1"))
    rows: list[register_search.Found] = []
    more = False
    if searched:
        query = _query(args)
        at = ctx.clock()
        found = register_search.search(
            ctx.sessionmaker, query, at, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
        )
        rows, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
        details = {"filters": _filters_of(query), "page": page, "rows": len(rows)}
        operator = guard.current_operator().name
        ctx.audit.record(
            operator, "search_certificates", "register", Outcome.SUCCESS, details, at, subject=query.iin
        )
    return render_template(
        "console/certificates.html",
        rows=rows,
        searched=searched,
        page=page,
        more=more,
        args=args,
        filters=FILTERS,
        ca_ids=sorted(ctx.hierarchy.authorities),
        statuses=[s.value for s in register_search.StatusFilter],
        may_issue=refusal_code(guard.current_operator(), Action.ISSUE, ISSUING_CA) is None,
    )


@blueprint.route("/certificates/<ca_id>/<serial>", methods=["GET"])
def certificate(ca_id: str, serial: str) -> str:
    """One certificate: fields in words, status, history (who acted, on which document), actions."""
    operator = guard.authorize(Action.LOOKUP_OWNER)
    ctx = services()
    at = ctx.clock()
    stored = ctx.certificates.get(ca_id, serial_from_hex(serial))
    status = register_search.search(
        ctx.sessionmaker, register_search.Query(serial=stored.serial, ca_id=ca_id), at, limit=1
    )[0]
    history = ctx.registry.views.certificate_history(ca_id, stored.serial_hex)
    hold_until = status.status.until if status.status.on_hold else None
    target = f"{ca_id}:{stored.serial_hex}"
    ctx.audit.record(operator.name, "read_certificate", target, Outcome.SUCCESS, None, at, subject=stored.iin)
    allowed = [name for name, action in CHANGES.items() if refusal_code(operator, action, ca_id) is None]
    return render_template(
        "console/certificate.html",
        stored=stored,
        found=status,
        fields=describe(stored.certificate, language()),
        history=history,
        at=at,
        hold_until=hold_until,
        allowed=allowed,
        done=request.args.get("done") if request.args.get("done") in {*CHANGES, "issue"} else None,
    )


@blueprint.route("/certificates/<ca_id>/<serial>/download/<encoding>", methods=["GET"])
def download(ca_id: str, serial: str, encoding: str) -> Response:
    """The certificate as a file: ``pem`` (application/x-pem-file) or ``der`` (application/pkix-cert).
    Operators who may read owners' data only; audited (PD-22)."""
    if encoding not in _DOWNLOADS:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "pem or der", field="encoding")
    operator = guard.authorize(Action.LOOKUP_OWNER)
    ctx = services()
    stored = ctx.certificates.get(ca_id, serial_from_hex(serial))
    target = f"{ca_id}:{stored.serial_hex}"
    details = {"encoding": encoding}
    ctx.audit.record(
        operator.name,
        "download_certificate",
        target,
        Outcome.SUCCESS,
        details,
        ctx.clock(),
        subject=stored.iin,
    )
    body = keys.certificate_pem(stored.certificate) if encoding == "pem" else stored.der
    response = Response(body, mimetype=_DOWNLOADS[encoding])
    name = f"{ca_id}_{stored.serial_hex}.{'pem' if encoding == 'pem' else 'cer'}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.route("/certificates/<ca_id>/<serial>/<change>", methods=["GET", "POST"])
def change(ca_id: str, serial: str, change: str) -> Response | str:
    """GET: the form; POST ``step=review``: what will happen; POST ``step=confirm``: do it."""
    action = CHANGES.get(change)
    if action is None:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "revoke, hold or release", field="change")
    operator = guard.authorize(action, ca_id)
    ctx = services()
    stored = ctx.certificates.get(ca_id, serial_from_hex(serial))

    def perform(form: dict[str, Any]) -> Response:
        at = ctx.clock()
        if change == "revoke":
            ctx.registry.revoke(
                ca_id,
                stored.serial,
                form["ground"],
                at,
                operator.name,
                form["document_ref"],
                invalidity_date=form["invalidity_date"],
            )
        elif change == "hold":
            until = form["hold_until"]
            ctx.registry.hold(ca_id, stored.serial, at, operator.name, form["document_ref"], until=until)
        else:
            ctx.registry.release(ca_id, stored.serial, at, operator.name, form["document_ref"])
        return redirect(
            url_for("console.certificate", ca_id=ca_id, serial=stored.serial_hex, done=change), 303
        )

    return two_step(
        "console/change.html",
        lambda: _change_form(change),
        perform,
        stored=stored,
        change=change,
        grounds=REVOCATION_GROUNDS,
    )


def _change_form(change: str) -> dict[str, Any]:
    """The posted change, checked enough to show it back (the registry checks it again when done)."""
    document_ref = request.form.get("document_ref", "").strip()
    if not document_ref or len(document_ref) > _MAX_DOCUMENT:
        raise InvalidInput(
            ErrorCode.DOCUMENT_REQUIRED, "name the supporting document (EDS-18)", field="document_ref"
        )
    form: dict[str, Any] = {
        "document_ref": document_ref,
        "ground": None,
        "invalidity_date": None,
        "invalidity_text": "",
        "hold_until": None,
        "hold_until_text": "",
    }
    if change == "hold":
        raw_end = request.form.get("hold_until", "").strip()
        if raw_end:
            form["hold_until_text"] = raw_end
            form["hold_until"] = form_fields.kz_date_start(raw_end, "hold_until")
    if change == "revoke":
        ground = request.form.get("ground", "")
        if ground not in {g.value for g in REVOCATION_GROUNDS}:
            raise InvalidInput(ErrorCode.UNKNOWN_GROUND, "choose a ground of the law", field="ground")
        form["ground"] = Ground(ground)
        raw = request.form.get("invalidity_date", "").strip()
        form["invalidity_text"] = raw
        form["invalidity_date"] = _kz_local_time(raw) if raw else None
    return form


def _kz_local_time(text: str) -> dt.datetime:
    """A ``datetime-local`` value read as Kazakhstan time, in UTC. InvalidInput ``invalid_datetime``."""
    try:
        local = dt.datetime.fromisoformat(text)
    except ValueError:
        local = None
    if local is None or local.tzinfo is not None or not 1950 <= local.year < 9000:
        raise InvalidInput(
            ErrorCode.INVALID_DATETIME, "a date and time, e.g. 2026-12-01T09:30", field="invalidity_date"
        )
    return local.replace(tzinfo=KZ_TIME).astimezone(dt.UTC)


def _page_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE_NUMBER:
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"page must be 1-{MAX_PAGE_NUMBER}", field="page")
    return int(text)


def _query(args: Any) -> register_search.Query:
    """The search filters of the query string; empty ones mean any. Raises InvalidInput for bad ones."""
    serial = args.get("serial", "").strip()
    iin = args.get("iin", "").strip()
    name = args.get("name", "").strip().upper()
    ca_id = args.get("ca", "").strip()
    status = args.get("status", "").strip()
    issued_from = args.get("issued_from", "").strip()
    issued_to = args.get("issued_to", "").strip()
    if iin and not _DIGITS12.match(iin):
        raise InvalidInput(ErrorCode.INVALID_IIN, "an IIN or BIN is 12 digits", field="iin")
    if len(name) > _MAX_NAME:
        raise InvalidInput(ErrorCode.INVALID_VALUE, f"at most {_MAX_NAME} characters", field="name")
    if ca_id:
        services().hierarchy.get(ca_id)
    if status and status not in {s.value for s in register_search.StatusFilter}:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "good, revoked or on_hold", field="status")
    return register_search.Query(
        serial=serial_from_hex(serial) if serial else None,
        iin=iin or None,
        name=name or None,
        ca_id=ca_id or None,
        status=register_search.StatusFilter(status) if status else None,
        issued_from=form_fields.kz_date(issued_from, "issued_from") if issued_from else None,
        issued_to=form_fields.kz_date(issued_to, "issued_to") if issued_to else None,
    )


def _filters_of(query: register_search.Query) -> dict[str, Any]:
    """The filters for the audit entry (the IIN is scrubbed by the audit log and kept as its subject)."""
    return {
        "serial": None if query.serial is None else serial_to_hex(query.serial),
        "iin": query.iin,
        "name": query.name,
        "ca_id": query.ca_id,
        "status": None if query.status is None else query.status.value,
        "issued_from": None if query.issued_from is None else query.issued_from.isoformat(),
        "issued_to": None if query.issued_to is None else query.issued_to.isoformat(),
    }
