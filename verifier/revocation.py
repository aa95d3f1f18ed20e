"""Revocation: where the answers come from (sources) and how they are judged (the checker).

Sources (the verifier never reads the CA database, architecture.md):

- :class:`HttpRevocationSource` speaks HTTP to the URLs in the certificate, as a relying party
  of the real NCA does: only allow-listed hosts, timeouts, response size caps, no redirects;
- :class:`StaticRevocationSource` answers from CRL / OCSP DER blobs given up front (CLI, tests,
  the real NCA test material);
- :class:`InProcessRevocationSource` calls functions that produce DER (api/ wires it to ca_sim).

Judging (:class:`RevocationChecker`), rules EDS-18 and UNIS-11:

- each CRL is validated ONCE per (issuer, CRL number) when first seen, by pyhanko-certvalidator
  (signature, issuer, scope, freshness, delta requirement), then parsed ONCE into a serial index;
  every later check is a dictionary lookup plus a freshness comparison;
- delta CRLs are merged with their base (baseCRLNumber <= the full CRL's number); an entry in
  the delta wins; removeFromCRL releases a hold; certificateHold means ``on_hold``;
- each OCSP response is checked when fetched, following RFC 6960 3.2 and 4.2.2.2 as
  pyhanko-certvalidator does (signature; responder = the CA, or a delegate the CA issued with
  OCSPSigning, valid, and unless it carries id-pkix-ocsp-nocheck not revoked; CertID; freshness from
  thisUpdate when nextUpdate is absent), our nonce must be echoed, and the answer is reused for
  ``policy.ocsp_cache_ttl``. This one is done here, not by pyhanko-certvalidator, because the real
  NCA's responder certificate cannot be parsed by it (see :meth:`RevocationChecker._load_ocsp`);
  the differential tests show both agree wherever it can;
- the order and the fallbacks mirror pyhanko-certvalidator's explicit rules (CRL_OR_OCSP_REQUIRED,
  OCSP_REQUIRED, CRL_REQUIRED), so the fast path and a full validation agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from asn1crypto import algos as asn1_algos
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.core import OctetString
from asn1crypto.core import Sequence as Asn1Sequence
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as crypto_ocsp
from pyhanko_certvalidator.errors import (
    CRLNoMatchesError,
    CRLValidationError,
    CRLValidationIndeterminateError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.policy_decl import FRESHNESS_FALLBACK_VALIDITY_DEFAULT, RevocationCheckingRule
from pyhanko_certvalidator.revinfo.constants import KNOWN_CRL_EXTENSIONS
from pyhanko_certvalidator.revinfo.validate_crl import verify_crl

from pki import oids
from pki.errors import InvalidInput, KzPkiError, NotFound, UnsupportedAlgorithm
from pki.reasons import Reason
from pki.signatures import verify_signature
from verifier.certificate import Cert, issued_by_key
from verifier.pkix import Authority, make_context, run
from verifier.policy import RevocationMethods, VerificationPolicy
from verifier.verdict import Notice, RevocationEvidence

# ----------------------------------------------------------------------------------------------
# Sources
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcspAnswer:
    """An OCSP response and the nonce of the request that produced it.

    ``nonce`` is None when no request was sent by us (a recorded response): then there is no
    nonce to compare and freshness alone decides.
    """

    response: bytes
    nonce: bytes | None
    location: str


class RevocationSource(Protocol):
    """Where revocation data comes from. Implementations return DER; the verifier judges it.

    Both methods get the certificate being checked, its issuer and the validation time ``at``
    (an in-process source answers "as of" ``at``; an HTTP source answers now). They return
    nothing (empty / None) when they have no data, and raise a :class:`pki.errors.KzPkiError`
    (e.g. NotFound ``revocation_unavailable``) when fetching failed; the verifier reports either
    as ``revocation_unknown``.
    """

    name: str

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        """The full CRL(s) and delta CRL(s) that cover ``certificate``, DER."""
        ...

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        """An OCSP response about ``certificate``, asked with ``nonce`` when the source sends requests."""
        ...


def build_ocsp_request(certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None) -> bytes:
    """A DER OCSP request (SHA-256 CertID, as the NCA answers) with the RFC 8954 nonce when given."""
    builder = crypto_ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA256())
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


class StaticRevocationSource:
    """Answers from DER blobs given up front; sends no requests (so OCSP answers carry no nonce of ours)."""

    name = "static"

    def __init__(self, crls: Sequence[bytes] = (), ocsp_responses: Sequence[bytes] = ()) -> None:
        self._crls = [(read_crl_header(der), der) for der in crls]
        self._ocsp = [(_serials_of_ocsp(der), der) for der in ocsp_responses]

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        name = issuer.subject.public_bytes()
        found = [der for header, der in self._crls if header.issuer_der == name]
        if found:
            return found
        key = _name_key(issuer.subject)  # the same name encoded differently
        return [der for header, der in self._crls if header.issuer_key == key]

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        for serials, der in self._ocsp:
            if certificate.serial_number in serials:
                return OcspAnswer(der, None, self.name)
        return None


class InProcessRevocationSource:
    """Calls functions that build the DER in the same process (e.g. ca_sim's CRL builder and OCSP responder).

    ``crls(certificate, issuer, at)`` returns the CRLs covering ``certificate``;
    ``ocsp(request_der, at)`` answers an OCSP request (the verifier's nonce is in the request).
    """

    name = "in-process"

    def __init__(
        self,
        crls: Callable[[x509.Certificate, x509.Certificate, dt.datetime], Sequence[bytes]] | None = None,
        ocsp: Callable[[bytes, dt.datetime], bytes] | None = None,
    ) -> None:
        self._crls = crls
        self._ocsp = ocsp

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        return [] if self._crls is None else self._crls(certificate, issuer, at)

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        if self._ocsp is None:
            return None
        request = build_ocsp_request(certificate, issuer, nonce)
        return OcspAnswer(self._ocsp(request, at), nonce, self.name)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere: refuse it (the allow-list names hosts, not their redirects)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


@dataclass
class _CachedDownload:
    data: bytes
    fetched_at: dt.datetime
    next_update: dt.datetime | None


class HttpRevocationSource:
    """Fetches CRLs and OCSP answers from the URLs in the certificate, over HTTP(S).

    Only URLs whose host is in ``allowed_hosts`` are used (a certificate must not make us fetch
    arbitrary URLs). Each request has ``timeout`` seconds; bodies larger than ``max_crl_bytes``
    / ``max_ocsp_bytes`` are refused. A downloaded CRL is reused until its nextUpdate, and at
    most ``crl_refresh`` (then fetched again to pick up a newer one). Fetch failures raise
    NotFound(``revocation_unavailable``) naming the URLs tried.
    """

    name = "http"

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        timeout: float = 5.0,
        max_crl_bytes: int = 64 * 1024 * 1024,
        max_ocsp_bytes: int = 256 * 1024,
        crl_refresh: dt.timedelta = dt.timedelta(minutes=5),
    ) -> None:
        self._hosts = frozenset(h.lower() for h in allowed_hosts)
        self._timeout = timeout
        self._max_crl = max_crl_bytes
        self._max_ocsp = max_ocsp_bytes
        self._refresh = crl_refresh
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._crl_cache: dict[str, _CachedDownload] = {}
        self._lock = threading.Lock()

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        urls = _distribution_point_urls(certificate, x509.CRLDistributionPoints) + _distribution_point_urls(
            certificate, x509.FreshestCRL
        )
        found: list[bytes] = []
        problems: list[str] = []
        for url in self._allowed(urls, problems):
            try:
                found.append(self._crl(url, at))
            except (OSError, ValueError) as exc:
                problems.append(f"{url}: {exc}")
        if not found and problems:
            raise NotFound("revocation_unavailable", "no CRL could be fetched: " + "; ".join(problems))
        return found

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        problems: list[str] = []
        urls = self._allowed(_ocsp_urls(certificate), problems)
        if not urls:
            if problems:
                raise NotFound("revocation_unavailable", "; ".join(problems))
            return None
        request = build_ocsp_request(certificate, issuer, nonce)
        for url in urls:
            try:
                body = self._download(url, self._max_ocsp, request, "application/ocsp-request")
            except (OSError, ValueError) as exc:
                problems.append(f"{url}: {exc}")
                continue
            return OcspAnswer(body, nonce, url)
        raise NotFound("revocation_unavailable", "no OCSP responder answered: " + "; ".join(problems))

    def _allowed(self, urls: list[str], problems: list[str]) -> list[str]:
        allowed = []
        for url in urls:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self._hosts:
                allowed.append(url)
            else:
                problems.append(f"{url}: host not in the allow-list")
        return allowed

    def _crl(self, url: str, at: dt.datetime) -> bytes:
        with self._lock:
            cached = self._crl_cache.get(url)
        if cached is not None and cached.fetched_at <= at < cached.fetched_at + self._refresh:
            if cached.next_update is None or at <= cached.next_update:
                return cached.data
        data = self._download(url, self._max_crl, None, None)
        next_update = _crl_next_update(data)
        with self._lock:
            self._crl_cache[url] = _CachedDownload(data, at, next_update)
        return data

    def _download(self, url: str, limit: int, body: bytes | None, content_type: str | None) -> bytes:
        request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")  # noqa: S310 - scheme checked in _allowed
        if content_type:
            request.add_header("Content-Type", content_type)
        with self._opener.open(request, timeout=self._timeout) as response:
            if response.status != 200:
                raise ValueError(f"HTTP status {response.status}")
            data = response.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"response larger than {limit} bytes")
        return bytes(data)


# ----------------------------------------------------------------------------------------------
# Judging
# ----------------------------------------------------------------------------------------------


class RevocationStatus(StrEnum):
    GOOD = "good"
    REVOKED = "revoked"
    ON_HOLD = "on_hold"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RevocationOutcome:
    """The status used for a decision. ``reason`` is set for every status but GOOD."""

    status: RevocationStatus
    reason: Reason | None
    message: str
    evidence: RevocationEvidence | None = None
    warnings: tuple[Notice, ...] = ()
    matched: bool = True  # False: the method had no answer about this certificate at all


_NO_ANSWER = RevocationOutcome(
    RevocationStatus.UNKNOWN, Reason.REVOCATION_UNKNOWN, "no answer", matched=False
)

# Extensions a delegated responder certificate may mark critical (RFC 5280 ones we process or ignore safely).
_RESPONDER_EXTENSIONS = frozenset(
    {
        oids.EXT_SUBJECT_KEY_IDENTIFIER,
        oids.EXT_KEY_USAGE,
        oids.EXT_SUBJECT_ALT_NAME,
        oids.EXT_BASIC_CONSTRAINTS,
        oids.EXT_CRL_DISTRIBUTION_POINTS,
        oids.EXT_CERTIFICATE_POLICIES,
        oids.EXT_AUTHORITY_KEY_IDENTIFIER,
        oids.EXT_EXTENDED_KEY_USAGE,
        oids.EXT_FRESHEST_CRL,
        oids.EXT_OCSP_NOCHECK,
        oids.EXT_AUTHORITY_INFO_ACCESS,
    }
)

_KNOWN_ENTRY_EXTENSIONS = frozenset(
    {"2.5.29.21", "2.5.29.23", "2.5.29.24"}
)  # reason, hold code, invalidity date


@dataclass(frozen=True)
class CrlHeader:
    issuer_der: bytes
    issuer_key: str
    authority_key_id: bytes | None
    number: int | None
    base_number: int | None  # baseCRLNumber: set only for a delta CRL
    this_update: dt.datetime
    next_update: dt.datetime | None
    has_freshest_crl: bool
    unknown_critical: frozenset[str]
    scope_urls: frozenset[str] | None  # IssuingDistributionPoint full-name URIs; None: no IDP name
    limited_scope: bool  # IDP restricts to CA / attribute certs, some reasons or is indirect

    @property
    def is_delta(self) -> bool:
        return self.base_number is not None


@dataclass(frozen=True)
class CrlIndex:
    """A validated CRL parsed once: serial -> position of its entry (entry details read on a hit only)."""

    header: CrlHeader
    positions: dict[int, int]
    crl: x509.CertificateRevocationList

    def lookup(self, serial: int) -> tuple[dt.datetime, str] | None:
        """(revocation time, RFC 5280 reason name) for ``serial``, or None when not listed.

        Raises InvalidInput(``crl_entry``) when the entry carries an unknown critical extension.
        """
        position = self.positions.get(serial)
        if position is None:
            return None
        entry = self.crl[position]
        reason = "unspecified"
        for extension in entry.extensions:
            if extension.critical and extension.oid.dotted_string not in _KNOWN_ENTRY_EXTENSIONS:
                raise InvalidInput("crl_entry", "the CRL entry has an unknown critical extension")
            if isinstance(extension.value, x509.CRLReason):
                reason = _REASON_NAMES.get(extension.value.reason, "unspecified")
        return entry.revocation_date_utc, reason


@dataclass(frozen=True)
class _Unusable:
    reason: Reason
    message: str


_REASON_NAMES = {
    x509.ReasonFlags.unspecified: "unspecified",
    x509.ReasonFlags.key_compromise: "key_compromise",
    x509.ReasonFlags.ca_compromise: "ca_compromise",
    x509.ReasonFlags.affiliation_changed: "affiliation_changed",
    x509.ReasonFlags.superseded: "superseded",
    x509.ReasonFlags.cessation_of_operation: "cessation_of_operation",
    x509.ReasonFlags.certificate_hold: "certificate_hold",
    x509.ReasonFlags.privilege_withdrawn: "privilege_withdrawn",
    x509.ReasonFlags.aa_compromise: "aa_compromise",
    x509.ReasonFlags.remove_from_crl: "remove_from_crl",
}


@dataclass(frozen=True)
class _OcspRecord:
    """A validated OCSP answer, reusable for ``ocsp_cache_ttl`` while fresh."""

    status: RevocationStatus
    revocation_time: dt.datetime | None
    reason: str | None
    this_update: dt.datetime
    next_update: dt.datetime | None
    produced_at: dt.datetime | None
    fetched_at: dt.datetime
    location: str
    nonce_verified: bool
    response_sha256: bytes
    # The delegated responder's validity when its authorisation needs nothing time-dependent but that
    # (the CA itself: None bounds; a delegate with id-pkix-ocsp-nocheck); None: re-validate every time.
    responder_window: tuple[dt.datetime | None, dt.datetime | None] | None


class RevocationChecker:
    """Decides a leaf certificate's revocation status at ``at`` from a :class:`RevocationSource`.

    Holds the CRL indexes and the OCSP answer cache; safe to share between threads.
    """

    _IDENTITY_SLOTS = 64

    def __init__(self, policy: VerificationPolicy, source: RevocationSource) -> None:
        self._policy = policy
        self._source = source
        self._indexes: dict[tuple[bytes, object, bool], CrlIndex] = {}
        self._by_identity: dict[tuple[int, bytes], tuple[bytes, CrlIndex | _Unusable | None]] = {}
        self._ocsp: dict[tuple[bytes, int], _OcspRecord] = {}
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    @property
    def source(self) -> RevocationSource:
        return self._source

    def with_policy(self, policy: VerificationPolicy) -> RevocationChecker:
        """A checker for another policy sharing this one's CRL indexes and OCSP answers."""
        clone = RevocationChecker(policy, self._source)
        clone._indexes, clone._by_identity, clone._ocsp = self._indexes, self._by_identity, self._ocsp
        clone._lock, clone._load_lock = self._lock, self._load_lock
        return clone

    def check(self, leaf: Cert, authority: Authority, at: dt.datetime) -> RevocationOutcome:
        """The status of ``leaf`` (issued by ``authority``) at ``at``, by the policy's methods.

        Mirrors pyhanko-certvalidator's rules: OCSP first when the certificate names a responder
        (a revoked answer decides at once, a good one ends the check unless only CRLs count),
        then the CRL; a good CRL answer outweighs an unusable OCSP one.
        """
        methods = self._policy.revocation_methods
        failures: list[RevocationOutcome] = []
        if methods is not RevocationMethods.CRL and leaf.ocsp_urls:
            outcome = self._check_ocsp(leaf, authority, at)
            if outcome.status is not RevocationStatus.UNKNOWN:
                return outcome
            failures.append(outcome)
        elif methods is RevocationMethods.OCSP:
            failures.append(
                dataclasses.replace(
                    _NO_ANSWER, message="the certificate names no OCSP responder", matched=True
                )
            )
        if methods is not RevocationMethods.OCSP:
            outcome = self._check_crl(leaf, authority, at)
            if outcome.status is not RevocationStatus.UNKNOWN:
                return outcome
            failures.append(outcome)
        matched = [f for f in failures if f.matched] or failures
        message = "; ".join(f.message for f in matched)
        first = matched[0]
        return RevocationOutcome(
            RevocationStatus.UNKNOWN, first.reason, message, first.evidence, first.warnings
        )

    # --- OCSP -----------------------------------------------------------------------------------

    def _check_ocsp(self, leaf: Cert, authority: Authority, at: dt.datetime) -> RevocationOutcome:
        key = (authority.cert.sha256, leaf.serial)
        cached = self._ocsp.get(key)
        if cached is not None and self._reusable(cached, at):
            return self._ocsp_outcome(cached, at, from_cache=True)
        nonce = os.urandom(16) if self._policy.ocsp_nonce else None
        try:
            answer = self._source.fetch_ocsp(leaf.crypto, authority.cert.crypto, nonce, at)
        except KzPkiError as exc:
            return RevocationOutcome(
                RevocationStatus.UNKNOWN, Reason.REVOCATION_UNKNOWN, f"OCSP: {exc.message}"
            )
        if answer is None:
            return dataclasses.replace(_NO_ANSWER, message="OCSP: no response available")
        response_sha256 = hashlib.sha256(answer.response).digest()
        if (
            answer.nonce is None
            and cached is not None
            and self._same_response_still_valid(cached, response_sha256, at)
        ):
            # the very response validated before (e.g. a responder's pre-signed answer): only time moved
            record: _OcspRecord | RevocationOutcome = dataclasses.replace(cached, fetched_at=at)
        else:
            record = self._load_ocsp(answer, leaf, authority, at)
        if isinstance(record, RevocationOutcome):
            return record
        self._ocsp[key] = record
        return self._ocsp_outcome(record, at, from_cache=False)

    def _same_response_still_valid(
        self, record: _OcspRecord, response_sha256: bytes, at: dt.datetime
    ) -> bool:
        if record.response_sha256 != response_sha256 or record.responder_window is None:
            return False
        skew = self._policy.max_clock_skew
        not_before, not_after = record.responder_window
        responder_valid = (not_before is None or at + skew >= not_before) and (
            not_after is None or at - skew <= not_after
        )
        return (
            responder_valid
            and at + skew >= record.this_update
            and self._fresh(record.this_update, record.next_update, at, self._policy.ocsp_max_age)
        )

    def _reusable(self, record: _OcspRecord, at: dt.datetime) -> bool:
        return record.fetched_at <= at <= record.fetched_at + self._policy.ocsp_cache_ttl and self._fresh(
            record.this_update, record.next_update, at, self._policy.ocsp_max_age
        )

    def _ocsp_outcome(self, record: _OcspRecord, at: dt.datetime, *, from_cache: bool) -> RevocationOutcome:
        status = record.status
        if (
            status is not RevocationStatus.GOOD
            and record.revocation_time is not None
            and record.revocation_time > at
        ):
            status = (
                RevocationStatus.UNKNOWN
            )  # revoked after `at`: pyhanko-certvalidator gives no verdict either
        evidence = RevocationEvidence(
            source="ocsp",
            location=record.location,
            status=status.value,
            this_update=record.this_update,
            next_update=record.next_update,
            produced_at=record.produced_at,
            revocation_time=record.revocation_time,
            reason=record.reason,
            nonce_verified=record.nonce_verified,
            from_cache=from_cache,
        )
        return _outcome(status, evidence, "OCSP")

    def _load_ocsp(
        self, answer: OcspAnswer, leaf: Cert, authority: Authority, at: dt.datetime
    ) -> _OcspRecord | RevocationOutcome:
        """RFC 6960 3.2 on one response: CertID, nonce, freshness, responder authorisation, signature.

        Done here rather than by pyhanko-certvalidator: the real NCA's responder certificate
        carries id-pkix-ocsp-nocheck with an empty value instead of NULL, which neither
        asn1crypto nor ``cryptography`` parse, so pyhanko-certvalidator cannot read the NCA's
        responses at all. The differential test shows both agree wherever pyhanko can parse.
        """
        try:
            parsed = _parse_ocsp(answer.response)
        except InvalidInput as exc:
            return _invalid(f"OCSP: {exc.message}")
        if parsed.status != "successful":
            return RevocationOutcome(
                RevocationStatus.UNKNOWN,
                Reason.REVOCATION_UNKNOWN,
                f"OCSP: the responder answered {parsed.status}",
            )
        single = _matching_single_response(parsed, leaf, authority.cert)
        if isinstance(single, RevocationOutcome):
            return single
        nonce_verified = False
        if answer.nonce is not None:
            if parsed.nonce is None or parsed.nonce not in (answer.nonce, _octet_string(answer.nonce)):
                return _invalid("OCSP: the response does not echo our nonce (replayed or forged)")
            nonce_verified = True
        this_update, next_update = single["this_update"].native, single["next_update"].native
        if at + self._policy.max_clock_skew < this_update:
            return RevocationOutcome(
                RevocationStatus.UNKNOWN,
                Reason.REVOCATION_UNKNOWN,
                "OCSP: the response is newer than the validation time",
            )
        if not self._fresh(this_update, next_update, at, self._policy.ocsp_max_age):
            return RevocationOutcome(
                RevocationStatus.UNKNOWN,
                Reason.REVOCATION_STALE,
                f"OCSP: the response of {this_update.isoformat()} is not fresh at the validation time",
            )
        responder = self._authorised_responder(parsed, authority, at)
        if isinstance(responder, str):
            return _invalid(f"OCSP: {responder}")
        try:
            valid = verify_signature(
                responder.spki_der, parsed.signature_algorithm, parsed.tbs, parsed.signature
            )
        except (UnsupportedAlgorithm, InvalidInput) as exc:
            return _invalid(f"OCSP: the response signature cannot be checked: {exc.message}")
        if not valid:
            return _invalid("OCSP: the response signature does not verify (forged or altered)")
        status_name = single["cert_status"].name
        revocation_time = reason = None
        if status_name == "good":
            status = RevocationStatus.GOOD
        elif status_name == "revoked":
            info = single["cert_status"].chosen
            revocation_time = info["revocation_time"].native
            reason = info["revocation_reason"].native or "unspecified"
            status = RevocationStatus.ON_HOLD if reason == "certificate_hold" else RevocationStatus.REVOKED
            if reason == "certificate_hold" and revocation_time == NOT_ISSUED_TIME:
                status = RevocationStatus.REVOKED  # RFC 6960 2.2: a serial the CA never issued
        else:
            return RevocationOutcome(
                RevocationStatus.UNKNOWN,
                Reason.REVOCATION_UNKNOWN,
                "OCSP: the responder does not know the certificate",
            )
        return _OcspRecord(
            status=status,
            revocation_time=revocation_time,
            reason=reason,
            this_update=this_update,
            next_update=next_update,
            produced_at=parsed.produced_at,
            fetched_at=at,
            location=answer.location,
            nonce_verified=nonce_verified,
            response_sha256=hashlib.sha256(answer.response).digest(),
            responder_window=_responder_window(responder, authority.cert),
        )

    def _authorised_responder(self, parsed: _ParsedOcsp, authority: Authority, at: dt.datetime) -> Cert | str:
        """The certificate that signed the response, if it may answer for ``authority`` (RFC 6960 4.2.2.2).

        Either the CA itself, or a delegate the CA issued with the OCSPSigning EKU, valid at
        ``at``, without unknown critical extensions and, unless it carries id-pkix-ocsp-nocheck,
        not revoked according to the CA's CRL. Returns a problem description otherwise.
        """
        ca = authority.cert
        responder = next((c for c in [*parsed.certs, ca] if _is_responder(c, parsed)), None)
        if responder is None:
            return "the responder's certificate is not available"
        if responder.spki_der == ca.spki_der and (
            responder.subject_der == ca.subject_der or responder.subject_key == ca.subject_key
        ):
            return ca
        if not responder.issued_by_name(ca):
            return "the responder is neither the CA nor a delegate issued by it (unauthorised responder)"
        extensions = responder.raw_extensions
        eku = extensions.get(oids.EXT_EXTENDED_KEY_USAGE)
        purposes = [] if eku is None else [p.dotted for p in asn1_x509.ExtKeyUsageSyntax.load(eku[1])]
        if oids.EKU_OCSP_SIGNING not in purposes:
            return "the responder certificate lacks the OCSPSigning EKU (unauthorised responder)"
        unknown = sorted(
            oid for oid, (critical, _) in extensions.items() if critical and oid not in _RESPONDER_EXTENSIONS
        )
        if unknown:
            return f"the responder certificate has unsupported critical extension(s) {unknown}"
        try:
            signed = issued_by_key(ca.spki_der, responder.der)
        except (UnsupportedAlgorithm, InvalidInput) as exc:
            return f"the responder certificate's signature cannot be checked: {exc.message}"
        if not signed:
            return "the responder certificate is not signed by the CA (unauthorised responder)"
        skew = self._policy.max_clock_skew
        if at + skew < responder.not_before or at - skew > responder.not_after:
            return "the responder certificate is not valid at the validation time"
        if oids.EXT_OCSP_NOCHECK not in extensions:
            status = self._check_crl(responder, authority, at)
            if status.status is not RevocationStatus.GOOD:
                return f"the responder certificate's own status: {status.message}"
        return responder

    # --- CRL ------------------------------------------------------------------------------------

    def _fetch_crls_quietly(self, leaf: Cert, authority: Authority, at: dt.datetime) -> Sequence[bytes]:
        try:
            return self._source.fetch_crls(leaf.crypto, authority.cert.crypto, at)
        except KzPkiError:
            return ()

    def _check_crl(self, leaf: Cert, authority: Authority, at: dt.datetime) -> RevocationOutcome:
        try:
            ders = self._source.fetch_crls(leaf.crypto, authority.cert.crypto, at)
        except KzPkiError as exc:
            return RevocationOutcome(
                RevocationStatus.UNKNOWN, Reason.REVOCATION_UNKNOWN, f"CRL: {exc.message}"
            )
        loaded = [self._index(der, ders, leaf, authority, at) for der in ders]
        unusable = [item for item in loaded if isinstance(item, _Unusable)]
        indexes = [item for item in loaded if isinstance(item, CrlIndex) and self._in_scope(item, leaf)]
        fulls = [i for i in indexes if not i.header.is_delta]
        if not fulls:
            if unusable:
                return RevocationOutcome(
                    RevocationStatus.UNKNOWN, unusable[0].reason, f"CRL: {unusable[0].message}"
                )
            return dataclasses.replace(_NO_ANSWER, message="CRL: no CRL issued by the certificate's issuer")
        full = max(fulls, key=lambda i: i.header.number or 0)
        warnings: list[Notice] = []
        delta = self._matching_delta(full, indexes, at, warnings)
        if full.header.has_freshest_crl and delta is None and not warnings:
            return RevocationOutcome(
                RevocationStatus.UNKNOWN,
                Reason.REVOCATION_UNKNOWN,
                "CRL: the full CRL requires a delta CRL (Freshest CRL) and none is available",
            )
        try:
            entry = delta.lookup(leaf.serial) if delta is not None else None
            if entry is None:
                entry = full.lookup(leaf.serial)
        except InvalidInput as exc:
            return _invalid(f"CRL: {exc.message}")
        status, revocation_time, reason = RevocationStatus.GOOD, None, None
        if entry is not None and entry[1] != "remove_from_crl" and entry[0] < at:
            revocation_time, reason = entry
            status = RevocationStatus.ON_HOLD if reason == "certificate_hold" else RevocationStatus.REVOKED
        evidence = RevocationEvidence(
            source="crl",
            location=self._source.name,
            status=status.value,
            this_update=full.header.this_update,
            next_update=full.header.next_update,
            crl_number=full.header.number,
            delta_crl_number=None if delta is None else delta.header.number,
            revocation_time=revocation_time,
            reason=reason,
        )
        return dataclasses.replace(_outcome(status, evidence, "CRL"), warnings=tuple(warnings))

    def _matching_delta(
        self, full: CrlIndex, indexes: list[CrlIndex], at: dt.datetime, warnings: list[Notice]
    ) -> CrlIndex | None:
        candidates = [
            i
            for i in indexes
            if i.header.is_delta
            and i.header.authority_key_id == full.header.authority_key_id
            and (i.header.base_number or 0) <= (full.header.number or 0)
        ]
        fresh = [
            i
            for i in candidates
            if self._fresh(i.header.this_update, i.header.next_update, at, FRESHNESS_FALLBACK)
        ]
        if candidates and not fresh:
            warnings.append(
                Notice("delta_crl_stale", "the delta CRL is past its nextUpdate and was not used")
            )
        return max(fresh, key=lambda i: i.header.number or 0) if fresh else None

    def _in_scope(self, index: CrlIndex, leaf: Cert) -> bool:
        urls = index.header.scope_urls
        return urls is None or bool(urls.intersection(leaf.crl_urls))

    def _index(
        self, der: bytes, batch: Sequence[bytes], leaf: Cert, authority: Authority, at: dt.datetime
    ) -> CrlIndex | _Unusable | None:
        """The index of ``der`` if it is a usable CRL of ``authority`` at ``at``; None for another CA's."""
        identity = (id(der), authority.cert.sha256)
        remembered = self._by_identity.get(identity)
        if remembered is not None and remembered[0] is der:
            result = remembered[1]
            if not isinstance(result, CrlIndex):
                return result
            return result if self._usable_at(result.header, at) else self._stale(result.header, at)
        try:
            header = read_crl_header(der)
        except InvalidInput as exc:
            return self._remember(identity, der, _Unusable(Reason.REVOCATION_INVALID, exc.message))
        if (
            header.issuer_der != authority.cert.subject_der
            and header.issuer_key != authority.cert.subject_key
        ) or (
            header.authority_key_id is not None
            and authority.cert.key_identifier is not None
            and header.authority_key_id != authority.cert.key_identifier
        ):
            return self._remember(identity, der, None)
        key = (
            authority.cert.sha256,
            header.number if header.number is not None else hashlib.sha256(der).digest(),
            header.is_delta,
        )
        index = self._indexes.get(key)
        if index is None:
            if not self._usable_at(header, at):
                return self._stale(header, at)
            with self._load_lock:  # one load at a time: a 20 MB CRL is parsed once, not once per thread
                index = self._indexes.get(key)
                if index is None:
                    loaded = self._validate_and_index(der, header, batch, leaf, authority, at)
                    if isinstance(loaded, _Unusable):
                        # not remembered: the verdict may change with the rest of the batch (a delta)
                        return loaded
                    self._indexes[key] = index = loaded
        self._remember(identity, der, index)
        return index if self._usable_at(header, at) else self._stale(header, at)

    def _validate_and_index(
        self,
        der: bytes,
        header: CrlHeader,
        batch: Sequence[bytes],
        leaf: Cert,
        authority: Authority,
        at: dt.datetime,
    ) -> CrlIndex | _Unusable:
        if header.has_freshest_crl and not any(read_crl_header(d).is_delta for d in batch if d is not der):
            return _Unusable(
                Reason.REVOCATION_UNKNOWN, "the CRL requires a delta CRL (Freshest CRL) and none is available"
            )
        if header.unknown_critical:
            return _Unusable(
                Reason.REVOCATION_INVALID,
                f"unknown critical CRL extension(s) {sorted(header.unknown_critical)}",
            )
        if header.limited_scope:
            return _Unusable(
                Reason.REVOCATION_INVALID,
                "CRLs limited to some reasons, CA certificates or indirect CRLs are not used",
            )
        if header.is_delta:
            # pyhanko-certvalidator judges a delta only with a full CRL naming it; check its signature here.
            crl = asn1_crl.CertificateList.load(der)
            try:
                valid = verify_signature(
                    authority.cert.spki_der,
                    crl["signature_algorithm"],
                    crl["tbs_cert_list"].dump(),
                    crl["signature"].native,
                )
            except UnsupportedAlgorithm as exc:
                return _Unusable(Reason.REVOCATION_INVALID, f"delta CRL: {exc.message}")
            if not valid:
                return _Unusable(
                    Reason.REVOCATION_INVALID, "the delta CRL signature does not verify with the CA's key"
                )
        else:
            context = make_context(
                anchors=[authority.anchor],
                others=authority.path[1:],
                at=at,
                skew=self._policy.max_clock_skew,
                # verify_crl is called directly, so these rules only govern the re-validation of the
                # CRL issuer's own path, whose revocation the trust store has already checked.
                ee_rule=RevocationCheckingRule.NO_CHECK,
                ca_rule=RevocationCheckingRule.NO_CHECK,
                crls=[der, *(d for d in batch if d is not der)],
            )
            try:
                run(verify_crl(leaf.asn1, authority.validation_path(leaf), context))
            except RevokedError:
                pass  # the CRL is valid; the leaf's status is read from the index like everyone's
            except CRLValidationIndeterminateError as exc:
                return _Unusable(
                    Reason.REVOCATION_INVALID, "; ".join(str(f[0]) for f in exc.failures) or str(exc)
                )
            except (CRLNoMatchesError, CRLValidationError, PathValidationError, ValueError) as exc:
                return _Unusable(Reason.REVOCATION_INVALID, str(exc))
        try:
            crl_object = load_crl_entries(der)
        except InvalidInput as exc:
            return _Unusable(Reason.REVOCATION_INVALID, exc.message)
        positions = {entry.serial_number: n for n, entry in enumerate(crl_object)}
        return CrlIndex(header, positions, crl_object)

    def _remember(
        self, identity: tuple[int, bytes], der: bytes, result: CrlIndex | _Unusable | None
    ) -> CrlIndex | _Unusable | None:
        with self._lock:
            if len(self._by_identity) >= self._IDENTITY_SLOTS:
                self._by_identity.clear()
            self._by_identity[identity] = (der, result)
        return result

    def _usable_at(self, header: CrlHeader, at: dt.datetime) -> bool:
        return self._fresh(header.this_update, header.next_update, at, FRESHNESS_FALLBACK)

    def _stale(self, header: CrlHeader, at: dt.datetime) -> _Unusable:
        if at + self._policy.max_clock_skew < header.this_update:
            return _Unusable(
                Reason.REVOCATION_UNKNOWN,
                f"the CRL was issued after the validation time ({header.this_update.isoformat()})",
            )
        bound = header.next_update.isoformat() if header.next_update else "its thisUpdate + 30 minutes"
        return _Unusable(Reason.REVOCATION_STALE, f"the CRL is past its nextUpdate ({bound})")

    def _fresh(
        self,
        this_update: dt.datetime,
        next_update: dt.datetime | None,
        at: dt.datetime,
        max_age: dt.timedelta,
    ) -> bool:
        """pyhanko-certvalidator's DEFAULT freshness rule, with the clock skew as its tolerance."""
        skew = self._policy.max_clock_skew
        until = next_update if next_update is not None else this_update + max_age
        return not (at + skew < this_update) and not (at - skew > until)


FRESHNESS_FALLBACK = FRESHNESS_FALLBACK_VALIDITY_DEFAULT
# RFC 6960 2.2 (extended revoke): "revoked", certificateHold, at this instant means "never issued".
NOT_ISSUED_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _responder_window(responder: Cert, ca: Cert) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """When ``responder``'s authorisation holds by time alone: always for the CA, its validity for a
    nocheck delegate; None for a delegate whose own revocation status must be checked each time."""
    if responder is ca:
        return (None, None)
    if oids.EXT_OCSP_NOCHECK in responder.raw_extensions:
        return (responder.not_before, responder.not_after)
    return None


def _outcome(status: RevocationStatus, evidence: RevocationEvidence, method: str) -> RevocationOutcome:
    if status is RevocationStatus.GOOD:
        return RevocationOutcome(status, None, f"{method}: the certificate is not revoked", evidence)
    if status is RevocationStatus.ON_HOLD:
        return RevocationOutcome(
            status, Reason.ON_HOLD, f"{method}: the certificate is on hold (suspended)", evidence
        )
    if status is RevocationStatus.REVOKED and evidence.revocation_time == NOT_ISSUED_TIME:
        return RevocationOutcome(
            status, Reason.REVOKED, f"{method}: the CA never issued this certificate (RFC 6960 2.2)", evidence
        )
    if status is RevocationStatus.REVOKED:
        when = evidence.revocation_time.isoformat() if evidence.revocation_time else "?"
        return RevocationOutcome(
            status,
            Reason.REVOKED,
            f"{method}: the certificate was revoked at {when} ({evidence.reason})",
            evidence,
        )
    return RevocationOutcome(
        status,
        Reason.REVOCATION_UNKNOWN,
        f"{method}: the certificate was revoked after the validation time",
        evidence,
    )


def _invalid(message: str) -> RevocationOutcome:
    return RevocationOutcome(RevocationStatus.UNKNOWN, Reason.REVOCATION_INVALID, message)


def read_crl_header(der: bytes) -> CrlHeader:
    """The parts of a CRL needed to find, judge and cache it, without reading its entries."""
    try:
        crl = asn1_crl.CertificateList.load(der)
        tbs = crl["tbs_cert_list"]
        critical = crl.critical_extensions
        idp = crl.issuing_distribution_point_value
        scope_urls: frozenset[str] | None = None
        limited = False
        if idp is not None:
            limited = bool(
                idp["only_contains_ca_certs"].native
                or idp["only_contains_attribute_certs"].native
                or idp["only_some_reasons"].native
                or idp["indirect_crl"].native
            )
            point = idp["distribution_point"]
            if point.name == "full_name":
                scope_urls = frozenset(
                    n.native for n in point.chosen if n.name == "uniform_resource_identifier"
                )
        delta = crl.delta_crl_indicator_value
        number = crl.crl_number_value
        return CrlHeader(
            issuer_der=bytes(crl.issuer.dump()),
            issuer_key=str(crl.issuer.hashable),
            authority_key_id=crl.authority_key_identifier,
            number=None if number is None else int(number.native),
            base_number=None if delta is None else int(delta.native),
            this_update=tbs["this_update"].native,
            next_update=tbs["next_update"].native,
            has_freshest_crl=crl.freshest_crl_value is not None,
            unknown_critical=frozenset(critical - KNOWN_CRL_EXTENSIONS),
            scope_urls=scope_urls,
            limited_scope=limited,
        )
    except (ValueError, TypeError, KeyError):
        raise InvalidInput("malformed_crl", "the CRL cannot be decoded") from None


_NO_PARAMETERS = (b"", b"\x05\x00")  # an absent parameters field, or an explicit NULL


def load_crl_entries(der: bytes) -> x509.CertificateRevocationList:
    """``cryptography``'s view of a CRL whose signature has been checked, for reading its entries.

    The real NCA's GOST CRLs write the outer signatureAlgorithm with an explicit NULL parameter and the
    one inside the TBS without any (RFC 5280 5.1.1.2 wants them identical; ``cryptography`` refuses the
    CRL). The two mean the same: the outer copy is not signed, so it is replaced by the signed inner one
    before loading. Any other difference raises InvalidInput(``malformed_crl``).
    """
    try:
        return x509.load_der_x509_crl(der)
    except ValueError:
        pass
    try:
        crl = asn1_crl.CertificateList.load(der)
        inner = crl["tbs_cert_list"]["signature"]
        outer = crl["signature_algorithm"]
        same = inner["algorithm"].dotted == outer["algorithm"].dotted and {
            inner["parameters"].dump(),
            outer["parameters"].dump(),
        } <= set(_NO_PARAMETERS)
        if same:
            body = crl["tbs_cert_list"].dump() + inner.dump() + crl["signature"].dump()
            return x509.load_der_x509_crl(Asn1Sequence(contents=body).dump())
    except (ValueError, TypeError, KeyError):
        pass
    raise InvalidInput("malformed_crl", "the CRL cannot be decoded (RFC 5280 5.1)")


def _crl_next_update(der: bytes) -> dt.datetime | None:
    try:
        return asn1_crl.CertificateList.load(der)["tbs_cert_list"]["next_update"].native
    except (ValueError, TypeError, KeyError):
        raise ValueError("the downloaded CRL cannot be decoded") from None


@dataclass(frozen=True)
class _ParsedOcsp:
    """The parts of an OCSP response RFC 6960 3.2 needs, read without trusting anything yet."""

    status: str
    tbs: bytes
    signature_algorithm: asn1_algos.SignedDigestAlgorithm
    signature: bytes
    certs: tuple[Cert, ...]
    responder_by_key: bytes | None
    responder_name: asn1_x509.Name | None
    produced_at: dt.datetime | None
    responses: tuple[asn1_ocsp.SingleResponse, ...]
    nonce: bytes | None


def _parse_ocsp(der: bytes) -> _ParsedOcsp:
    try:
        response = asn1_ocsp.OCSPResponse.load(der)
        status = response["response_status"].native
        if status != "successful":
            return _ParsedOcsp(
                status, b"", asn1_algos.SignedDigestAlgorithm(), b"", (), None, None, None, (), None
            )
        basic = response["response_bytes"]["response"].parsed
        data = basic["tbs_response_data"]
        responder_id = data["responder_id"]
        nonce = None
        for extension in data["response_extensions"]:
            if extension["extn_id"].dotted == oids.OCSP_NONCE:
                nonce = bytes(extension["extn_value"].contents)
        return _ParsedOcsp(
            status=status,
            tbs=data.dump(),
            signature_algorithm=basic["signature_algorithm"],
            signature=basic["signature"].native,
            certs=tuple(Cert.from_asn1(c) for c in basic["certs"]),
            responder_by_key=responder_id.chosen.native if responder_id.name == "by_key" else None,
            responder_name=responder_id.chosen if responder_id.name == "by_name" else None,
            produced_at=data["produced_at"].native,
            responses=tuple(data["responses"]),
            nonce=nonce,
        )
    except (ValueError, TypeError, KeyError):
        raise InvalidInput("malformed_ocsp", "the response cannot be decoded") from None


def _matching_single_response(
    parsed: _ParsedOcsp, leaf: Cert, issuer: Cert
) -> asn1_ocsp.SingleResponse | RevocationOutcome:
    """The SingleResponse whose CertID names ``leaf`` and its issuer (name and key hashes)."""
    about_serial = [s for s in parsed.responses if s["cert_id"]["serial_number"].native == leaf.serial]
    if not about_serial:
        return dataclasses.replace(_NO_ANSWER, message="OCSP: the response is about another certificate")
    key_bits = issuer.asn1.public_key["public_key"].contents[
        1:
    ]  # BIT STRING value without the unused-bits byte
    for single in about_serial:
        cert_id = single["cert_id"]
        hash_name = cert_id["hash_algorithm"]["algorithm"].native
        if hash_name not in ("sha1", "sha256", "sha384", "sha512"):
            continue
        name_hash = hashlib.new(hash_name, issuer.asn1.subject.dump()).digest()
        key_hash = hashlib.new(hash_name, key_bits).digest()
        if cert_id["issuer_name_hash"].native == name_hash and cert_id["issuer_key_hash"].native == key_hash:
            return single
    return _invalid("OCSP: the CertID names another issuer than the certificate's CA")


def _is_responder(cert: Cert, parsed: _ParsedOcsp) -> bool:
    if parsed.responder_by_key is not None:
        key_bits = cert.asn1.public_key["public_key"].contents[1:]
        return hashlib.sha1(key_bits).digest() == parsed.responder_by_key  # noqa: S324 - RFC 6960 KeyHash is SHA-1
    return parsed.responder_name is not None and cert.asn1.subject == parsed.responder_name


def _octet_string(value: bytes) -> bytes:
    return OctetString(value).dump()


def _name_key(name: x509.Name) -> str:
    return str(asn1_x509.Name.load(name.public_bytes()).hashable)


def _serials_of_ocsp(der: bytes) -> frozenset[int]:
    try:
        response = asn1_ocsp.OCSPResponse.load(der)
        if response["response_status"].native != "successful":
            return frozenset()
        data = response["response_bytes"]["response"].parsed["tbs_response_data"]
        return frozenset(s["cert_id"]["serial_number"].native for s in data["responses"])
    except (ValueError, TypeError, KeyError):
        raise InvalidInput("malformed_ocsp", "the OCSP response cannot be decoded") from None


def _distribution_point_urls(
    certificate: x509.Certificate, kind: type[x509.CRLDistributionPoints] | type[x509.FreshestCRL]
) -> list[str]:
    try:
        points = certificate.extensions.get_extension_for_class(kind).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [
        name.value
        for point in points
        for name in (point.full_name or [])
        if isinstance(name, x509.UniformResourceIdentifier)
    ]


def _ocsp_urls(certificate: x509.Certificate) -> list[str]:
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [
        d.access_location.value
        for d in access
        if d.access_method == x509.oid.AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]
