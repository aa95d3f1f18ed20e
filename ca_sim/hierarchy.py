"""The three simulated CAs: the self-signed Root CA ``root``, the state-bodies CA ``gov`` and the National
CA ``nca`` (rules.md "Who the CAs are"), each with its own key and delegated OCSP responder, and the
National CA's time-stamping authority (RFC 3161).

Created once per database by :func:`load_or_create_hierarchy` and loaded by every later call (and by
every server worker). Keys are stored sealed under a key derived from the configured passphrase (EDS-21,
``ca_sim.keywrap``); keys an older release stored at a lower cost are re-wrapped when the hierarchy
loads. CA keys are RSA-2048 by default, to keep a first start fast (the real NCA uses RSA-2048/4096;
pass ``rsa_key_size=4096`` for 4096), ECDSA P-256 with ``key_algorithm="ecdsa"``, or GOST R 34.10-2015
512-bit (curve TC26-512-A, the real NCA's current generation) with ``key_algorithm="gost"``, CA and OCSP
responder keys alike (signing: ``ca_sim.signing``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ca_sim import profiles
from ca_sim.certificates import (
    CertificateMinter,
    IssuerKey,
    key_identifier_of,
    truncate_to_second,
)
from ca_sim.certstore import record_certificate
from ca_sim.keystore import KeyPurpose, KeyStore, StoredKey
from ca_sim.keywrap import WrappingKey, key_label
from ca_sim.profiles import CaUrls, CertificateKind, build_ca_urls, cps_url
from ca_sim.signing import CaPrivateKey
from pki import gost, keys, oids
from pki.calendar import ensure_utc
from pki.errors import Conflict, ErrorCode, InvalidInput, NotFound
from pki.names import build_ca_subject, subject_of

__all__ = [
    "CA_IDS",
    "Authority",
    "CaUrls",
    "DelegatedSigner",
    "Hierarchy",
    "load_or_create_hierarchy",
]

CA_IDS = ("root", "gov", "nca")
KEY_ALGORITHMS = ("rsa", "ecdsa", "gost")

# nca-profile.md names; "(SIM)" so nobody mistakes a fixture for a real certificate.
_CA_NAMES = {
    "root": "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ ({algorithm}) (SIM)",
    "gov": "МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КУӘЛАНДЫРУШЫ ОРТАЛЫҒЫ ({algorithm}) (SIM)",
    "nca": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ ({algorithm}) (SIM)",
}
# What each kind of delegated signer is: its profile and the CN of its certificate.
_DELEGATIONS: dict[str, tuple[profiles.Profile, str]] = {
    KeyPurpose.OCSP: (profiles.OCSP_RESPONDER, "OCSP RESPONDER {ca} ({algorithm}) (SIM)"),
    KeyPurpose.TSA: (profiles.TIME_STAMP_AUTHORITY, "TIME-STAMP AUTHORITY {ca} ({algorithm}) (SIM)"),
}
_ALGORITHM_LABELS = {"rsa": "RSA", "ecdsa": "ECDSA", "gost": "GOST"}
_CREATE_ATTEMPTS = 5


@dataclass(frozen=True)
class Authority:
    """One CA: its id, certificate, private key and public URLs (nca-profile.md layout)."""

    ca_id: str
    certificate: x509.Certificate
    private_key: CaPrivateKey = field(repr=False)
    urls: CaUrls

    @property
    def key_identifier(self) -> bytes:
        """The CA's subjectKeyIdentifier (the authorityKeyIdentifier of everything it issues)."""
        return self.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


@dataclass(frozen=True)
class DelegatedSigner:
    """A key a CA certifies to sign for it, one generation of it: the CA's delegated OCSP responder
    (``purpose`` ``KeyPurpose.OCSP``; RFC 6960 4.2.2.2: OCSPSigning, ocsp-nocheck) or the National CA's
    time-stamping authority (``KeyPurpose.TSA``; RFC 3161 2.3: critical id-kp-timeStamping)."""

    ca_id: str
    purpose: str
    certificate: x509.Certificate
    private_key: CaPrivateKey = field(repr=False)
    generation: int


