"""One OCSP responder (RFC 6960) for every CA of the hierarchy, behind one URL like the real ``/ocsp/``.

Requests. :meth:`OcspResponder.respond` takes the DER of an OCSPRequest (POST body, or the GET form
decoded by :func:`decode_get_request`) and always returns the DER of an OCSPResponse:

- undecodable DER, an empty request list, an unknown critical extension, or a nonce outside 1 to 32
  octets (RFC 8954) -> ``malformedRequest``;
- a CertID whose issuer name/key hashes (SHA-1, SHA-256, SHA-384 or SHA-512) match none of our CAs, or
  CertIDs of several CAs in one request (each CA's responder may only speak for that CA) ->
  ``unauthorized``;
- otherwise ``successful``: one SingleResponse per CertID (CertID echoed as received): ``good``,
  ``revoked`` (revocationTime, and revocationReason unless unspecified; certificateHold for a hold), or
  ``unknown`` for a serial that CA never issued. Archived entries (EDS-16) stay ``revoked``.

Responses are signed by the CA's delegated responder (EKU OCSPSigning + ocsp-nocheck, RFC 6960
4.2.2.2; renewed by ``Hierarchy.ensure_ocsp_responder``), identified by key hash, with the responder
certificate included. producedAt = thisUpdate = the time of signing; nextUpdate = thisUpdate + 1 hour
(:attr:`OcspResponder.response_validity`). The real NCA omits nextUpdate; we set it so relying parties
and caches know how long a response may be used (RFC 5019 2.2.4).

Cache and freshness. A request without a nonce for one certificate is answered from a cache of pre-signed
responses per (CA, CertID), each re-signed once older than ``cache_max_age`` (5 minutes), or from the end
of a hold with an end date if that comes first (a scheduled end changes the status by itself, with no
version to invalidate by; nextUpdate is that end too); unknown serials are never cached. A request with a
nonce, or for several certificates, is always signed live.
:meth:`OcspResponder.answer` also says which of these happened (:class:`CacheUse`), for the metrics.

Guarantee (UNIS-11, EDS-18): once a revoke, hold or release call has returned, every responder on the
same database -- every thread of every worker of every instance -- answers by the new status. Proof.
The registry gives each CA a *status version* ``V``, incremented in the transaction of every change of
that CA (under the CA's row lock, so versions are committed in order: when ``V = v`` is visible, so is
every change numbered ``<= v``). The responder keeps, per CA, ``known``: every change numbered
``<= known`` has been applied to its cache. Two rules maintain the invariant *every cached response of
a serial reflects all of that serial's changes numbered ``<= known``*:

1. A response is built from the status and the version ``v`` read by one SQL statement (one snapshot:
   :meth:`RevocationRegistry.status_and_version`), so it reflects exactly the changes ``<= v``; it is
   stored only if ``v >= known`` at the time of storing (else a change it missed may already have been
   applied, and it is dropped on the floor).
2. ``known`` advances from ``k`` to ``c`` only together with dropping, under the same lock, every serial
   that changed after ``k`` (:meth:`RevocationRegistry.changed_serials`, read after ``c`` was read, so it
   holds every change ``<= c``).

Every cacheable request first reads the CA's current version ``c`` (one primary-key lookup) and
advances ``known`` to at least ``c`` before it looks in the cache. A change that returned before the
request began is numbered ``<= c``, so the invariant says any cached response the request can find
reflects it, and a response built on a miss reads the registry afresh. There is no in-process
shortcut (no listener, no generation counter): the same rule serves the process that made the change.
Assumptions: each read statement sees every transaction committed before it began (SQLite's
autocommit reads, PostgreSQL's READ COMMITTED); the instances' clocks agree (a status is read "as of"
the request time, and a change is effective from the time of its call). Proven end to end by
``tests/api/test_revocation_race.py`` (real server processes).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar
from urllib.parse import unquote

from asn1crypto import core, ocsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags

from ca_sim import der
from ca_sim.certificates import subject_key_bits
from ca_sim.crl_entry import REASON_CODES
from ca_sim.hierarchy import DelegatedSigner, Hierarchy
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState, CertStatus
from ca_sim.signing import TbsSigner, signer_for
from pki import oids
from pki.calendar import ensure_utc
from pki.errors import ErrorCode, InvalidInput

MAX_NONCE_OCTETS = 32  # RFC 8954 2.1
_HASHES: dict[str, Callable[[bytes], bytes]] = {
    oids.SHA1: lambda data: hashlib.sha1(data, usedforsecurity=False).digest(),
    oids.SHA256: lambda data: hashlib.sha256(data).digest(),
    oids.SHA384: lambda data: hashlib.sha384(data).digest(),
    oids.SHA512: lambda data: hashlib.sha512(data).digest(),
}
_NONCE_OID = der.object_identifier(oids.OCSP_NONCE)
_BASIC_RESPONSE_OID = der.object_identifier(oids.OCSP_BASIC)
_ERROR_STATUSES = {"malformed_request": 1, "unauthorized": 6}  # OCSPResponseStatus (RFC 6960 4.2.1)


class _PlainExtension(core.Sequence):
    """An X.509 Extension whose extnValue is left as octets (no parsing by extension type)."""

    _fields: ClassVar = [
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class _RequestError(Exception):
    """The request cannot be answered with a successful response: ``status`` says why."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class _CertId:
    ca_id: str
    serial: int
    der: bytes  # the CertID exactly as received: echoed, and the cache key


