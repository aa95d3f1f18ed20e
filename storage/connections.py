"""Core connections for the hot paths: the Engine a session factory is bound to, and the Connection a
caller's Session or Connection runs on.

A Session adds an identity map, its own transaction object and autobegin bookkeeping around the
connection it checks out; a Core statement needs none of it. The login and the register read run on an
:class:`~sqlalchemy.engine.Connection` of the engine directly (one pool checkout, one transaction), and
the ``*_in`` helpers they call accept either a Session (callers that also use the ORM in the same
transaction) or a Connection.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker


def engine_of(sm: sessionmaker[Session]) -> Engine:
    """The Engine ``sm`` binds its sessions to. Raises TypeError when it is not bound to one Engine."""
    bind = sm.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory is not bound to an Engine")
    return bind


def core(db: Session | Connection) -> Connection:
    """The Connection of ``db``: ``db`` itself, or the one a Session's transaction runs on (begun if
    needed)."""
    return db if isinstance(db, Connection) else db.connection()