class Hierarchy:
    """The loaded CAs and their current delegated signers.

    ``authorities`` maps ``root``/``gov``/``nca`` to :class:`Authority`. Delegated signers' certificates
    are renewed before they end (:meth:`ensure_ocsp_responder`, :meth:`time_stamp_authority`; safe across
    threads and processes).
    """

    def __init__(
        self,
        *,
        authorities: dict[str, Authority],
        responders: dict[str, DelegatedSigner],
        key_algorithm: str,
        public_base_url: str,
        sessionmaker: sessionmaker[Session],
        passphrase: bytes,
    ) -> None:
        self.authorities = authorities
        self.key_algorithm = key_algorithm
        self.public_base_url = public_base_url
        self._delegates = {(ca_id, KeyPurpose.OCSP): r for ca_id, r in responders.items()}
        self._sessionmaker = sessionmaker
        self._keys = KeyStore(sessionmaker)
        self._passphrase = passphrase
        self._lock = threading.Lock()
        self._minters = {
            ca_id: CertificateMinter(_issuer_key(a, public_base_url)) for ca_id, a in authorities.items()
        }

    def __repr__(self) -> str:
        return f"Hierarchy(key_algorithm={self.key_algorithm!r}, authorities={sorted(self.authorities)})"

    def get(self, ca_id: str) -> Authority:
        """The CA ``ca_id``. Raises NotFound(``unknown_ca``)."""
        try:
            return self.authorities[ca_id]
        except KeyError:
            raise NotFound(
                ErrorCode.UNKNOWN_CA, f"no CA {ca_id!r}; the CAs are {', '.join(CA_IDS)}"
            ) from None

    @property
    def root(self) -> Authority:
        return self.authorities["root"]

    def chain(self, ca_id: str) -> tuple[x509.Certificate, ...]:
        """The certificates from CA ``ca_id`` up to and including the root (one for the root itself)."""
        authority = self.get(ca_id)
        if ca_id == "root":
            return (authority.certificate,)
        return (authority.certificate, self.root.certificate)

    def minter(self, ca_id: str) -> CertificateMinter:
        """The certificate minter signing with CA ``ca_id``'s key. Raises NotFound(``unknown_ca``)."""
        self.get(ca_id)
        return self._minters[ca_id]

    def ocsp_responder(self, ca_id: str) -> DelegatedSigner:
        """The responder last loaded or issued for ``ca_id`` (see :meth:`ensure_ocsp_responder`)."""
        self.get(ca_id)
        return self._delegates[(ca_id, KeyPurpose.OCSP)]

    def ensure_ocsp_responder(self, ca_id: str, at: dt.datetime) -> DelegatedSigner:
        """A responder for ``ca_id`` with more than its profile's renewal margin (7 days) left at ``at``.

        Returns the cached one when it qualifies (no I/O). Otherwise loads the newest from the database
        (another worker may have renewed it) and, if that is also near its end, issues the next
        generation valid from ``at`` (30 days, never past the CA's own notAfter). Two processes renewing
        at once collide on the generation number; the loser uses the winner's certificate.
        Raises NotFound(``unknown_ca``).
        """
        self.get(ca_id)
        return self._ensure(ca_id, KeyPurpose.OCSP, ensure_utc(at))

    def time_stamp_authority(self, at: dt.datetime) -> DelegatedSigner:
        """The National CA's time-stamping authority with more than a year left at ``at`` (RFC 3161), as
        :meth:`ensure_ocsp_responder` renews a responder: the first generation (3 years, never past the
        CA's notAfter) is issued on first use, so a hierarchy created before TSAs existed gets one too.
        Its certificate is registered as nca's and can be revoked like any other."""
        issuer = profiles.TIME_STAMP_AUTHORITY.issuer
        assert issuer is not None
        return self._ensure(issuer, KeyPurpose.TSA, ensure_utc(at))

    def _ensure(self, ca_id: str, purpose: str, at: dt.datetime) -> DelegatedSigner:
        current = self._delegates.get((ca_id, purpose))
        if current is not None and _usable_at(current, at):
            return current
        with self._lock:
            latest = _retry_on_conflict(lambda: self._renew(ca_id, purpose, at))
            self._delegates[(ca_id, purpose)] = latest
            return latest

    def _renew(self, ca_id: str, purpose: str, at: dt.datetime) -> DelegatedSigner:
        latest = _load_latest_delegate(self._keys, ca_id, purpose, self._passphrase)
        if latest is not None and _usable_at(latest, at):
            return latest
        signer, stored = _issue_delegate(
            self.get(ca_id),
            self._minters[ca_id],
            purpose,
            self.key_algorithm,
            at,
            1 if latest is None else latest.generation + 1,
            self._keys.wrapping_key(self._passphrase),
        )
        with self._sessionmaker.begin() as session:
            KeyStore.add_in(session, stored)
            record_certificate(session, ca_id, signer.certificate, _DELEGATIONS[purpose][0].kind.value, at)
        return signer