@dataclass(frozen=True)
class _Parsed:
    cert_ids: tuple[_CertId, ...]
    nonce_extension: bytes | None  # the request's nonce Extension, DER, echoed as is


@dataclass(frozen=True)
class _Cached:
    response: bytes
    this_update: dt.datetime
    responder_generation: int
    status_version: int  # the CA's status version the status was read at
    good_until: dt.datetime  # served until then: cache_max_age, or a hold's scheduled end if sooner


class CacheUse(StrEnum):
    """How a response was produced (the value is the metrics label)."""

    HIT = "hit"  # a pre-signed response from the cache
    MISS = "miss"  # cacheable (no nonce, one certificate) but signed now
    BYPASS = "bypass"  # a nonce or several certificates: always signed live, never cached
    ERROR = "error"  # an error response (malformedRequest, unauthorized): nothing signed


def decode_get_request(path: str) -> bytes:
    """The DER request from the GET form ``/ocsp/{url-encoding of base64 of DER}`` (RFC 6960 A.1).

    ``path`` is everything after the responder URL. Tolerant of what clients and proxies do: percent
    escapes (``%2F``, ``%2B``, ``%3D``), a ``+`` turned into a space, URL-safe base64, missing padding,
    line breaks. Raises InvalidInput (``malformed_request``) when what remains is not base64.
    """
    text = unquote(path).strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    text = "".join(text.split())
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(ErrorCode.MALFORMED_REQUEST, "the OCSP GET request is not base64") from None


def _issuer_index(hierarchy: Hierarchy) -> dict[tuple[str, bytes, bytes], str]:
    """(hash algorithm OID, issuerNameHash, issuerKeyHash) -> CA id, for every CA and supported hash."""
    index = {}
    for ca_id, authority in hierarchy.authorities.items():
        certificate_der = authority.certificate.public_bytes(Encoding.DER)
        name = asn1_x509.Certificate.load(certificate_der)["tbs_certificate"]["subject"].dump()
        key = subject_key_bits(certificate_der)  # any key algorithm, GOST included
        for oid, digest in _HASHES.items():
            index[(oid, digest(name), digest(key))] = ca_id
    return index


def _error_response(status: str) -> bytes:
    """An OCSPResponse without responseBytes (RFC 6960 4.2.1): ``malformed_request`` or ``unauthorized``."""
    return der.sequence(der.enumerated(_ERROR_STATUSES[status]))


def _seconds(value: dt.datetime) -> dt.datetime:
    return ensure_utc(value).replace(microsecond=0)


