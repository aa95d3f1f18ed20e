"""The operators' register search reads indexes, never the whole table (issue 14.7): SQLite's EXPLAIN QUERY
PLAN of each filter's statement on a migrated database. A filter either searches an index for its value
or range, or (no filter, a common status) walks the issue-date index newest first, stopping at the page's
LIMIT, with no sort of the table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ca_sim.register_search import Query, StatusFilter, search_statement
from tests.ca_sim.revocation_support import make_pki
from tests.databases import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's (run on SQLite)")

_SEARCHED = {  # filter -> the index its plan must search
    "serial": (Query(serial=0x5EED), "ix_issued_certificates_serial (serial=?)"),
    "serial in a CA": (Query(serial=0x5EED, ca_id="nca"), "sqlite_autoindex_issued_certificates_1 (ca_id=?"),
    "IIN": (Query(iin="900101300123"), "ix_issued_certificates_iin (iin=?)"),
    "name": (Query(name="ИВАН"), "ix_issued_certificates_subject_cn (subject_cn>? AND subject_cn<?)"),
    "CA": (Query(ca_id="gov"), "ix_issued_certificates_ca_issued_at (ca_id=?)"),
    "issue dates": (
        Query(issued_from=dt.date(2026, 1, 1), issued_to=dt.date(2026, 1, 31)),
        "ix_issued_certificates_issued_at (issued_at>? AND issued_at<?)",
    ),
    "CA and issue dates": (
        Query(ca_id="gov", issued_from=dt.date(2026, 1, 1)),
        "ix_issued_certificates_ca_issued_at (ca_id=? AND issued_at>?)",
    ),
    "on hold": (Query(status=StatusFilter.ON_HOLD), "ix_revocations_reason (reason=?)"),
}
_WALKED = {  # filter -> walks the issue-date index in the page's order
    "no filter": Query(),
    "good": Query(status=StatusFilter.GOOD),
    "revoked": Query(status=StatusFilter.REVOKED),
}


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory):
    pki = make_pki(Path(tmp_path_factory.mktemp("plan")))

    def explain(query: Query) -> list[str]:
        compiled = search_statement(query, limit=26).compile(dialect=pki.sm.kw["bind"].dialect)
        values = {**compiled.params, "at": dt.datetime(2026, 6, 1)}
        arguments = tuple(values[name] for name in compiled.positiontup or ())
        with pki.sm() as session:
            rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), arguments)
            return [row[-1] for row in rows]

    return explain


@pytest.mark.parametrize("name", sorted(_SEARCHED))
def test_each_search_filter_searches_its_index(plan, name: str) -> None:
    query, index = _SEARCHED[name]
    steps = plan(query)
    assert any(index in step for step in steps), steps
    assert not any(step.startswith("SCAN issued_certificates") for step in steps), steps
    assert all("USING INDEX" in s for s in steps if s.startswith("SEARCH ")), steps


@pytest.mark.parametrize("name", sorted(_WALKED))
def test_unselective_searches_walk_the_issue_date_index_without_sorting(plan, name: str) -> None:
    steps = plan(_WALKED[name])
    assert "SCAN issued_certificates USING INDEX ix_issued_certificates_issued_at" in steps, steps
    assert not any("TEMP B-TREE" in step for step in steps), steps