def load_or_create_hierarchy(
    sessionmaker: sessionmaker[Session],
    passphrase: bytes,
    public_base_url: str,
    at: dt.datetime,
    key_algorithm: str = "rsa",
    *,
    rsa_key_size: int = 2048,
) -> Hierarchy:
    """Load the database's CA hierarchy, creating it (valid from ``at``) when there is none.

    Creation makes root (self-signed, 10 years), gov and nca (issued by root, 7 years) and one OCSP
    responder per CA (30 days), stores the keys sealed under ``passphrase`` and registers the
    certificates root issued, all in ONE transaction: a concurrent creator (another worker starting
    at the same moment) loses on the unique key and loads the winner's hierarchy instead.

    ``key_algorithm``: ``rsa`` (RSA ``rsa_key_size`` bits, 2048 or 4096), ``ecdsa`` (P-256) or ``gost``.
    Raises InvalidInput(``bad_passphrase`` / ``empty_passphrase`` / ``unknown_key_algorithm``),
    Conflict(``hierarchy_algorithm_mismatch``) when the
    stored hierarchy uses another algorithm, Conflict(``hierarchy_incomplete``) for a damaged database.
    """
    at = ensure_utc(at)
    if key_algorithm not in KEY_ALGORITHMS:
        raise InvalidInput(
            ErrorCode.UNKNOWN_KEY_ALGORITHM,
            f"key_algorithm must be one of {', '.join(KEY_ALGORITHMS)}",
            field="key_algorithm",
        )
    if rsa_key_size not in (2048, 4096):
        raise InvalidInput(
            ErrorCode.UNKNOWN_KEY_ALGORITHM, "rsa_key_size must be 2048 or 4096", field="rsa_key_size"
        )
    if not passphrase:
        raise InvalidInput(
            ErrorCode.EMPTY_PASSPHRASE, "a CA key passphrase is required (EDS-21: no key in clear)"
        )

    def load_or_create() -> Hierarchy:
        loaded = _load(sessionmaker, passphrase, public_base_url, key_algorithm)
        if loaded is not None:
            return loaded
        _create(sessionmaker, passphrase, public_base_url, at, key_algorithm, rsa_key_size)
        created = _load(sessionmaker, passphrase, public_base_url, key_algorithm)
        if created is None:  # pragma: no cover - the transaction above committed it
            raise Conflict(
                ErrorCode.HIERARCHY_INCOMPLETE, "the CA hierarchy vanished right after its creation"
            )
        return created

    return _retry_on_conflict(load_or_create)


# --- loading ---


