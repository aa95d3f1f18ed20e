"""Statements compiled once per dialect and run on the driver's own cursor: the per-login statements.

A Core execution builds, for every statement, an execution context, the parameter dictionary of the
compiled statement and a result object around the cursor. On SQLite that costs ~16 us per statement
beside the driver's ~7 us for an indexed lookup (measured 2026-12-03 with this machine's SQLAlchemy
2.1): more than the database itself on a login's four statements. A :class:`Prepared` statement keeps
what a Core execution recomputes: the SQL text for the connection's dialect, the order of its parameters
and, for each parameter and each result column, the type's processor for that dialect, taken from
SQLAlchemy's public type API (``TypeEngine.dialect_impl``, ``bind_processor``, ``result_processor``). A
value goes in and comes out exactly as a Core execution of the same statement binds and returns it
(:class:`~storage.types.UtcDateTime` included).

Transactions. The statement runs on the DBAPI connection of the caller's
:class:`~sqlalchemy.engine.Connection`, inside that Connection's transaction, which it begins first when
none is (as a Core execution's autobegin does), so the caller's ``commit()`` and ``rollback()`` cover it.

Errors. A driver error is raised as SQLAlchemy raises it for a Core execution: the matching
:class:`sqlalchemy.exc.DBAPIError` subclass (OperationalError, IntegrityError, ...), with the original as
``orig``; when the dialect reads it as a lost connection, the connection is invalidated first (the pool
then never lends it again).

Events. The engine's ``before_cursor_execute`` and ``after_cursor_execute`` listeners are called for each
statement, as for a Core execution (with no execution context; a ``retval`` listener's replacement
statement is not used), so instrumentation counting statements still sees them.

Limits, checked when a statement is compiled (TypeError): no expanding (IN-list), literal-execute or
callable-valued parameters, no column left to a Python-side default (Core's execution context computes
those; give the value), and one execution per call (no executemany).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    """One statement for one dialect and one set of parameter names."""

    sql: str
    positional: bool
    # (name in the SQL, key in the caller's values or None for a literal, the literal, type processor)
    binds: tuple[tuple[str, str | None, Any, Processor | None], ...]
    row_type: type[tuple[Any, ...]] | None  # None: no declared result columns (raw tuples, if any)
    processors: tuple[Processor | None, ...]

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for ``values`` (keyed by bind name, the keys it was compiled for)."""
        bound = []
        for _name, key, literal, process in self.binds:
            value = literal if key is None else values[key]
            bound.append(value if process is None else process(value))
        if self.positional:
            return bound
        return {name: value for (name, *_), value in zip(self.binds, bound, strict=True)}

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """One result row with each column's type processed, as a named tuple (fields by column key); the
        driver's tuple as it is for a statement without declared columns (``text()``)."""
        if self.row_type is None:
            return tuple(raw)
        return self.row_type(*(v if p is None else p(v) for p, v in zip(self.processors, raw, strict=True)))


class Prepared:
    """``statement`` (a Core SELECT, INSERT, UPDATE or DELETE, or a ``text()`` one) executed on the driver.

    Compiled on first use per (dialect, parameter names); thread-safe. Rows are named tuples whose fields
    are the result columns' keys (the labels), as ``Row`` attributes are (typed Any, as those are).
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, frozenset[str]], _Compiled] = {}
        self._lock = Lock()

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        """Every row the statement returns for ``values`` in ``connection``'s transaction (begun if none
        is); none for a statement that returns no rows. Raises TypeError for a parameter without a value
        (or a statement :mod:`storage.prepared` cannot run) and sqlalchemy.exc.DBAPIError subclasses for
        what the driver raises."""
        compiled = self._for(connection.dialect, values)
        return [compiled.row(raw) for raw in self._run(connection, compiled, values)]

    def first(self, connection: Connection, values: Mapping[str, Any]) -> Any | None:
        """The first row of :meth:`rows`, or None when there is none."""
        found = self.rows(connection, values)
        return found[0] if found else None

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> None:
        """Run the statement for ``values``, dropping any rows; raises as :meth:`rows` does."""
        self.rows(connection, values)

    def _run(self, connection: Connection, compiled: _Compiled, values: Mapping[str, Any]) -> list[Any]:
        if not connection.in_transaction():
            connection.begin()
        parameters = compiled.parameters(values)
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None, "a closed connection"
        cursor = dbapi_connection.cursor()
        dispatch = connection.dispatch
        try:
            for listener in dispatch.before_cursor_execute:
                listener(connection, cursor, compiled.sql, parameters, None, False)
            try:
                cursor.execute(compiled.sql, parameters)
                fetched = cursor.fetchall() if cursor.description is not None else []
            except connection.dialect.loaded_dbapi.Error as error:
                raise self._wrapped(connection, error, compiled.sql, parameters, cursor) from error
            for listener in dispatch.after_cursor_execute:
                listener(connection, cursor, compiled.sql, parameters, None, False)
            return list(fetched)
        finally:
            cursor.close()

    @staticmethod
    def _wrapped(
        connection: Connection, error: Any, sql: str, parameters: Any, cursor: Any
    ) -> StatementError:  # error: an instance of the driver's Error class (PEP 249)
        dialect = connection.dialect
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
        if lost:
            connection.invalidate(error)
        return DBAPIError.instance(
            sql, parameters, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
        )

    def _for(self, dialect: Dialect, values: Mapping[str, Any]) -> _Compiled:
        key = (dialect.name, frozenset(values))
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key) or _compile(self.statement, dialect, sorted(values))
                self._compiled[key] = found
        return found


def _compile(statement: ClauseElement, dialect: Dialect, keys: list[str]) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    if not isinstance(compiled, SQLCompiler):
        raise TypeError(f"not a SQL statement: {type(statement).__name__}")
    if compiled.insert_prefetch or compiled.update_prefetch:  # an execution context would compute them
        raise TypeError("columns with Python-side defaults must be given values")
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    order = compiled.positiontup if compiled.positional else list(by_name)
    binds = []
    for name in order or ():
        bind = by_name[name]
        if bind.expanding or bind.literal_execute:
            raise TypeError(f"parameter {name!r}: expanding and literal-execute parameters are not supported")
        caller_key = bind.key if bind.key in keys else None
        if caller_key is None and bind.required:
            raise TypeError(f"parameter {name!r} has no value")
        if caller_key is None and bind.callable is not None:  # Core calls it per execution; give the value
            raise TypeError(f"parameter {name!r}: callable values are not supported")
        literal = None if caller_key is not None else bind.effective_value
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        binds.append((compiled.escaped_bind_names.get(name, name), caller_key, literal, process))
    row_type, processors = _result_shape(statement, dialect)
    return _Compiled(compiled.string, bool(compiled.positional), tuple(binds), row_type, processors)


def _result_shape(
    statement: ClauseElement, dialect: Dialect
) -> tuple[type[tuple[Any, ...]] | None, tuple[Processor | None, ...]]:
    columns = list(getattr(statement, "exported_columns", ()) or ())
    if not columns:
        return None, ()
    names = [str(c.key) for c in columns]
    row_type: type[NamedTuple] = namedtuple("Row", names, rename=True)  # type: ignore[misc]
    processors = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return row_type, processors
