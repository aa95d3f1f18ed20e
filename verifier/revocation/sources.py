"""Where revocation data comes from. The verifier never reads the CA database (architecture.md):

- :class:`HttpRevocationSource` speaks HTTP to the URLs in the certificate, as a relying party
  of the real NCA does: only allow-listed hosts, timeouts, response size caps, no redirects;
- :class:`StaticRevocationSource` answers from CRL / OCSP DER blobs given up front (CLI, tests,
  the real NCA test material);
- :class:`InProcessRevocationSource` calls functions that produce DER (api/ wires it to ca_sim);
- :class:`RegistryRevocationSource` reads the status from the issuing CA's own register when that CA is
  local (api/ wires it to ca_sim's registry): no signed object, the register itself; other issuers go to
  the source it wraps.

Sources only fetch; :mod:`verifier.revocation.checker` judges what they return.
"""

from __future__ import annotations

import datetime as dt
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Protocol, runtime_checkable

from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as crypto_ocsp

from pki.errors import ErrorCode, InvalidInput, NotFound
from pki.names import long_names_accepted, subject_of
from verifier.revocation.crl_header import CrlHeader, crl_next_update, read_crl_header


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
        # What cannot be decoded is kept and offered for every certificate: the verifier judges it
        # (revocation_invalid) instead of this constructor refusing the whole set.
        self._crls: list[tuple[CrlHeader | None, bytes]] = [(_crl_header(der), der) for der in crls]
        self._ocsp = [(_serials_of_ocsp(der), der) for der in ocsp_responses]

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        indirect = _crl_issuers(certificate)
        undecodable = [der for header, der in self._crls if header is None]
        # the issuer's CRLs, and indirect ones
        encoded = {_subject_der(issuer), *(name.public_bytes() for name in indirect)}
        found = [der for header, der in self._crls if header is not None and header.issuer_der in encoded]
        if found:
            return [*found, *undecodable]
        names = [subject_of(issuer), *indirect]
        keys = {_name_key(name) for name in names}  # the same names encoded differently
        return [der for header, der in self._crls if header is None or header.issuer_key in keys]

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        for serials, der in self._ocsp:
            if serials is not None and certificate.serial_number in serials:
                return OcspAnswer(der, None, self.name)
        undecodable = next((der for serials, der in self._ocsp if serials is None), None)
        return None if undecodable is None else OcspAnswer(undecodable, None, self.name)


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


class RegisterState(StrEnum):
    """What a CA's register says of one certificate at one instant."""

    GOOD = "good"
    REVOKED = "revoked"
    ON_HOLD = "on_hold"  # revoked with reason certificateHold (suspended)
    NOT_ISSUED = "not_issued"  # the register holds no such certificate of this CA


@dataclass(frozen=True)
class RegisterStatus:
    """A certificate's status read from its CA's register, "as of" ``read_at``.

    ``status_version`` is the CA's status version the read reflects (every change numbered up to it, none
    after); ``location`` names the register (e.g. ``registry:nca``). ``revocation_time`` (UTC) and
    ``reason`` (RFC 5280 CRLReason name) are set for REVOKED and ON_HOLD.
    """

    state: RegisterState
    status_version: int
    read_at: dt.datetime
    location: str
    revocation_time: dt.datetime | None = None
    reason: str | None = None


# (certificate, issuer, at) -> the register's status, or None when ``issuer`` is not a CA of this register.
RegisterRead = Callable[[x509.Certificate, x509.Certificate, dt.datetime], RegisterStatus | None]