def _load(
    sm: sessionmaker[Session], passphrase: bytes, public_base_url: str, key_algorithm: str
) -> Hierarchy | None:
    keys = KeyStore(sm)
    keys.upgrade_wrapping(passphrase)
    rows = keys.ca_keys()
    if not rows:
        return None
    by_id = {row.ca_id: row for row in rows}
    if set(by_id) != set(CA_IDS):
        raise Conflict(ErrorCode.HIERARCHY_INCOMPLETE, f"the database holds CA keys for {sorted(by_id)} only")
    stored_algorithm = by_id["root"].key_algorithm
    if stored_algorithm != key_algorithm:
        raise Conflict(
            ErrorCode.HIERARCHY_ALGORITHM_MISMATCH,
            f"this database's CA hierarchy uses {stored_algorithm}, not {key_algorithm}",
            stored=stored_algorithm,
        )
    authorities = {
        ca_id: Authority(
            ca_id=ca_id,
            certificate=x509.load_der_x509_certificate(row.certificate_der),
            private_key=row.private_key(passphrase),
            urls=build_ca_urls(public_base_url, ca_id, key_algorithm),
        )
        for ca_id, row in by_id.items()
    }
    responders = {ca_id: _load_latest_delegate(keys, ca_id, KeyPurpose.OCSP, passphrase) for ca_id in CA_IDS}
    missing = sorted(ca_id for ca_id, responder in responders.items() if responder is None)
    if missing:
        raise Conflict(
            ErrorCode.HIERARCHY_INCOMPLETE, f"no OCSP responder key stored for {', '.join(missing)}"
        )
    return Hierarchy(
        authorities=authorities,
        responders={ca_id: r for ca_id, r in responders.items() if r is not None},
        key_algorithm=key_algorithm,
        public_base_url=public_base_url,
        sessionmaker=sm,
        passphrase=passphrase,
    )


def _load_latest_delegate(
    keys: KeyStore, ca_id: str, purpose: str, passphrase: bytes
) -> DelegatedSigner | None:
    row = keys.latest_delegate_key(ca_id, purpose)
    if row is None:
        return None
    return DelegatedSigner(
        ca_id=ca_id,
        purpose=purpose,
        certificate=x509.load_der_x509_certificate(row.certificate_der),
        private_key=row.private_key(passphrase),
        generation=row.generation,
    )


# --- creation ---


def _create(
    sm: sessionmaker[Session],
    passphrase: bytes,
    public_base_url: str,
    at: dt.datetime,
    key_algorithm: str,
    rsa_key_size: int,
) -> None:
    """Generate the whole hierarchy in memory, then write it in one transaction (IntegrityError if raced)."""
    at = truncate_to_second(at)
    kek = WrappingKey.create(passphrase)
    label = _ALGORITHM_LABELS[key_algorithm]
    root_key = _generate_key(key_algorithm, rsa_key_size)
    root_name = build_ca_subject(_CA_NAMES["root"].format(algorithm=label))
    root_urls = build_ca_urls(public_base_url, "root", key_algorithm)
    root_issuer = IssuerKey(
        name=root_name,
        private_key=root_key,
        key_identifier=key_identifier_of(root_key.public_key()),
        urls=root_urls,
        cps_url=cps_url(public_base_url),
    )
    root_minter = CertificateMinter(root_issuer)
    root_certificate = root_minter.mint(
        profiles.ROOT_CA,
        root_name,
        root_key.public_key(),
        at,
        profiles.ROOT_CA.validity().not_after(at),
    )
    authorities = {"root": Authority("root", root_certificate, root_key, root_urls)}
    for ca_id in ("gov", "nca"):
        key = _generate_key(key_algorithm, rsa_key_size)
        certificate = root_minter.mint(
            profiles.INTERMEDIATE_CA,
            build_ca_subject(_CA_NAMES[ca_id].format(algorithm=label)),
            key.public_key(),
            at,
            profiles.INTERMEDIATE_CA.validity().not_after(at),
        )
        authorities[ca_id] = Authority(
            ca_id, certificate, key, build_ca_urls(public_base_url, ca_id, key_algorithm)
        )

    ca_rows = [
        StoredKey(
            ca_id=ca_id,
            purpose=KeyPurpose.CA,
            generation=1,
            key_algorithm=key_algorithm,
            certificate_der=authority.certificate.public_bytes(Encoding.DER),
            encrypted_key=kek.seal(authority.private_key, key_label(ca_id, KeyPurpose.CA, 1)),
            not_after=authority.certificate.not_valid_after_utc,
            created_at=at,
        )
        for ca_id, authority in authorities.items()
    ]
    responders = [
        _issue_delegate(
            authority,
            CertificateMinter(_issuer_key(authority, public_base_url)),
            KeyPurpose.OCSP,
            key_algorithm,
            at,
            1,
            kek,
        )
        for authority in authorities.values()
    ]
    with sm.begin() as session:
        KeyStore.add_in(session, *ca_rows, *(row for _, row in responders))
        for ca_id in ("gov", "nca"):
            record_certificate(session, "root", authorities[ca_id].certificate, CertificateKind.CA.value, at)
        for responder, _ in responders:
            record_certificate(
                session, responder.ca_id, responder.certificate, CertificateKind.OCSP_RESPONDER.value, at
            )


