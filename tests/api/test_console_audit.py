"""The audit log in the console (issue 14.5; PD-22, EDS-21): a filterable table (actor, action, object,
Kazakh dates) in keyset pages read by bounded, indexed queries; the chain's status at a glance (intact, or
the first broken entry); exports as JSON Lines and CSV, streamed, CSV safe against formula injection; each
read audited; refused for every role the API refuses the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid

import pytest
from sqlalchemy import text, update

from api.app import create_app
from api.config import Settings
from api.console import audit_exports, audit_views
from api.database import dispose
from ca_sim import audit_search
from ca_sim.audit import AuditEntry, Outcome
from ca_sim.operators import Role
from pki.calendar import kz_date
from tests.api.conftest import bearer
from tests.api.console_support import console_client, refused_code
from tests.databases import database_url

AUDIT = "/console/audit"
_SEQ = re.compile(r'<td class="seq">(\d+)</td>')


def _seqs(page) -> list[int]:
    return [int(s) for s in _SEQ.findall(page.get_data(as_text=True))]


def _bulk(services, actor: str, count: int, **kwargs) -> list[int]:
    """``count`` entries by ``actor`` in one transaction; their numbers."""
    at = services.clock()
    with services.sessionmaker.begin() as session:
        return [
            services.audit.record_in(
                session,
                actor,
                kwargs.get("action", "bulk_test"),
                kwargs.get("target", f"thing:{n}"),
                Outcome.SUCCESS,
                {"n": n},
                at,
            )
            for n in range(count)
        ]


def _records_of_csv(body: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(body)))
    header = [audit_exports.unescape_cell(c) for c in rows[0]]
    assert tuple(header) == audit_search.EXPORT_FIELDS
    records = []
    for row in rows[1:]:
        record = dict(zip(header, (audit_exports.unescape_cell(c) for c in row), strict=True))
        record["details"] = json.loads(record["details"])
        record["seq"] = int(record["seq"])
        record["subject_seal"] = record["subject_seal"] or None  # an empty cell: none
        records.append(record)
    return records


@pytest.fixture
def auditor(app, tokens, clock):
    return console_client(app, tokens["auditor"])


def test_the_table_filters_by_actor_action_object_and_kazakh_dates_and_the_read_is_audited(auditor, services):
    actor = f"filter-{uuid.uuid4().hex[:8]}"
    seqs = _bulk(services, actor, 3, action="console_filter_test")
    _bulk(services, actor, 1, action="other_action", target="thing:0")
    page = auditor.get(AUDIT, query_string={"actor": actor, "action": "console_filter_test"})
    assert page.status_code == 200 and _seqs(page) == seqs[::-1]  # newest first
    assert _seqs(auditor.get(AUDIT, query_string={"actor": actor, "target": "thing:0"})) == [
        seqs[-1] + 1,
        seqs[0],
    ]
    today = kz_date(services.clock())
    dated = {"actor": actor, "from": today.isoformat(), "to": today.isoformat()}
    assert len(_seqs(auditor.get(AUDIT, query_string=dated))) == 4
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert _seqs(auditor.get(AUDIT, query_string={**dated, "from": tomorrow, "to": tomorrow})) == []
    reads = [
        e for e in services.audit.entries(after_seq=seqs[-1], limit=1000) if e.action == "read_audit_log"
    ]
    assert reads and reads[0].actor == "api-auditor" and reads[0].details["filters"]["actor"] == actor
    bad = auditor.get(AUDIT, query_string={"from": "yesterday"})
    assert bad.status_code == 400 and refused_code(bad) == "invalid_datetime"


def test_large_logs_are_paged_by_keyset_with_older_and_newer_links(auditor, services, monkeypatch):
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 50)
    actor = f"pager-{uuid.uuid4().hex[:8]}"
    seqs = _bulk(services, actor, 120)
    first = auditor.get(AUDIT, query_string={"actor": actor})
    assert _seqs(first) == seqs[::-1][:50] and 'id="newer"' not in first.get_data(as_text=True)
    second = auditor.get(AUDIT, query_string={"actor": actor, "before": seqs[70]})
    assert _seqs(second) == seqs[::-1][50:100]
    last = auditor.get(AUDIT, query_string={"actor": actor, "before": seqs[20]})
    assert _seqs(last) == seqs[::-1][100:] and 'id="older"' not in last.get_data(as_text=True)
    back = auditor.get(AUDIT, query_string={"actor": actor, "after": seqs[19]})
    assert _seqs(back) == seqs[::-1][50:100] and 'id="newer"' in back.get_data(as_text=True)
    body = first.get_data(as_text=True)
    assert f"before={seqs[70]}" in body and f"actor={actor}" in body


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (audit_search.AuditQuery(actor="someone"), "ix_audit_entries_actor_seq"),
        (audit_search.AuditQuery(target="nca:1f"), "ix_audit_entries_target_seq"),
        (audit_search.AuditQuery(action="revoke"), "ix_audit_entries_action"),
        (audit_search.AuditQuery(), None),
    ],
)
def test_each_page_is_one_indexed_query_without_sorting_the_log(services, query, index):
    if services.sessionmaker.kw["bind"].dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by table statistics")
    statement = audit_search.page_statement(query, before_seq=1000, limit=51)
    compiled = statement.compile(services.sessionmaker.kw["bind"], compile_kwargs={"literal_binds": True})
    with services.sessionmaker() as session:
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "TEMP B-TREE" not in plan, plan  # no sort of the filtered rows: the index gives seq order
    assert index is None or index in plan, plan


def test_jsonl_and_csv_exports_stream_the_filtered_log_and_verify_as_a_chain(auditor, services):
    actor = f"export-{uuid.uuid4().hex[:8]}"
    seqs = _bulk(services, actor, 5)
    jsonl = auditor.get(f"{AUDIT}/export/jsonl", query_string={"actor": actor})
    assert jsonl.status_code == 200 and jsonl.is_streamed and jsonl.mimetype == "application/jsonl"
    assert "attachment" in jsonl.headers["Content-Disposition"]
    records = [json.loads(line) for line in jsonl.get_data(as_text=True).splitlines()]
    assert [r["seq"] for r in records] == seqs and all(
        tuple(r) == audit_search.EXPORT_FIELDS for r in records
    )
    assert audit_search.first_unsound(records) is None
    tampered = [dict(r) for r in records]
    tampered[2]["details"] = {"n": 99}
    assert audit_search.first_unsound(tampered) == seqs[2]
    as_csv = auditor.get(f"{AUDIT}/export/csv", query_string={"actor": actor})
    assert as_csv.is_streamed and as_csv.mimetype == "text/csv"
    assert _records_of_csv(as_csv.get_data(as_text=True)) == records
    whole = [
        json.loads(line) for line in auditor.get(f"{AUDIT}/export/jsonl").get_data(as_text=True).splitlines()
    ]
    assert [r["seq"] for r in whole] == list(range(1, len(whole) + 1))
    assert audit_search.first_unsound(whole) is None  # the whole log, from entry 1 to the genesis hash
    exports = [
        e for e in services.audit.entries(after_seq=seqs[-1], limit=1000) if e.action == "export_audit_log"
    ]
    assert [e.details["format"] for e in exports][:2] == ["jsonl", "csv"]
    assert refused_code(auditor.get(f"{AUDIT}/export/xlsx")) == "invalid_value"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(auditor, services):
    actor = f'=HYPERLINK("http://evil")-{uuid.uuid4().hex[:6]}'
    at = services.clock()
    services.audit.record(actor, "@SUM(A1)", "+1", Outcome.SUCCESS, {"x": "-2"}, at)
    services.audit.record(actor, "\tcmd", "'quoted", Outcome.SUCCESS, None, at)
    body = auditor.get(f"{AUDIT}/export/csv", query_string={"actor": actor}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))[1:]
    cells = [cell for row in rows for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    assert rows[0][2].startswith("'=HYPERLINK") and rows[0][3] == "'@SUM(A1)" and rows[0][4] == "'+1"
    assert rows[1][3] == "'\tcmd" and rows[1][4] == "''quoted"
    assert audit_search.first_unsound(_records_of_csv(body)) is None  # the escape is reversible


@pytest.mark.parametrize("role", ["nca_operator", "gov_operator", "tester"])
def test_the_audit_pages_are_refused_for_every_role_the_api_refuses(app, client, tokens, role):
    api = client.get("/api/v1/unis/login-records", headers=bearer(tokens[role]))  # the API's read_audit
    assert api.status_code == 403
    console = console_client(app, tokens[role])
    for shown in (
        console.get(AUDIT),
        console.get(f"{AUDIT}/export/jsonl"),
        console.get(f"{AUDIT}/export/csv"),
        console.post(f"{AUDIT}/verification", data={"csrf_token": _csrf(console)}),
    ):
        assert shown.status_code == 403 and refused_code(shown) == api.get_json()["code"]


def _csrf(console) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', console.get(AUDIT).get_data(as_text=True))
    assert found
    return found.group(1)


def test_the_security_officer_reads_the_audit_log_too(app, tokens):
    assert console_client(app, tokens["security_officer"]).get(AUDIT).status_code == 200


@pytest.fixture
def own_console(tmp_path):
    """An app over a database of its own, whose audit log a test may break."""
    settings = Settings(
        home=tmp_path / "home",
        database_url=database_url(tmp_path / "own.db"),
        ca_passphrase=b"own audit log",
        key_algorithm="ecdsa",
    )
    app = create_app(settings)
    services = app.extensions["kzpki"]
    _, token = services.operators.add("own-auditor", Role.AUDITOR, [], services.clock(), "tests")
    yield app, services, token
    dispose(services.sessionmaker)


def test_eds21_the_chain_status_shows_intact_then_the_first_broken_entry_and_the_export_agrees(own_console):
    app, services, token = own_console
    console = console_client(app, token)
    page = console.get(AUDIT).get_data(as_text=True)
    assert 'id="chain-status">intact<' in page
    victim = services.audit.entries(limit=3)[1].seq
    with services.sessionmaker.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == victim).values(actor="someone else"))
    assert 'id="chain-status">intact<' in console.get(AUDIT).get_data(as_text=True)  # the last verification
    verified = console.post(f"{AUDIT}/verification", data={"csrf_token": _csrf(console)})
    assert verified.status_code == 303
    page = console.get(verified.headers["Location"]).get_data(as_text=True)
    assert 'id="chain-status">BROKEN at entry<' in page and f'id="chain-broken-seq">{victim}<' in page
    export = [
        json.loads(line) for line in console.get(f"{AUDIT}/export/jsonl").get_data(as_text=True).splitlines()
    ]
    assert audit_search.first_unsound(export) == victim
    forged = console.post(f"{AUDIT}/verification", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and refused_code(forged) == "csrf_token_invalid"
