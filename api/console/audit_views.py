"""The audit log in the console (issue 14.5; PD-22, EDS-21): the hash-chained log as a table filtered by
actor, action, object (target) and Kazakh dates, newest first in keyset pages of :data:`PAGE_SIZE`; the
chain's verification status at a glance (intact, or the first broken entry and what is wrong with it); and
the filtered log exported as JSON Lines or CSV, streamed.

For ``read_audit`` (auditors and security officers, as ``kzpki audit verify`` and the API's login records).
Entries name people by masked IIN and hold names (search filters), so every page, export and verification
is itself audited. The status is this process's last full verification (``AuditLog.verify_chain`` reads
the whole log), refreshed when older than :data:`STATUS_MAX_AGE` or on request ("verify now"); its time is
shown with it.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from typing import Any, cast

from flask import Response, current_app, redirect, render_template, request, stream_with_context, url_for
from werkzeug.wrappers import Response as BaseResponse

from api.auth import services
from api.console import audit_exports, form_fields, guard
from api.console.web import blueprint
from ca_sim import audit_search
from ca_sim.audit import AuditLog, ChainReport, Outcome
from ca_sim.operators import Action
from pki.calendar import kz_day_start
from pki.errors import ErrorCode, InvalidInput

PAGE_SIZE = 50
STATUS_MAX_AGE = dt.timedelta(minutes=5)
FILTERS = ("actor", "action", "target", "from", "to")
_MAX_FILTER = 300
_MONITOR_EXTENSION = "kzpki_console_chain_status"
_ACCOUNT_TARGET = "unis_account:"


@dataclass(frozen=True)
class ChainStatus:
    report: ChainReport
    checked_at: dt.datetime


class ChainMonitor:
    """The last full verification of the audit chain in this process (thread-safe)."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit
        self._lock = threading.Lock()
        self._last: ChainStatus | None = None

    def status(self, at: dt.datetime, *, fresh: bool = False) -> ChainStatus:
        """The last verification, or a new one when ``fresh``, none was made, or it is older than
        :data:`STATUS_MAX_AGE` at ``at``."""
        with self._lock:
            last = self._last
            if fresh or last is None or not dt.timedelta(0) <= at - last.checked_at < STATUS_MAX_AGE:
                last = self._last = ChainStatus(self._audit.verify_chain(), at)
            return last


@blueprint.app_template_filter("compact_json")
def _compact_json(value: Any) -> str:
    """``value`` as compact JSON text with keys sorted, non-ASCII letters as they are (Jinja escapes it)."""
    return json.dumps(value, sort_keys=True, separators=(", ", ": "), ensure_ascii=False)


def _monitor() -> ChainMonitor:
    extensions = current_app.extensions
    if _MONITOR_EXTENSION not in extensions:
        extensions[_MONITOR_EXTENSION] = ChainMonitor(services().audit)
    return cast(ChainMonitor, extensions[_MONITOR_EXTENSION])


@blueprint.route("/audit", methods=["GET"])
def audit() -> str:
    """One page of entries matching the filters, newest first, with the chain's status."""
    operator = guard.authorize(Action.READ_AUDIT)
    ctx = services()
    query, shown = _query()
    before = _cursor("before")
    after = _cursor("after")
    found = audit_search.page(
        ctx.sessionmaker, query, before_seq=before, after_seq=after, limit=PAGE_SIZE + 1
    )
    extra = len(found) > PAGE_SIZE
    rows = found[-PAGE_SIZE:] if after is not None else found[:PAGE_SIZE]
    at = ctx.clock()
    status = _monitor().status(at)
    details = {"filters": shown, "before": before, "after": after, "rows": len(rows)}
    ctx.audit.record(operator.name, "read_audit_log", "audit_log", Outcome.SUCCESS, details, at)
    return render_template(
        "console/audit.html",
        rows=rows,
        filters=shown,
        has_newer=(after is not None and extra) or before is not None,
        has_older=(after is None and extra) or after is not None,
        status=status,
        account_target=_ACCOUNT_TARGET,
    )


@blueprint.route("/audit/verification", methods=["POST"])
def verify_audit() -> BaseResponse:
    """Verify the whole chain now; back to the table (with the filters it was posted from)."""
    operator = guard.authorize(Action.READ_AUDIT)
    ctx = services()
    at = ctx.clock()
    report = _monitor().status(at, fresh=True).report
    details = {"ok": report.ok, "entries": report.entries, "broken_seq": report.broken_seq}
    ctx.audit.record(operator.name, "verify_audit_log", "audit_log", Outcome.SUCCESS, details, at)
    kept: dict[str, Any] = {name: request.form[name] for name in FILTERS if request.form.get(name)}
    return redirect(url_for("console.audit", **kept), 303)


@blueprint.route("/audit/export/<fmt>", methods=["GET"])
def export_audit(fmt: str) -> Response:
    """Every entry matching the filters, oldest first, as a ``.jsonl`` or ``.csv`` download, streamed."""
    if fmt not in audit_exports.FORMATS:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "jsonl or csv", field="format")
    operator = guard.authorize(Action.READ_AUDIT)
    ctx = services()
    query, shown = _query()
    details = {"format": fmt, "filters": shown}
    ctx.audit.record(operator.name, "export_audit_log", "audit_log", Outcome.SUCCESS, details, ctx.clock())
    entries = audit_search.stream(ctx.sessionmaker, query)
    lines = audit_exports.jsonl(entries) if fmt == "jsonl" else audit_exports.csv_text(entries)
    response = Response(stream_with_context(lines), mimetype=audit_exports.FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="kzpki-audit.{fmt}"'
    return response


def _query() -> tuple[audit_search.AuditQuery, dict[str, Any]]:
    """The filters of the query string (empty ones mean any) and their texts to show back. Dates are
    Kazakh dates, both inclusive. Raises InvalidInput for a bad one."""
    texts = {name: request.args.get(name, "").strip() for name in FILTERS}
    for name, value in texts.items():
        if len(value) > _MAX_FILTER:
            raise InvalidInput(ErrorCode.INVALID_VALUE, f"at most {_MAX_FILTER} characters", field=name)
    since = form_fields.kz_date_start(texts["from"], "from") if texts["from"] else None
    last_day = form_fields.kz_date(texts["to"], "to") if texts["to"] else None
    until = None if last_day is None else kz_day_start(last_day + dt.timedelta(days=1))
    query = audit_search.AuditQuery(
        actor=texts["actor"] or None,
        action=texts["action"] or None,
        target=texts["target"] or None,
        since=since,
        until=until,
    )
    return query, {name: value for name, value in texts.items() if value}


def _cursor(name: str) -> int | None:
    value = request.args.get(name, "")
    return form_fields.row_id(value, name) if value else None