def _issue_delegate(
    authority: Authority,
    minter: CertificateMinter,
    purpose: str,
    key_algorithm: str,
    at: dt.datetime,
    generation: int,
    kek: WrappingKey,
) -> tuple[DelegatedSigner, StoredKey]:
    """A new delegated signer key for ``purpose`` and its certificate from ``authority``, valid from ``at``
    for its profile's term (never past the CA's end), the key sealed under the store's ``kek``."""
    at = truncate_to_second(at)
    profile, name = _DELEGATIONS[purpose]
    key = _generate_key(key_algorithm, 2048)
    label = _ALGORITHM_LABELS[key_algorithm]
    ca_not_after = authority.certificate.not_valid_after_utc
    not_after = min(profile.validity().not_after(at), ca_not_after)
    certificate = minter.mint(
        profile,
        build_ca_subject(name.format(ca=authority.ca_id.upper(), algorithm=label)),
        key.public_key(),
        at,
        not_after,
    )
    row = StoredKey(
        ca_id=authority.ca_id,
        purpose=purpose,
        generation=generation,
        key_algorithm=key_algorithm,
        certificate_der=certificate.public_bytes(Encoding.DER),
        encrypted_key=kek.seal(key, key_label(authority.ca_id, purpose, generation)),
        not_after=certificate.not_valid_after_utc,
        created_at=at,
    )
    return DelegatedSigner(authority.ca_id, purpose, certificate, key, generation), row


def _generate_key(key_algorithm: str, rsa_key_size: int) -> CaPrivateKey:
    """A fresh CA or responder key: GOST R 34.10-2015 512-bit, ECDSA P-256 or RSA ``rsa_key_size``."""
    if key_algorithm == "gost":
        return gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    if key_algorithm == "ecdsa":
        return keys.generate_private_key(keys.KeyType.P256)
    return keys.generate_private_key(keys.KeyType.RSA4096 if rsa_key_size == 4096 else keys.KeyType.RSA2048)


def _issuer_key(authority: Authority, public_base_url: str) -> IssuerKey:
    return IssuerKey(
        name=subject_of(authority.certificate),
        private_key=authority.private_key,
        key_identifier=authority.key_identifier,
        urls=authority.urls,
        cps_url=cps_url(public_base_url),
    )


def _usable_at(signer: DelegatedSigner, at: dt.datetime) -> bool:
    """Whether ``signer``'s certificate is valid at ``at`` with more than its renewal margin left (one
    issued later than ``at``, by a run of ``kzpki fixtures --at`` a future time, is not: what it signed at
    ``at`` would be dated before its certificate)."""
    margin = _DELEGATIONS[signer.purpose][0].renewal_margin
    assert margin is not None, "every delegated signer's profile has a renewal margin"
    certificate = signer.certificate
    return certificate.not_valid_before_utc <= at and certificate.not_valid_after_utc - at > margin


_T = TypeVar("_T")


def _retry_on_conflict(operation: Callable[[], _T]) -> _T:
    """Run ``operation``; when a concurrent writer won a unique key or held SQLite's lock, run it again.

    The second run loads what the winner wrote. Re-raises the last error after a few attempts.
    """
    for attempt in range(_CREATE_ATTEMPTS):
        try:
            return operation()
        except (IntegrityError, OperationalError):
            if attempt == _CREATE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover
