"""Core connections for the hot paths: the Engine a session factory is bound to, the Connection a
caller's Session or Connection runs on, and one Connection lent to the reads a caller's work makes.

A Session adds an identity map, its own transaction object and autobegin bookkeeping around the
connection it checks out; a Core statement needs none of it. The login and the register read run on an
:class:`~sqlalchemy.engine.Connection` of the engine directly, and the ``*_in`` helpers they call accept
either a Session (callers that also use the ORM in the same transaction) or a Connection.

Lending. A login reads the register from inside the verifier (which knows no database) and then writes
its one transaction; each pool checkout and return costs as much as a short statement. The login lends
its Connection for the verification (:class:`lending`), and the register read takes it (:class:`reading`)
instead of checking out its own: one checkout per login. The loan is per context (a
:class:`contextvars.ContextVar`: each thread, each task), so a reader never sees another thread's
connection, and only for the lent connection's own Engine. What a read on a lent connection sees: every
statement sees every transaction committed before it starts, as on a connection of its own, because
SQLite runs a read outside any write transaction (the driver begins one before the first write only) and
PostgreSQL runs at READ COMMITTED (the engine's default: a snapshot per statement).
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from types import TracebackType

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

_LENT: ContextVar[Connection | None] = ContextVar("storage_lent_connection", default=None)


def engine_of(sm: sessionmaker[Session]) -> Engine:
    """The Engine ``sm`` binds its sessions to. Raises TypeError when it is not bound to one Engine."""
    bind = sm.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory is not bound to an Engine")
    return bind


def core(db: Session | Connection) -> Connection:
    """The Connection of ``db``: ``db`` itself, or the one a Session's transaction runs on (begun if
    needed), after flushing the Session's pending changes, as its own execution would (autoflush), so a
    statement run on it sees them."""
    if isinstance(db, Connection):
        return db
    db.flush()
    return db.connection()


class lending:  # lower case, as contextlib.closing: used as ``with lending(connection):``
    """Lend ``connection`` to every :class:`reading` of its engine inside the ``with`` block, in this
    context only (thread or task); the block gets the connection. The lender keeps owning it: commits,
    rolls back, closes. Raises nothing of its own. (A class, not a generator: it runs once per login.)"""

    __slots__ = ("_connection", "_token")

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._token: Token[Connection | None] | None = None

    def __enter__(self) -> Connection:
        self._token = _LENT.set(self._connection)
        return self._connection

    def __exit__(self, *_exc: object) -> None:
        if self._token is not None:
            _LENT.reset(self._token)
            self._token = None


class reading:  # lower case, as contextlib.closing: used as ``with reading(engine) as connection:``
    """A Connection of ``engine`` for a read: the one lent in this context (:class:`lending`) when it is
    of ``engine`` and open, else a new checkout, closed (its transaction rolled back) on leaving.

    On a lent connection, a database error (SQLAlchemyError) inside the block rolls the connection's
    transaction back before it propagates, so that the lender's next statement runs (PostgreSQL refuses
    every statement of a transaction that failed); a failure of that rollback is dropped in favour of the
    original error. Raises whatever the block or the database driver raises (SQLAlchemy errors).
    """

    __slots__ = ("_connection", "_engine", "_lent")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._lent = False

    def __enter__(self) -> Connection:
        lent = _LENT.get()
        self._lent = lent is not None and lent.engine is self._engine and not lent.closed
        connection = lent if lent is not None and self._lent else self._engine.connect()
        self._connection = connection
        return connection

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _trace: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if not self._lent:
            connection.close()
        elif isinstance(error, SQLAlchemyError):
            try:
                connection.rollback()
            except SQLAlchemyError:
                pass  # the connection is invalidated; the original error is what the reader must see