class OcspResponder:
    """The responder for all CAs of ``hierarchy``, answering from ``registry``. Thread-safe."""

    response_validity = dt.timedelta(hours=1)  # nextUpdate - thisUpdate
    cache_max_age = dt.timedelta(minutes=5)  # a pre-signed response is re-signed once this old

    def __init__(self, hierarchy: Hierarchy, registry: RevocationRegistry, cache_size: int = 200_000) -> None:
        self._hierarchy = hierarchy
        self._registry = registry
        self._issuers = _issuer_index(hierarchy)
        self._cache_size = cache_size
        self._lock = threading.Lock()  # guards _cache, _keys_by_serial and _known
        self._catch_up_lock = threading.Lock()  # one thread at a time reads what changed
        self._cache: dict[tuple[str, bytes], _Cached] = {}
        self._keys_by_serial: dict[tuple[str, int], set[bytes]] = {}
        # An empty cache reflects every change: start from the current versions (no history to replay).
        self._known: dict[str, int] = {
            **dict.fromkeys(hierarchy.authorities, 0),
            **registry.status_versions(),
        }
        self._parts: dict[str, _ResponderParts] = {}

    # --- answering -----------------------------------------------------------------------------------

    def respond(self, request_der: bytes, at: dt.datetime) -> bytes:
        """The DER OCSPResponse to ``request_der`` as of ``at`` (see the module docstring for the rules)."""
        return self.answer(request_der, at)[0]

    def answer(self, request_der: bytes, at: dt.datetime) -> tuple[bytes, CacheUse]:
        """:meth:`respond`'s DER and how it was produced (from the cache, signed now, or an error)."""
        at = ensure_utc(at)
        try:
            parsed = _parse(request_der, self._issuers)
        except _RequestError as error:
            return _error_response(error.status), CacheUse.ERROR
        ca_id = parsed.cert_ids[0].ca_id
        parts = self._responder_parts(ca_id, at)
        if parsed.nonce_extension is None and len(parsed.cert_ids) == 1:
            return self._cached_response(parsed.cert_ids[0], parts, at)
        statuses = [self._registry.status(ca_id, c.serial, at) for c in parsed.cert_ids]
        return _sign_response(parts, parsed, statuses, at, self.response_validity), CacheUse.BYPASS

    def _responder_parts(self, ca_id: str, at: dt.datetime) -> _ResponderParts:
        responder = self._hierarchy.ensure_ocsp_responder(ca_id, at)
        parts = self._parts.get(ca_id)
        if parts is None or parts.generation != responder.generation:
            parts = self._parts[ca_id] = _ResponderParts.of(responder)
        return parts

    def _cached_response(
        self, cert_id: _CertId, parts: _ResponderParts, at: dt.datetime
    ) -> tuple[bytes, CacheUse]:
        key = (cert_id.ca_id, cert_id.der)
        self._catch_up(cert_id.ca_id)
        with self._lock:
            cached = self._cache.get(key)
        if (
            cached is not None
            and cached.responder_generation == parts.generation
            and cached.this_update <= at < cached.good_until
        ):
            return cached.response, CacheUse.HIT
        status, version = self._registry.status_and_version(cert_id.ca_id, cert_id.serial, at)
        response = _sign_response(parts, _Parsed((cert_id,), None), [status], at, self.response_validity)
        if status.state is not CertState.UNKNOWN:  # unknown serials may be issued later: never cached
            this_update = _seconds(at)
            good_until = _next_update(status, this_update, self.cache_max_age)
            entry = _Cached(response, this_update, parts.generation, version, good_until)
            self._store(key, cert_id.serial, entry)
        return response, CacheUse.MISS

    def _store(self, key: tuple[str, bytes], serial: int, entry: _Cached) -> None:
        """Cache ``entry`` unless it predates a change already applied (rule 1 of the module docstring)."""
        ca_id = key[0]
        with self._lock:
            if entry.status_version < self._known[ca_id]:
                return
            if len(self._cache) >= self._cache_size and key not in self._cache:
                self._cache.clear()
                self._keys_by_serial.clear()
            self._cache[key] = entry
            self._keys_by_serial.setdefault((ca_id, serial), set()).add(key[1])

    def _catch_up(self, ca_id: str) -> None:
        """Apply every change of ``ca_id`` up to its current version (rule 2); one indexed query when
        nothing changed, two when something did."""
        current = self._registry.status_version(ca_id)
        with self._lock:
            if current <= self._known[ca_id]:
                return
        with self._catch_up_lock:
            with self._lock:
                known = self._known[ca_id]
            if current <= known:  # another thread caught up meanwhile
                return
            changed = self._registry.changed_serials(ca_id, known)
            with self._lock:
                for serial in changed:
                    for cert_id_der in self._keys_by_serial.pop((ca_id, serial), ()):
                        self._cache.pop((ca_id, cert_id_der), None)
                self._known[ca_id] = current


def _parse(request_der: bytes, issuers: dict[tuple[str, bytes, bytes], str]) -> _Parsed:
    """Decode and check the request; raise _RequestError(``malformed_request``/``unauthorized``)."""
    try:
        request = ocsp.OCSPRequest.load(request_der, strict=True)
        tbs = request["tbs_request"]
        cert_ids = []
        for single in tbs["request_list"]:
            cert_id = single["req_cert"]
            key = (
                cert_id["hash_algorithm"]["algorithm"].dotted,
                cert_id["issuer_name_hash"].native,
                cert_id["issuer_key_hash"].native,
            )
            cert_ids.append((key, cert_id["serial_number"].native, cert_id.dump()))
        nonce_extension = _nonce_extension(tbs["request_extensions"])
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise _RequestError("malformed_request") from None
    if not cert_ids:
        raise _RequestError("malformed_request")
    ca_ids = {issuers.get(key) for key, _, _ in cert_ids}
    if None in ca_ids or len(ca_ids) != 1:
        raise _RequestError("unauthorized")
    ca_id = ca_ids.pop()
    assert ca_id is not None
    if any(serial <= 0 for _, serial, _ in cert_ids):
        raise _RequestError("malformed_request")
    return _Parsed(tuple(_CertId(ca_id, serial, dumped) for _, serial, dumped in cert_ids), nonce_extension)


