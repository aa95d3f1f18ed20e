"""The National CA's time-stamping authority (RFC 3161): a TimeStampReq in, a TimeStampResp out.

The real NCA answers at tsp.pki.gov.kz; NCANode asks it for the signature time stamps of ``withTsp``. Ours
signs with the hierarchy's TSA key (:meth:`ca_sim.hierarchy.Hierarchy.time_stamp_authority`: critical
id-kp-timeStamping, RFC 3161 2.3), and stamps:

- a message imprint hashed with SHA-256/384/512, GOST R 34.11-94 or Streebog-256/512, of that hash's
  length (RFC 3161 2.4.1; SHA-1 is refused as ``bad_alg``: collisions are practical);
- under one of the NCA's policies (``TSA_GOST_POLICY``, ``TSA_GOSTGT_POLICY``, ``TSA_GOST2015_POLICY``, the
  one given when the request names none, as NCANode's default), else ``unaccepted_policy``;
- with no request extensions (none is supported: ``unaccepted_extensions``).

The token (RFC 3161 2.4.2) carries a random 127-bit serial number (unique: every token is recorded under
its serial in the ledger of issued tokens, :mod:`ca_sim.time_stamp_ledger`, before it is given out), genTime
to the millisecond with an accuracy of one second (the host clock), the request's nonce,
the TSA's name, and a signingCertificateV2 attribute naming the TSA certificate (RFC 5816); the TSA
certificate is embedded when the request asks for it (certReq). A refused request gets a rejection with
the PKIFailureInfo bit and a text saying why (RFC 3161 2.4.2), never an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from sqlalchemy.exc import SQLAlchemyError

from ca_sim.hierarchy import Hierarchy
from ca_sim.time_stamp_ledger import IssuedTimeStamp, TimeStampLedger
from pki import oids
from pki.calendar import ensure_utc
from pki.cms import digest
from pki.cms_signing import TimeStamper, sign_cms
from pki.errors import ErrorCode, InvalidInput, Unavailable
from pki.keys import certificate_der

# NCANode's TsaPolicy names -> the NCA's policy OIDs; the last is what a request without a policy gets.
POLICIES: dict[str, str] = {
    "TSA_GOST_POLICY": oids.TSA_GOST_POLICY,
    "TSA_GOSTGT_POLICY": oids.TSA_GOSTGT_POLICY,
    "TSA_GOST2015_POLICY": oids.TSA_GOST2015_POLICY,
}
DEFAULT_POLICY = oids.TSA_GOST2015_POLICY
# The imprint hashes stamped, with their digest lengths in bytes (RFC 3161 2.4.1: the imprint's length
# must be the hash's).
IMPRINT_LENGTHS: dict[str, int] = {
    oids.SHA256: 32,
    oids.SHA384: 48,
    oids.SHA512: 64,
    oids.KZ_GOST3411_94: 32,
    oids.KZ_STREEBOG_256: 32,
    oids.KZ_STREEBOG_512: 64,
}
MAX_REQUEST_BYTES = 4096  # a TimeStampReq holds a hash, a policy OID and a nonce: a few hundred bytes
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class StampRequest:
    """What a time-stamp is asked for (RFC 3161 2.4.1 TimeStampReq): the imprint's hash algorithm (dotted
    OID) and value, the policy (None: :data:`DEFAULT_POLICY`), the nonce and certReq."""

    imprint_algorithm: str
    imprint: bytes
    policy: str | None = None
    nonce: int | None = None
    certificate_requested: bool = True


class Outcome(StrEnum):
    """What the TSA answers: a token, or a rejection with this PKIFailureInfo bit (RFC 3161 2.4.2;
    the values are asn1crypto's bit names)."""

    GRANTED = "granted"
    BAD_ALG = "bad_alg"
    BAD_REQUEST = "bad_request"
    BAD_DATA_FORMAT = "bad_data_format"
    UNACCEPTED_POLICY = "unaccepted_policy"
    UNACCEPTED_EXTENSIONS = "unaccepted_extensions"
    SYSTEM_FAILURE = "system_failure"  # the ledger cannot record the token: none is given out


@dataclass(frozen=True)
class Answer:
    """A DER TimeStampResp and its outcome."""

    der: bytes
    outcome: Outcome

    @property
    def granted(self) -> bool:
        return self.outcome is Outcome.GRANTED


@dataclass(frozen=True)
class _Refusal:
    failure: Outcome
    text: str


class _Rejection(core.Sequence):
    """TimeStampResp without its token (RFC 3161 2.4.2: OPTIONAL; asn1crypto's schema requires it)."""

    _fields = [("status", tsp.PKIStatusInfo)]  # noqa: RUF012 - asn1crypto's schema convention


class TimeStampAuthority:
    """The National CA's TSA over ``hierarchy`` (its key and certificate, renewed by the hierarchy); every
    token it gives out is first recorded in ``ledger`` (:mod:`ca_sim.time_stamp_ledger`)."""

    def __init__(self, hierarchy: Hierarchy, ledger: TimeStampLedger) -> None:
        self._hierarchy = hierarchy
        self._ledger = ledger

    def respond(self, request_der: bytes, at: dt.datetime) -> Answer:
        """The answer to the DER TimeStampReq ``request_der`` at ``at`` (tz-aware; genTime): a granted
        token, or a rejection saying why (bad_data_format for what does not decode as a TimeStampReq,
        bad_request, bad_alg, unaccepted_policy, unaccepted_extensions), or system_failure when the
        ledger's database cannot record the token (no token is given out unrecorded). Raises nothing."""
        parsed = _parse(request_der)
        refusal = parsed if isinstance(parsed, _Refusal) else _refusal(parsed)
        if refusal is None:
            assert isinstance(parsed, StampRequest)
            try:
                token = cms.ContentInfo.load(self._token(parsed, at))
            except Unavailable as exc:
                refusal = _Refusal(Outcome.SYSTEM_FAILURE, exc.message)
            else:
                granted = tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})
                return Answer(granted.dump(), Outcome.GRANTED)
        status = {
            "status": "rejection",
            "status_string": [refusal.text],
            "fail_info": {refusal.failure.value},
        }
        return Answer(_Rejection({"status": status}).dump(), refusal.failure)

    def token(self, request: StampRequest, at: dt.datetime) -> bytes:
        """The DER time-stamp token (a ContentInfo) for ``request`` at ``at`` (tz-aware; genTime).

        Raises InvalidInput(``time_stamp_refused``, ``failure`` = the PKIFailureInfo bit) when the
        TSA would reject the request, Unavailable(``time_stamp_unavailable``) when its ledger cannot record
        the token (none is then given out).
        """
        refusal = _refusal(request)
        if refusal is not None:
            raise InvalidInput(ErrorCode.TIME_STAMP_REFUSED, refusal.text, failure=refusal.failure.value)
        return self._token(request, at)

    def stamper(self, policy: str, at: dt.datetime) -> TimeStamper:
        """Signature time stamps from this TSA (for :func:`pki.cms_signing.with_signature_time_stamps`) under
        ``policy`` (one of :data:`POLICIES`' OIDs), dated ``at``; the stamper raises as :meth:`token`."""

        def stamp(digest_oid: str, value: bytes) -> bytes:
            return self.token(StampRequest(digest_oid, digest(digest_oid, value), policy=policy), at)

        return stamp

    def issued(self, serial: int) -> IssuedTimeStamp | None:
        """The ledger's record of the token this TSA issued under ``serial``, or None."""
        return self._ledger.find(serial)

    def _token(self, request: StampRequest, at: dt.datetime) -> bytes:
        """The signed token, recorded in the ledger before it is returned, under a serial no other token
        has (signed again under a new one when the ledger finds the serial taken). Raises
        Unavailable(``time_stamp_unavailable``) when the ledger's database cannot record it (the error is
        logged by its class only: its text may name the database)."""
        at = ensure_utc(at)
        signer = self._hierarchy.time_stamp_authority(at)
        identity = _tsa_identity(certificate_der(signer.certificate))
        gen_time = at.replace(microsecond=at.microsecond // 1000 * 1000)
        policy = request.policy or DEFAULT_POLICY
        info: dict[str, object] = {
            "version": "v1",
            "policy": policy,
            "message_imprint": {
                "hash_algorithm": {"algorithm": request.imprint_algorithm},
                "hashed_message": request.imprint,
            },
            "gen_time": gen_time,
            "accuracy": {"seconds": 1},
            "tsa": asn1_x509.GeneralName.load(identity.name),
        }
        if request.nonce is not None:
            info["nonce"] = request.nonce
        while True:
            serial = secrets.randbits(127) | 1 << 126  # 127 bits, the top one set: 16 DER bytes
            token = sign_cms(
                tsp.TSTInfo({**info, "serial_number": serial}).dump(),
                signer.private_key,
                signer.certificate,
                signing_time=None,
                content_type=oids.CMS_TST_INFO,
                embed_certificates=request.certificate_requested,
            )
            issued = IssuedTimeStamp(
                serial,
                gen_time,
                policy,
                request.imprint_algorithm,
                request.imprint,
                request.nonce,
                identity.sha256,
            )
            try:
                recorded = self._ledger.record(issued)
            except SQLAlchemyError as exc:
                _LOG.warning("the TSA could not record a time stamp: %s", type(exc).__name__)
                raise Unavailable(
                    ErrorCode.TIME_STAMP_UNAVAILABLE, "the TSA cannot record time stamps now; try again"
                ) from None
            if recorded:
                return token


@dataclass(frozen=True)
class _TsaIdentity:
    name: bytes  # the TSTInfo ``tsa``: the certificate's subject as a directoryName GeneralName, DER
    sha256: str  # of the certificate's DER, hex: what the ledger records as the signer


@lru_cache(maxsize=8)
def _tsa_identity(certificate: bytes) -> _TsaIdentity:
    """What every token of the TSA certificate ``certificate`` (DER) names it by; read once per TSA
    generation, not per token."""
    subject = asn1_x509.Certificate.load(certificate).subject
    name = asn1_x509.GeneralName({"directory_name": subject}).dump()
    return _TsaIdentity(name, hashlib.sha256(certificate).hexdigest())


def _parse(request_der: bytes) -> StampRequest | _Refusal:
    if len(request_der) > MAX_REQUEST_BYTES:
        return _Refusal(Outcome.BAD_DATA_FORMAT, f"a time-stamp request is at most {MAX_REQUEST_BYTES} bytes")
    try:
        request = tsp.TimeStampReq.load(request_der, strict=True)
        if request["version"].native != "v1":
            return _Refusal(Outcome.BAD_REQUEST, "only version 1 time-stamp requests exist (RFC 3161 2.4.1)")
        if request["extensions"].native:
            return _Refusal(Outcome.UNACCEPTED_EXTENSIONS, "this TSA supports no request extensions")
        imprint = request["message_imprint"]
        policy = request["req_policy"]
        nonce = request["nonce"]
        return StampRequest(
            imprint_algorithm=imprint["hash_algorithm"]["algorithm"].dotted,
            imprint=bytes(imprint["hashed_message"].native),
            policy=None if isinstance(policy, core.Void) else policy.dotted,
            nonce=None if isinstance(nonce, core.Void) else int(nonce.native),
            certificate_requested=bool(request["cert_req"].native),
        )
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return _Refusal(Outcome.BAD_DATA_FORMAT, "the request is not a DER TimeStampReq (RFC 3161 2.4.1)")


def _refusal(request: StampRequest) -> _Refusal | None:
    length = IMPRINT_LENGTHS.get(request.imprint_algorithm)
    if length is None:
        names = ", ".join(_hash_name(o) for o in IMPRINT_LENGTHS)
        return _Refusal(Outcome.BAD_ALG, f"the imprint's hash algorithm is not one of {names}")
    if len(request.imprint) != length:
        return _Refusal(
            Outcome.BAD_DATA_FORMAT, f"a {_hash_name(request.imprint_algorithm)} imprint is {length} bytes"
        )
    if request.policy is not None and request.policy not in POLICIES.values():
        return _Refusal(
            Outcome.UNACCEPTED_POLICY, f"this TSA stamps under {', '.join(POLICIES.values())} only"
        )
    return None


def _hash_name(oid: str) -> str:
    return algos.DigestAlgorithmId(oid).native if oid not in oids.GOST_HASH_ALGORITHMS else oid
