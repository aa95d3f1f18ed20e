"""The TSA's ledger of the time stamps it issued: one row per token, written before the token is given out.

What a dispute about a time stamp needs from the TSA (ETSI EN 319 421 7.10, records of the time-stamps
issued): the serial number, genTime, policy, message imprint (hash algorithm and value) and nonce of every
token, and which TSA certificate signed it (its SHA-256). The imprint is a hash of what the client had
stamped; no personal data reaches the TSA. The serial is the primary key, so no two tokens ever share one
(RFC 3161 2.4.2: unique for each token of a TSA), in any number of processes: a draw that is already
taken is refused by the database, and the TSA draws again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.certstore import serial_to_hex
from ca_sim.db import Base, UtcDateTime
from pki.calendar import ensure_utc, iso_time

__all__ = ["IssuedTimeStamp", "TimeStampLedger", "TimeStampRow"]


class TimeStampRow(Base):
    """A time-stamp token as issued (hex for the serial, imprint and nonce: exact for any length)."""

    __tablename__ = "tsa_time_stamps"

    serial: Mapped[str] = mapped_column(String(40), primary_key=True)  # ca_sim.certstore.serial_to_hex
    gen_time: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    policy: Mapped[str] = mapped_column(String(64))
    imprint_algorithm: Mapped[str] = mapped_column(String(64))
    imprint: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str | None] = mapped_column(Text)
    tsa_certificate_sha256: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class IssuedTimeStamp:
    """What the ledger keeps of one token: its TSTInfo fields and the SHA-256 (hex) of the TSA certificate
    that signed it. ``gen_time`` is UTC."""

    serial: int
    gen_time: dt.datetime
    policy: str
    imprint_algorithm: str  # dotted OID
    imprint: bytes
    nonce: int | None
    tsa_certificate_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": serial_to_hex(self.serial),
            "gen_time": iso_time(self.gen_time),
            "policy": self.policy,
            "imprint_algorithm": self.imprint_algorithm,
            "imprint": self.imprint.hex(),
            "nonce": None if self.nonce is None else format(self.nonce, "x"),
            "tsa_certificate_sha256": self.tsa_certificate_sha256,
        }


class TimeStampLedger:
    """The ``tsa_time_stamps`` table of ``sm``'s database. Thread-safe; share one per process."""

    def __init__(self, sm: sessionmaker[Session]) -> None:
        self._sm = sm

    def record(self, issued: IssuedTimeStamp) -> bool:
        """Store ``issued`` in a transaction of its own: True once stored, False when its serial is already
        taken (nothing stored). Raises what the database driver raises (SQLAlchemy errors) otherwise."""
        row = TimeStampRow(
            serial=serial_to_hex(issued.serial),
            gen_time=ensure_utc(issued.gen_time),
            policy=issued.policy,
            imprint_algorithm=issued.imprint_algorithm,
            imprint=issued.imprint.hex(),
            nonce=None if issued.nonce is None else format(issued.nonce, "x"),
            tsa_certificate_sha256=issued.tsa_certificate_sha256,
        )
        try:
            with self._sm.begin() as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def find(self, serial: int) -> IssuedTimeStamp | None:
        """The token issued under ``serial``, or None."""
        with self._sm() as session:
            row = session.get(TimeStampRow, serial_to_hex(serial))
            if row is None:
                return None
            return IssuedTimeStamp(
                serial=int(row.serial, 16),
                gen_time=row.gen_time,
                policy=row.policy,
                imprint_algorithm=row.imprint_algorithm,
                imprint=bytes.fromhex(row.imprint),
                nonce=None if row.nonce is None else int(row.nonce, 16),
                tsa_certificate_sha256=row.tsa_certificate_sha256,
            )
