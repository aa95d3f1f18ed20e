"""Wiring: the one object graph a server process uses, built from :class:`api.config.Settings`.

The verifier never touches the database (architecture.md): it gets revocation data through a
:class:`verifier.revocation.RegistryRevocationSource` whose status read is ca_sim's register
(:class:`RegisterStatusRead`) and whose fallback is an :class:`verifier.InProcessRevocationSource` with
ca_sim's OCSP responder and CRL publisher (the DER any relying party sees at ``/ocsp/`` and ``/crl/``).

Revocation at login (UNIS-11, EDS-18). For a certificate of one of our CAs the verifier reads the status
from the register on every verification: one indexed statement, no cache, so a revoke, hold or release is
in force for every login in every worker of every instance on the database once its call has returned (the
read begins after the change committed, and sees it: SQLite's reads and PostgreSQL's READ COMMITTED).
When the register cannot be read the check is ``revocation_unknown`` and the login refused (fail-closed;
no fallback to a CRL held in memory). The verdict's evidence says ``source: registry`` with the CA, the
instant and the status version read. Before, the verifier asked the in-process OCSP responder and judged
its signed answer: the same register read plus a DER round trip and a signature check per login.
Certificates of other issuers (extra trust anchors) still go to the fallback's CRLs and OCSP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.clock import Clock
from api.config import Settings
from api.database import open_database
from api.observability.metrics import CrlCollector, count_ocsp, count_revocation
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.certstore import CertificateStore
from ca_sim.crl import CrlPublisher, crl_file_name
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.hierarchy import Hierarchy, load_or_create_hierarchy
from ca_sim.issuance import Issuer
from ca_sim.keystore import KeyStore
from ca_sim.ocsp import OcspResponder
from ca_sim.operator_credentials import OperatorCredentials
from ca_sim.operators import OperatorDirectory
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState, CertStatus
from ca_sim.time_stamp_ledger import TimeStampLedger
from ca_sim.timestamping import TimeStampAuthority
from documents.policy import DocumentPolicy
from documents.service import DocumentService
from pki.errors import ErrorCode, NotFound
from pki.keys import certificate_der, load_certificate
from unis.accounts import Accounts
from unis.challenges import derive_challenge_key
from unis.login import LoginService
from unis.policy import LoginPolicy
from unis.records import LoginRecords
from verifier import InProcessRevocationSource, Purpose, VerificationPolicy, Verifier
from verifier.revocation import RegisterState, RegisterStatus, RegistryRevocationSource

# UNIS-11: every login sees the current status (the register is read each time; an OCSP answer asked of the
# fallback, for a certificate the register does not cover, is not reused either).
LOGIN_OCSP_CACHE_TTL = dt.timedelta(0)
STATE_BODIES_CA = "gov"  # DD-8: its civil servants' certificates sign state bodies' documents
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicFile:
    """A CA file served at the URL the certificates name: ``kind`` is ``cert``, ``crl`` or ``delta``."""

    ca_id: str
    kind: str


@dataclass
class Services:
    """Everything the blueprints call. One per process; all members are thread-safe."""

    settings: Settings
    clock: Clock
    sessionmaker: sessionmaker[Session]
    audit: AuditLog
    hierarchy: Hierarchy
    registry: RevocationRegistry
    certificates: CertificateStore
    issuer: Issuer
    operators: OperatorDirectory
    credentials: OperatorCredentials
    ocsp: OcspResponder
    tsa: TimeStampAuthority
    crls: CrlPublisher
    login_verifier: Verifier
    document_verifier: Verifier
    logins: LoginService
    accounts: Accounts
    login_records: LoginRecords
    documents: DocumentService
    public_files: dict[str, PublicFile]
    crl_metrics: CrlCollector


class CrlFeed:
    """The CRL side of the in-process revocation source: our CAs' current full and delta CRLs."""

    def __init__(self, hierarchy: Hierarchy, publisher: CrlPublisher) -> None:
        self._ca_ids = {a.certificate: ca_id for ca_id, a in hierarchy.authorities.items()}
        self._publisher = publisher

    def __call__(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> list[bytes]:
        """The full and delta CRL of the CA ``issuer`` (empty for an issuer that is not one of ours)."""
        ca_id = self._ca_ids.get(issuer)
        if ca_id is None:
            return []
        return [self._publisher.current(ca_id, kind, at).der for kind in (CrlKind.FULL, CrlKind.DELTA)]


class RegisterStatusRead:
    """The verifier's register read (:data:`verifier.revocation.RegisterRead`): the status of a certificate
    of one of our CAs in ``registry``, as of the validation time, with the status version it reflects.

    Returns None for an issuer that is not one of ``hierarchy``'s CAs. Raises NotFound
    (``revocation_unavailable``) when the database cannot be read (the verifier then fails closed); the
    database's error is logged without its text (it may name the database URL).
    """

    def __init__(self, hierarchy: Hierarchy, registry: RevocationRegistry) -> None:
        self._ca_ids = {a.certificate: ca_id for ca_id, a in hierarchy.authorities.items()}
        self._registry = registry

    def __call__(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> RegisterStatus | None:
        ca_id = self._ca_ids.get(issuer)
        if ca_id is None:
            return None
        der = certificate_der(certificate)
        try:
            status, version = self._registry.certificate_status(ca_id, der, certificate.serial_number, at)
        except SQLAlchemyError as exc:
            _LOG.warning("the revocation register could not be read: %s", type(exc).__name__)
            raise NotFound(
                ErrorCode.REVOCATION_UNAVAILABLE, "the revocation register could not be read"
            ) from None
        return _register_status(status, version, at, f"registry:{ca_id}")


def _register_status(status: CertStatus, version: int, at: dt.datetime, location: str) -> RegisterStatus:
    if status.state is CertState.UNKNOWN:
        return RegisterStatus(RegisterState.NOT_ISSUED, version, at, location)
    if status.state is CertState.GOOD:
        return RegisterStatus(RegisterState.GOOD, version, at, location)
    assert status.reason is not None
    state = RegisterState.ON_HOLD if status.on_hold else RegisterState.REVOKED
    return RegisterStatus(state, version, at, location, status.revocation_time, status.reason.name)


def build_services(settings: Settings, clock: Clock, *, login_policy: LoginPolicy | None = None) -> Services:
    """Open the database, load (or create, on first start) the CA hierarchy and wire everything."""
    sm = open_database(settings.database_url)
    now = clock()
    audit = AuditLog(sm, derive_head_key(settings.ca_passphrase))
    hierarchy = load_or_create_hierarchy(
        sm, settings.ca_passphrase, settings.public_base_url, now, settings.key_algorithm
    )
    registry = RevocationRegistry(sm, audit)
    registry.add_listener(_count_change)  # the one place revocations and holds (API, console) are counted
    ocsp = OcspResponder(hierarchy, registry)
    crls = CrlPublisher(hierarchy.authorities, registry, settings.home / "crl", audit=audit)
    anchors = (
        certificate_der(hierarchy.root.certificate),
        *(_read_der(p) for p in settings.extra_anchor_paths),
    )
    intermediates = tuple(
        certificate_der(a.certificate) for ca_id, a in hierarchy.authorities.items() if ca_id != "root"
    )
    policy = VerificationPolicy(
        trust_anchors=anchors,
        purpose=Purpose.LOGIN,
        intermediates=intermediates,
        test_pki=settings.test_pki,
        ocsp_nonce=False,
        ocsp_cache_ttl=LOGIN_OCSP_CACHE_TTL,
        max_signature_bytes=settings.max_body_bytes,
    )
    published = InProcessRevocationSource(crls=CrlFeed(hierarchy, crls), ocsp=_counted(ocsp))
    login_verifier = Verifier(
        policy, RegistryRevocationSource(RegisterStatusRead(hierarchy, registry), fallback=published)
    )
    document_verifier = login_verifier.with_policy(dataclasses.replace(policy, purpose=Purpose.DOCUMENT))
    return Services(
        settings=settings,
        clock=clock,
        sessionmaker=sm,
        audit=audit,
        hierarchy=hierarchy,
        registry=registry,
        certificates=CertificateStore(sm),
        issuer=Issuer(hierarchy, sm, audit),
        operators=OperatorDirectory(
            sm,
            audit,
            test_mode=settings.test_pki,
            token_lifetime=dt.timedelta(days=settings.operator_token_days),
        ),
        credentials=OperatorCredentials(
            sm, audit, KeyStore(sm).wrapping_key(settings.ca_passphrase), settings.ca_passphrase
        ),
        ocsp=ocsp,
        tsa=TimeStampAuthority(hierarchy, TimeStampLedger(sm)),
        crls=crls,
        login_verifier=login_verifier,
        document_verifier=document_verifier,
        logins=LoginService(
            sm,
            login_verifier,
            login_policy or LoginPolicy(),
            challenge_key=derive_challenge_key(settings.ca_passphrase),
            biometric_services=_read_certificates(settings.biometric_certificate_paths),
        ),
        accounts=Accounts(sm),
        login_records=LoginRecords(sm),
        documents=DocumentService(
            sm,
            document_verifier,
            DocumentPolicy(
                state_body_cas=frozenset({_sha256(hierarchy.authorities[STATE_BODIES_CA].certificate)}),
                state_organisation_bins=settings.state_organisation_bins,
            ),
            test_identities=settings.test_pki,
        ),
        public_files=_public_files(hierarchy),
        crl_metrics=CrlCollector(registry, hierarchy.authorities),
    )


def _count_change(ca_id: str, serial: int, ground: Ground | None) -> None:
    """A committed register change as ``kzpki_revocations_total``: a revocation or hold on its ground (a
    release is not counted)."""
    if ground is not None:
        count_revocation(ground)


def _counted(responder: OcspResponder) -> Callable[[bytes, dt.datetime], bytes]:
    """``responder.respond`` for the login verifier, counting each answer as an ``in_process`` request."""

    def respond(request_der: bytes, at: dt.datetime) -> bytes:
        answer, use = responder.answer(request_der, at)
        count_ocsp(use, "in_process")
        return answer

    return respond


def _public_files(hierarchy: Hierarchy) -> dict[str, PublicFile]:
    """File name in the URL (``nca_rsa.cer``, ``nca_rsa.crl``, ``nca_d_rsa.crl``) -> what it is."""
    files: dict[str, PublicFile] = {}
    for ca_id, authority in hierarchy.authorities.items():
        files[Path(authority.urls.cert_url).name] = PublicFile(ca_id, "cert")
        files[crl_file_name(authority, CrlKind.FULL)] = PublicFile(ca_id, "crl")
        files[crl_file_name(authority, CrlKind.DELTA)] = PublicFile(ca_id, "delta")
    return files


def _sha256(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate_der(certificate)).hexdigest()


def _read_der(path: Path) -> bytes:
    return certificate_der(load_certificate(path.read_bytes()))


def _read_certificates(paths: Sequence[Path]) -> list[x509.Certificate]:
    return [load_certificate(p.read_bytes()) for p in paths]