def _nonce_extension(extensions: ocsp.TBSRequestExtensions) -> bytes | None:
    """The nonce Extension to echo, checked to carry 1..32 octets (RFC 8954); None when absent."""
    found = None
    for extension in extensions:
        # Read as a plain Extension: asn1crypto's nonce spec would reject the bare octets older clients send.
        plain = _PlainExtension.load(extension.dump())
        if plain["extn_id"].dotted != oids.OCSP_NONCE:
            if plain["critical"].native:
                raise _RequestError("malformed_request")
            continue
        raw = plain["extn_value"].native  # RFC 8954: the DER of an OCTET STRING
        try:
            value = core.OctetString.load(raw, strict=True).native
        except ValueError:
            value = raw  # pre-RFC 8954 clients put the bare octets in extnValue
        if not 1 <= len(value) <= MAX_NONCE_OCTETS:
            raise _RequestError("malformed_request")
        found = der.extension(_NONCE_OID, False, raw)
    return found


def _cert_status(status: CertStatus) -> bytes:
    """CertStatus DER: good [0] / revoked [1] RevokedInfo / unknown [2] (IMPLICIT, RFC 6960 4.2.1)."""
    if status.state is CertState.GOOD:
        return b"\x80\x00"
    if status.state is CertState.UNKNOWN:
        return b"\x82\x00"
    assert status.revocation_time is not None and status.reason is not None
    info = der.generalized_time(status.revocation_time)
    if status.reason is not ReasonFlags.unspecified:
        info += der.explicit(0, der.enumerated(REASON_CODES[status.reason]))
    return der.tlv(0xA1, info)


@dataclass(frozen=True)
class _ResponderParts:
    """What every response signed by one responder generation shares, pre-encoded."""

    generation: int
    responder_id: bytes  # byKey [2] EXPLICIT OCTET STRING (SHA-1 of the responder's public key)
    certs: bytes  # [0] EXPLICIT SEQUENCE OF Certificate: the responder certificate
    signer: TbsSigner
    algorithm: bytes

    @classmethod
    def of(cls, responder: DelegatedSigner) -> _ResponderParts:
        certificate_der = responder.certificate.public_bytes(Encoding.DER)
        key_bits = subject_key_bits(certificate_der)  # any key algorithm, GOST included
        key_hash = hashlib.sha1(key_bits, usedforsecurity=False).digest()
        signer = signer_for(responder.private_key)
        return cls(
            responder.generation,
            der.explicit(2, der.octet_string(key_hash)),
            der.explicit(0, der.sequence(certificate_der)),
            signer,
            signer.algorithm_identifier(),
        )


def _next_update(status: CertStatus, at: dt.datetime, validity: dt.timedelta) -> dt.datetime:
    """``at + validity``, or the end of a hold with an end date when that comes first: the status changes
    then by itself, so no answer may be used past it."""
    end = at + validity
    return min(end, status.until) if status.until is not None and status.until > at else end


def _sign_response(
    parts: _ResponderParts,
    parsed: _Parsed,
    statuses: list[CertStatus],
    at: dt.datetime,
    validity: dt.timedelta,
) -> bytes:
    """A successful BasicOCSPResponse for ``parsed``'s CertIDs, signed at ``at`` (whole seconds)."""
    this_update = der.generalized_time(at)
    singles = [
        der.sequence(
            cert_id.der,
            _cert_status(status),
            this_update,
            der.explicit(0, der.generalized_time(_next_update(status, at, validity))),
        )
        for cert_id, status in zip(parsed.cert_ids, statuses, strict=True)
    ]
    fields = [parts.responder_id, this_update, der.sequence(*singles)]
    if parsed.nonce_extension is not None:
        fields.append(der.explicit(1, der.sequence(parsed.nonce_extension)))
    tbs = der.sequence(*fields)
    basic = der.sequence(tbs, parts.algorithm, der.bit_string(parts.signer.sign(tbs)), parts.certs)
    response_bytes = der.sequence(_BASIC_RESPONSE_OID, der.octet_string(basic))
    return der.sequence(der.enumerated(0), der.explicit(0, response_bytes))