@runtime_checkable
class RegisterStatusSource(Protocol):
    """A revocation source that can also read the issuing CA's register directly (see
    :class:`RegistryRevocationSource`); the checker asks it before OCSP and CRLs."""

    name: str

    def read_status(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> RegisterStatus | None:
        """The register's status of ``certificate`` at ``at``; None when ``issuer`` is not local. Raises a
        :class:`pki.errors.KzPkiError` when the register could not be read (the checker fails closed)."""
        ...


class RegistryRevocationSource:
    """The status read from the issuing CA's register when that CA is local, with ``fallback`` for the rest.

    For a deployment that runs the CA and its relying-party service on one database: asking its own OCSP
    responder in process (build a request, sign or look up a response, parse and verify it) costs a round
    trip through DER and a signature check to learn what one indexed read of the register says. ``read``
    (``(certificate, issuer, at) -> RegisterStatus | None``) is that read; it returns None for an issuer
    that is not one of the register's CAs, and raises a :class:`pki.errors.KzPkiError` when the register
    cannot be read. Every call reads the register afresh (no cache), so a status change committed before
    the call is seen by it. CRLs and OCSP come from ``fallback`` (none: empty).
    """

    name = "registry"

    def __init__(self, read: RegisterRead, fallback: RevocationSource | None = None) -> None:
        self._read = read
        self._fallback = fallback

    def read_status(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> RegisterStatus | None:
        return self._read(certificate, issuer, at)

    def fetch_crls(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> Sequence[bytes]:
        return [] if self._fallback is None else self._fallback.fetch_crls(certificate, issuer, at)

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        return None if self._fallback is None else self._fallback.fetch_ocsp(certificate, issuer, nonce, at)


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
            raise NotFound(
                ErrorCode.REVOCATION_UNAVAILABLE, "no CRL could be fetched: " + "; ".join(problems)
            )
        return found

    def fetch_ocsp(
        self, certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None, at: dt.datetime
    ) -> OcspAnswer | None:
        problems: list[str] = []
        urls = self._allowed(_ocsp_urls(certificate), problems)
        if not urls:
            if problems:
                raise NotFound(ErrorCode.REVOCATION_UNAVAILABLE, "; ".join(problems))
            return None
        request = build_ocsp_request(certificate, issuer, nonce)
        for url in urls:
            try:
                body = self._download(url, self._max_ocsp, request, "application/ocsp-request")
            except (OSError, ValueError) as exc:
                problems.append(f"{url}: {exc}")
                continue
            return OcspAnswer(body, nonce, url)
        raise NotFound(ErrorCode.REVOCATION_UNAVAILABLE, "no OCSP responder answered: " + "; ".join(problems))

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
        next_update = crl_next_update(data)
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


def _name_key(name: x509.Name) -> str:
    return str(asn1_x509.Name.load(name.public_bytes()).hashable)


def _crl_header(der: bytes) -> CrlHeader | None:
    try:
        return read_crl_header(der)
    except InvalidInput:
        return None


def _serials_of_ocsp(der: bytes) -> frozenset[int] | None:
    """The serials a response answers for (none for an unsuccessful one); None when it cannot be decoded."""
    try:
        response = asn1_ocsp.OCSPResponse.load(der)
        if response["response_status"].native != "successful":
            return frozenset()
        data = response["response_bytes"]["response"].parsed["tbs_response_data"]
        return frozenset(s["cert_id"]["serial_number"].native for s in data["responses"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


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


@lru_cache(maxsize=256)
def _subject_der(certificate: x509.Certificate) -> bytes:
    """The DER of ``certificate``'s subject; memoised (a pure function of the certificate, which hashes and
    compares by its DER; issuers are few and asked at every login)."""
    return subject_of(certificate).public_bytes()


@lru_cache(maxsize=1024)
def _crl_issuers(certificate: x509.Certificate) -> tuple[x509.Name, ...]:
    """The directory names in the cRLIssuer fields of ``certificate``'s CRL distribution points; memoised
    by the certificate (its DER) like :func:`_subject_der`."""
    try:
        with long_names_accepted():  # the directory names are parsed with the extensions
            points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(
        name.value
        for point in points
        for name in (point.crl_issuer or [])
        if isinstance(name, x509.DirectoryName)
    )


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
