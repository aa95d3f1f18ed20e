"""The register of issued certificates (EDS-21): every certificate a simulated CA signed, by CA and serial.

Serials are stored as lowercase hex of the positive integer (no leading zeros), unique per CA; APIs
take and show them the same way (:func:`serial_to_hex`, :func:`serial_from_hex`). The IIN is stored
because the register must answer "whose key is this" (EDS-21) and an owner may ask for their own
entries; it is never logged and never shown by public endpoints (EDS-23).

Status (good / revoked / on hold) belongs to the revocation registry (``ca_sim.registry``), which
joins on :class:`CertificateRecord` through :func:`select_certificates`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from sqlalchemy import Index, LargeBinary, Select, String, Table, UniqueConstraint, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ca_sim.db import Base, UtcDateTime
from pki.errors import ErrorCode, InvalidInput, NotFound
from pki.names import subject_of


class CertificateRecord(Base):
    """One issued certificate: ``serial`` in lowercase hex, ``iin`` None for CA and responder certificates."""

    __tablename__ = "issued_certificates"
    __table_args__ = (
        UniqueConstraint("ca_id", "serial", name="uq_issued_certificates_ca_serial"),
        Index("ix_issued_certificates_iin", "iin"),
        Index("ix_issued_certificates_subject_cn", "subject_cn"),  # the console's search by name
        # the console's search by issue date, and its order (newest first) for every other filter
        Index("ix_issued_certificates_issued_at", "issued_at", "id"),
        Index("ix_issued_certificates_ca_issued_at", "ca_id", "issued_at", "id"),  # ... within one CA
        Index("ix_issued_certificates_serial", "serial"),  # a serial looked up across the CAs
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ca_id: Mapped[str] = mapped_column(String(16))
    serial: Mapped[str] = mapped_column(String(42))
    iin: Mapped[str | None] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(32))
    subject_cn: Mapped[str] = mapped_column(String(256))
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    not_after: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    der: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class StoredCertificate:
    """A register entry, detached from the database session."""

    ca_id: str
    serial: int
    iin: str | None
    kind: str
    subject_cn: str
    not_before: dt.datetime
    not_after: dt.datetime
    issued_at: dt.datetime
    der: bytes

    @property
    def serial_hex(self) -> str:
        return serial_to_hex(self.serial)

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.der)


def serial_to_hex(serial: int) -> str:
    """The register's serial spelling: lowercase hex, no leading zeros. Raises ValueError if not positive."""
    if serial <= 0:
        raise ValueError("certificate serials are positive")
    return format(serial, "x")


def serial_from_hex(text: str) -> int:
    """Parse a serial given as hex (any case, optional ``0x``, ``:`` or spaces between octets).

    Raises InvalidInput(``malformed_serial``) when it is not a positive hex number of at most 20 octets.
    """
    cleaned = text.strip().lower().removeprefix("0x").replace(":", "").replace(" ", "")
    if not cleaned or len(cleaned) > 40 or any(c not in "0123456789abcdef" for c in cleaned):
        raise InvalidInput(
            ErrorCode.MALFORMED_SERIAL, "serial must be a hex number of at most 20 octets", field="serial"
        )
    value = int(cleaned, 16)
    if value == 0:
        raise InvalidInput(ErrorCode.MALFORMED_SERIAL, "serial must be positive", field="serial")
    return value


def record_certificate(
    session: Session,
    ca_id: str,
    certificate: x509.Certificate,
    kind: str,
    issued_at: dt.datetime,
    iin: str | None = None,
) -> None:
    """Add ``certificate`` to the register inside the caller's transaction (one Core INSERT, no ORM flush).

    A duplicate (ca_id, serial) raises ``sqlalchemy.exc.IntegrityError``.
    """
    common_names = subject_of(certificate).get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = common_names[0].value if common_names else ""
    session.connection().execute(
        _INSERT,
        {
            "ca_id": ca_id,
            "serial": serial_to_hex(certificate.serial_number),
            "iin": iin,
            "kind": kind,
            "subject_cn": cn if isinstance(cn, str) else cn.decode(),
            "not_before": certificate.not_valid_before_utc,
            "not_after": certificate.not_valid_after_utc,
            "issued_at": issued_at,
            "der": certificate.public_bytes(Encoding.DER),
        },
    )


_INSERT = insert(cast(Table, CertificateRecord.__table__))


def select_certificates(
    *, ca_id: str | None = None, iin: str | None = None, kind: str | None = None
) -> Select[CertificateRecord]:
    """A SELECT of register rows filtered by CA, owner IIN and kind, oldest first.

    The revocation registry extends it (joins, status filters) to list certificates by status.
    """
    statement = select(CertificateRecord)
    if ca_id is not None:
        statement = statement.where(CertificateRecord.ca_id == ca_id)
    if iin is not None:
        statement = statement.where(CertificateRecord.iin == iin)
    if kind is not None:
        statement = statement.where(CertificateRecord.kind == kind)
    return statement.order_by(CertificateRecord.issued_at, CertificateRecord.id)


def to_stored(record: CertificateRecord) -> StoredCertificate:
    """The detached view of a register row."""
    return StoredCertificate(
        ca_id=record.ca_id,
        serial=int(record.serial, 16),
        iin=record.iin,
        kind=record.kind,
        subject_cn=record.subject_cn,
        not_before=record.not_before,
        not_after=record.not_after,
        issued_at=record.issued_at,
        der=record.der,
    )


class CertificateStore:
    """Read access to the register through short transactions of ``sessionmaker``."""

    def __init__(self, sessionmaker: sessionmaker[Session]) -> None:
        self._sessionmaker = sessionmaker

    def find(self, ca_id: str, serial: int) -> StoredCertificate | None:
        """The entry for ``serial`` issued by ``ca_id``, or None."""
        statement = select(CertificateRecord).where(
            CertificateRecord.ca_id == ca_id, CertificateRecord.serial == serial_to_hex(serial)
        )
        with self._sessionmaker() as session:
            record = session.execute(statement).scalar_one_or_none()
            return None if record is None else to_stored(record)

    def get(self, ca_id: str, serial: int) -> StoredCertificate:
        """Like :meth:`find`. Raises NotFound(``unknown_certificate``) when ``ca_id`` never issued it."""
        found = self.find(ca_id, serial)
        if found is None:
            raise NotFound(
                ErrorCode.UNKNOWN_CERTIFICATE, f"{ca_id} issued no certificate with serial {serial:x}"
            )
        return found

    def iins_by_serial(self, serials: Iterable[str]) -> dict[str, str]:
        """The owner's IIN of each certificate of ours among ``serials`` (hex, any case), keyed by the
        lowercase hex serial; certificates without an IIN and unknown serials are left out. Serials are
        matched across the CAs: ours are 20 random octets, so a match names the certificate."""
        wanted = sorted({s.lower().lstrip("0") for s in serials if s})
        if not wanted:
            return {}
        statement = select(CertificateRecord.serial, CertificateRecord.iin).where(
            CertificateRecord.serial.in_(wanted), CertificateRecord.iin.is_not(None)
        )
        with self._sessionmaker() as session:
            return {serial: iin for serial, iin in session.execute(statement) if iin is not None}

    def search(
        self,
        *,
        ca_id: str | None = None,
        iin: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[StoredCertificate]:
        """Entries matching every given filter, oldest first, paged by ``limit``/``offset``."""
        statement = select_certificates(ca_id=ca_id, iin=iin, kind=kind).limit(limit).offset(offset)
        with self._sessionmaker() as session:
            return [to_stored(r) for r in session.execute(statement).scalars()]
