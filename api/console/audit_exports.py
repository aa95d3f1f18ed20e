"""The audit log's export formats, written one entry at a time (the caller streams them): JSON Lines (one
``ChainedEntry.to_export`` object per line) and CSV (the same fields, ``details`` as canonical JSON text).

CSV cells are made safe for spreadsheet applications (formula injection, OWASP "CSV Injection"): a cell
starting with ``=``, ``+``, ``-``, ``@``, a TAB or a CR would be taken as a formula, so it is prefixed with
an apostrophe; so is a cell already starting with one, which keeps the escape reversible
(:func:`unescape_cell`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ca_sim.audit_search import EXPORT_FIELDS, ChainedEntry

FORMATS = {"jsonl": "application/jsonl", "csv": "text/csv"}
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with an apostrophe in front when a spreadsheet could read it as a formula."""
    return "'" + cell if cell.startswith(_RISKY_START) else cell


def unescape_cell(cell: str) -> str:
    """The text :func:`spreadsheet_safe` was given."""
    return cell[1:] if cell.startswith("'") else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def jsonl(entries: Iterable[ChainedEntry]) -> Iterator[str]:
    """One JSON object per entry, each on its own line (UTF-8 text, not ASCII-escaped)."""
    for entry in entries:
        yield json.dumps(entry.to_export(), ensure_ascii=False, separators=(",", ":")) + "\n"


def csv_text(entries: Iterable[ChainedEntry]) -> Iterator[str]:
    """A header line with :data:`EXPORT_FIELDS`, then one CSV line per entry (RFC 4180 quoting, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(c) for c in cells])
        return buffer.getvalue()

    yield line(EXPORT_FIELDS)
    for entry in entries:
        record = entry.to_export()
        yield line(_cell(record[name]) for name in EXPORT_FIELDS)
