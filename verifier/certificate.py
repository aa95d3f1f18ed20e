"""A certificate as the verifier sees it: parsed once, and checked against an issuer's key.

:class:`Cert` keeps the DER and parses lazily with ``cryptography`` and asn1crypto (what
pyhanko-certvalidator reads), each at most once. The rules that read one certificate on its own (validity,
key usage) are :mod:`verifier.certificate_rules`; the verdict's summary of one is
:mod:`verifier.certificate_summary`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from asn1crypto import core, parser
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from pki import oids
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm
from pki.key_usage import KEY_USAGE_BITS
from pki.keys import is_pem
from pki.names import long_names_accepted, name_attributes
from pki.signatures import verify_signature
from verifier.memo import Memo, small_der


class StableCertificate(asn1_x509.Certificate):
    """asn1crypto's Certificate whose ``dump()`` is the DER it was loaded from.

    asn1crypto takes a length whose last octet is 0x80 for an indefinite one and re-encodes the whole
    value on ``dump()``, which can change the signed part (NIST PKITS UIDCACert: the unique identifier
    BIT STRING comes back padded differently and the signature no longer verifies). Certificates are
    never modified here, so the received bytes are always the right answer.
    """

    def dump(self, force: bool = False) -> bytes:
        if force or self._header is None:
            return bytes(super().dump(force=force))
        return bytes(self._header + self._contents + (self._trailer or b""))


class _RawExtension(core.Sequence):
    """An Extension whose value stays an uninterpreted OCTET STRING."""

    _fields = [  # noqa: RUF012 - asn1crypto's schema convention
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class _RawExtensions(core.SequenceOf):
    _child_spec = _RawExtension


# Universal tag -> length of the DER form: UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ.
_DER_TIME_SIZES = {23: 13, 24: 15}

_V = TypeVar("_V")
_PARSE_ERRORS = (ValueError, TypeError, x509.DuplicateExtension)  # what cryptography's lazy parses raise


@dataclass(frozen=True)
class _Outcome(Generic[_V]):
    """A value, or the error its parse raised (one of :data:`_PARSE_ERRORS`, re-raised by :meth:`value`)."""

    result: _V | None
    error: Exception | None

    def value(self) -> _V:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _attempt(parse: Callable[[], _V]) -> _Outcome[_V]:
    try:
        return _Outcome(parse(), None)
    except _PARSE_ERRORS as exc:
        return _Outcome(None, exc)


@dataclass(frozen=True)
class _Parsed:
    subject: _Outcome[x509.Name]
    issuer: _Outcome[x509.Name]
    extensions: _Outcome[dict[str, x509.Extension[x509.ExtensionType]]]


class Cert:
    """One certificate, parsed on demand. Equality and hashing follow the DER.

    Fields the per-login fast path reads come from ``cryptography`` (several times faster than
    asn1crypto); the DER encodings of names and key, the signed parts, and everything handed to
    pyhanko-certvalidator come from asn1crypto, parsed lazily.
    """

    __slots__ = ("__dict__", "der")

    def __init__(self, der: bytes, asn1: asn1_x509.Certificate | None = None) -> None:
        self.der = der
        if asn1 is not None:
            self.__dict__["asn1"] = asn1

    @classmethod
    def load(cls, data: bytes) -> Cert:
        """A certificate from PEM or DER. Raises InvalidInput(``malformed_certificate``)."""
        der = data
        if is_pem(data):
            try:
                der = x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
            except ValueError:
                raise InvalidInput(
                    ErrorCode.MALFORMED_CERTIFICATE, "the certificate PEM cannot be decoded"
                ) from None
        cert = cls(der)
        if not cert.decodes:  # parse now: undecodable input is the caller's error
            raise InvalidInput(ErrorCode.MALFORMED_CERTIFICATE, "the certificate DER cannot be decoded")
        return cert

    @property
    def decodes(self) -> bool:
        """Whether the parts read lazily later (names, key) decode, by asn1crypto and ``cryptography``:
        :meth:`load` refuses a certificate that does not; a certificate inside a CMS or OCSP structure that
        does not is no candidate issuer or signer."""
        try:
            self.asn1.subject  # noqa: B018
            self.asn1.public_key  # noqa: B018
            self.subject_der  # noqa: B018 - cryptography parses names lazily too (kept: read again later)
            self.issuer_der  # noqa: B018
        except (ValueError, TypeError, InvalidInput):
            return False
        return True

    @classmethod
    def from_asn1(cls, certificate: asn1_x509.Certificate) -> Cert:
        """The certificate as received, from a value parsed inside a CMS or OCSP structure.

        Not ``certificate.dump()``: asn1crypto takes a length whose last octet is 0x80 (e.g. 0x0380, the
        NCA's GOST-2004 OCSP responder certificate) for an indefinite one and re-encodes the value, which
        fails for GOST keys. A certificate is one DER SEQUENCE, so its received bytes are its contents
        under a SEQUENCE header.
        """
        return cls(core.Sequence(contents=certificate.contents).dump(), certificate)

    def sharing_values(self) -> Cert:
        """A new Cert of the same DER holding every value computed so far except asn1crypto objects (the
        parse tree and anything of it), which the copy parses again on demand: asn1crypto parses lazily
        and not safely across threads, while the values kept (bytes, str, ``cryptography`` objects,
        tuples and dicts of them) are immutable once computed, so the copy and the original may be used
        by different threads at once (``verifier.embedded``)."""
        copy = Cert(self.der)
        values = self.__dict__.copy()  # one step under the GIL, also while another thread adds values
        copy.__dict__.update((k, v) for k, v in values.items() if not isinstance(v, core.Asn1Value))
        return copy

    @cached_property
    def asn1(self) -> asn1_x509.Certificate:
        return StableCertificate.load(self.der)

    @cached_property
    def crypto(self) -> x509.Certificate:
        """The certificate parsed by ``cryptography``; for a DSA key whose parameters are inherited from
        the issuer (RFC 3279 2.3.2), which ``cryptography`` cannot parse, :func:`_inherited_dsa_stand_in`.
        Raises InvalidInput(``malformed_certificate``)."""
        try:
            return x509.load_der_x509_certificate(self.der)
        except (ValueError, TypeError, x509.InvalidVersion):
            stand_in = _inherited_dsa_stand_in(self.der)
            if stand_in is not None:
                return stand_in
            raise InvalidInput(
                ErrorCode.MALFORMED_CERTIFICATE, "the certificate DER cannot be decoded"
            ) from None

    @cached_property
    def _parsed(self) -> _Parsed:
        """Subject, issuer and extensions parsed by ``cryptography`` in one block without its X.520 length
        warning (NCA names pass 64 bytes: :func:`pki.names.long_names_accepted`; a block costs several
        microseconds, so one per certificate, not one per field). Each field keeps its own error."""
        crypto = self.crypto
        with long_names_accepted():
            return _Parsed(
                _attempt(lambda: crypto.subject),
                _attempt(lambda: crypto.issuer),
                _attempt(lambda: {e.oid.dotted_string: e for e in crypto.extensions}),
            )

    @cached_property
    def subject_name(self) -> x509.Name:
        """The subject as ``cryptography`` parses it, once, without its X.520 length warning. Raises
        ValueError when it cannot be decoded."""
        return self._parsed.subject.value()

    @cached_property
    def issuer_name(self) -> x509.Name:
        """The issuer as ``cryptography`` parses it, once, without its X.520 length warning."""
        return self._parsed.issuer.value()

    @cached_property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.der).digest()

    @cached_property
    def spki_der(self) -> bytes:
        return bytes(self.asn1.public_key.dump())

    @cached_property
    def subject_der(self) -> bytes:
        """The subject's DER (as ``cryptography`` encodes the parsed name: the received DER for DER input)."""
        return self.subject_name.public_bytes()

    @cached_property
    def issuer_der(self) -> bytes:
        return self.issuer_name.public_bytes()

    @cached_property
    def subject_key(self) -> str:
        """The subject normalised by asn1crypto (RFC 5280 7.1 comparison, as pyhanko compares names)."""
        return str(self.asn1.subject.hashable)

    @cached_property
    def issuer_key(self) -> str:
        return str(self.asn1.issuer.hashable)

    def issued_by_name(self, issuer: Cert) -> bool:
        """True if our issuer name is ``issuer``'s subject: the same encoding, or equal once normalised."""
        return self.issuer_der == issuer.subject_der or self.issuer_key == issuer.subject_key

    @cached_property
    def raw_extensions(self) -> dict[str, tuple[bool, bytes]]:
        """Extension OID -> (critical, extnValue contents), read without interpreting any value.

        For certificates whose extension values asn1crypto / ``cryptography`` refuse (the real
        NCA OCSP responder's empty id-pkix-ocsp-nocheck).
        """
        field = self.asn1["tbs_certificate"]["extensions"]
        if isinstance(field, core.Void):
            return {}
        extensions = _RawExtensions.load(field.untag().dump())
        return {e["extn_id"].dotted: (bool(e["critical"].native), e["extn_value"].native) for e in extensions}

    @cached_property
    def display_name(self) -> str:
        """The subject for messages: RFC 4514, cut at 200 characters (names can be huge: limbo nc-dos)."""
        try:
            text = self.subject_name.rfc4514_string()
        except (ValueError, InvalidInput):
            return "(undecodable subject)"
        return text if len(text) <= 200 else text[:197] + "..."

    @cached_property
    def raw_extensions_list(self) -> tuple[tuple[str, bool], ...]:
        """(dotted OID, critical) of every extension in order, duplicates kept (RFC 5280 4.2 forbids them)."""
        field = self.asn1["tbs_certificate"]["extensions"]
        if isinstance(field, core.Void):
            return ()
        extensions = _RawExtensions.load(field.untag().dump())
        return tuple((e["extn_id"].dotted, bool(e["critical"].native)) for e in extensions)

    @cached_property
    def extensions(self) -> dict[str, x509.Extension[x509.ExtensionType]]:
        """Extensions by dotted OID, parsed by ``cryptography``. InvalidInput if one cannot be decoded
        or appears twice."""
        try:  # directory names inside (AKI, SAN, CRL DP) are names too: parsed in the names' block
            return self._parsed.extensions.value()
        except (ValueError, TypeError, x509.DuplicateExtension) as exc:
            raise InvalidInput(
                ErrorCode.MALFORMED_CERTIFICATE, f"a certificate extension cannot be decoded ({exc})"
            ) from None

    @cached_property
    def serial_octets(self) -> bytes:
        """The serial number's INTEGER contents as encoded (RFC 5280 4.1.2.2 bounds them to 20 octets)."""
        return bytes(self.asn1["tbs_certificate"]["serial_number"].contents)

    @cached_property
    def validity_encoding_valid(self) -> bool:
        """True if notBefore and notAfter are in their DER form: UTCTime YYMMDDHHMMSSZ or GeneralizedTime
        YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5.1-2: seconds present, Zulu, no fractions)."""
        # The two times read by asn1crypto's parser alone: its Time CHOICE objects cost more than the check.
        # Raises ValueError when they are not two universal primitive UTCTime / GeneralizedTime values.
        contents = bytes(self.asn1["tbs_certificate"]["validity"].contents)
        first = parser.peek(contents)
        for encoded in (contents[:first], contents[first:]):
            class_, method, tag, _header, value, _trailer = parser.parse(encoded, strict=True)
            size = _DER_TIME_SIZES.get(tag)
            if class_ != 0 or method != 0 or size is None:
                raise ValueError("a validity time is neither a UTCTime nor a GeneralizedTime")
            if len(value) != size or not value.endswith(b"Z") or not value[:-1].isdigit():
                return False
        return True

    @cached_property
    def self_issued(self) -> bool:
        """Subject and issuer are the same name (RFC 5280 3.2), by encoding or once normalised."""
        return self.issued_by_name(self)

    @cached_property
    def self_signed(self) -> bool:
        """Subject equals issuer and the signature verifies with the certificate's own key."""
        if not self.self_issued:
            return False
        try:
            return issued_by_key(self.spki_der, self)
        except (InvalidInput, UnsupportedAlgorithm):
            return False

    @cached_property
    def critical_extensions(self) -> frozenset[str]:
        """Dotted OIDs of the critical extensions."""
        return frozenset(oid for oid, e in self.extensions.items() if e.critical)

    @cached_property
    def not_before(self) -> dt.datetime:
        return self.crypto.not_valid_before_utc

    @cached_property
    def not_after(self) -> dt.datetime:
        return self.crypto.not_valid_after_utc

    @cached_property
    def key_usage(self) -> frozenset[str]:
        """RFC 5280 key usage names as asn1crypto spells them; empty when the extension is absent."""
        extension = self.extensions.get(oids.EXT_KEY_USAGE)
        if extension is None:
            return frozenset()
        usage = extension.value
        assert isinstance(usage, x509.KeyUsage)
        names = {name for name, attribute in KEY_USAGE_BITS if getattr(usage, attribute)}
        if usage.key_agreement:
            names |= {
                n
                for n, a in (("encipher_only", "encipher_only"), ("decipher_only", "decipher_only"))
                if getattr(usage, a)
            }
        return frozenset(names)

    @cached_property
    def has_key_usage(self) -> bool:
        return oids.EXT_KEY_USAGE in self.extensions

    @cached_property
    def extended_key_usage(self) -> tuple[str, ...] | None:
        """Dotted EKU OIDs; None when the extension is absent (then no EKU restriction applies)."""
        extension = self.extensions.get(oids.EXT_EXTENDED_KEY_USAGE)
        if extension is None:
            return None
        assert isinstance(extension.value, x509.ExtendedKeyUsage)
        return tuple(oid.dotted_string for oid in extension.value)

    @cached_property
    def policies(self) -> tuple[str, ...]:
        extension = self.extensions.get(oids.EXT_CERTIFICATE_POLICIES)
        if extension is None:
            return ()
        assert isinstance(extension.value, x509.CertificatePolicies)
        return tuple(p.policy_identifier.dotted_string for p in extension.value)

    @cached_property
    def ocsp_urls(self) -> tuple[str, ...]:
        """The OCSP responder URLs of the AIA extension."""
        extension = self.extensions.get(oids.EXT_AUTHORITY_INFO_ACCESS)
        if extension is None:
            return ()
        assert isinstance(extension.value, x509.AuthorityInformationAccess)
        return tuple(
            d.access_location.value
            for d in extension.value
            if d.access_method == x509.oid.AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)
        )

    @cached_property
    def crl_urls(self) -> frozenset[str]:
        """The full-name URIs of the CRL distribution points (read raw: works for any certificate); none
        when the extension cannot be decoded (no CRL is then in its scope: revocation stays unknown)."""
        raw = self.raw_extensions.get(oids.EXT_CRL_DISTRIBUTION_POINTS)
        urls: set[str] = set()
        try:
            for point in [] if raw is None else asn1_x509.CRLDistributionPoints.load(raw[1]):
                name = point["distribution_point"]
                if name.native is not None and name.name == "full_name":
                    urls.update(n.native for n in name.chosen if n.name == "uniform_resource_identifier")
        except (ValueError, TypeError, KeyError):
            return frozenset()
        return frozenset(urls)

    @cached_property
    def subject_attributes(self) -> list[tuple[str, str]]:
        """``(dotted OID, value)`` of the subject, in order (read by OID, never by abbreviation)."""
        return name_attributes(self.subject_name)

    @cached_property
    def serial_hex(self) -> str:
        return format(self.serial, "X")

    @cached_property
    def serial(self) -> int:
        return int(self.crypto.serial_number)

    @cached_property
    def key_identifier(self) -> bytes | None:
        extension = self.extensions.get(oids.EXT_SUBJECT_KEY_IDENTIFIER)
        if extension is None:
            return None
        assert isinstance(extension.value, x509.SubjectKeyIdentifier)
        return extension.value.digest

    @cached_property
    def authority_key_identifier(self) -> bytes | None:
        extension = self.extensions.get(oids.EXT_AUTHORITY_KEY_IDENTIFIER)
        if extension is None:
            return None
        assert isinstance(extension.value, x509.AuthorityKeyIdentifier)
        return extension.value.key_identifier

    @cached_property
    def algorithm_oids(self) -> frozenset[str]:
        """The dotted OIDs of the subject key's algorithm and of the issuer's signature algorithm."""
        crypto = self.crypto  # read by cryptography: no asn1crypto parse of the key and algorithm
        return frozenset(
            {crypto.public_key_algorithm_oid.dotted_string, crypto.signature_algorithm_oid.dotted_string}
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cert) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"Cert(serial={self.serial_hex}, subject={self.subject_name.rfc4514_string()!r})"


# Stand-in DSA parameters (not a usable group) for a key whose parameters are inherited.
_STAND_IN_DSA_PARAMETERS = {"p": 3, "q": 3, "g": 2}


def _inherited_dsa_stand_in(der: bytes) -> x509.Certificate | None:
    """For a certificate whose DSA key has no parameters (inherited from its issuer, RFC 3279 2.3.2):
    ``cryptography``'s view of a copy with stand-in parameters, so names, serial, validity, extensions
    and algorithms read as for any certificate. Its public key and TBS bytes are NOT the certificate's:
    signatures are checked with the asn1crypto key (:attr:`Cert.spki_der`, inherited parameters by
    ``verifier.pkix.working_keys``) over the received TBS. None for any other certificate."""
    try:
        copy = asn1_x509.Certificate.load(der)
        algorithm = copy["tbs_certificate"]["subject_public_key_info"]["algorithm"]
        if algorithm["algorithm"].dotted != oids.DSA_KEY or algorithm["parameters"].native is not None:
            return None
        algorithm["parameters"] = asn1_keys.DSAParams(_STAND_IN_DSA_PARAMETERS)
        return x509.load_der_x509_certificate(copy.dump(force=True))
    except (ValueError, TypeError, KeyError, x509.InvalidVersion):
        return None


_ISSUED_BY: Memo[tuple[bytes, bytes, frozenset[str]], bool] = Memo(
    8192, admit=lambda key: small_der(key[0]) and small_der(key[1])
)


def issued_by_key(issuer_spki_der: bytes, certificate: Cert, legacy: frozenset[str] = frozenset()) -> bool:
    """True if ``certificate``'s signature verifies with the issuer key; ``legacy`` as for
    :func:`pki.signatures.verify_signature`. A pure function of the key, the certificate's DER and
    ``legacy``, memoised on them (a returning user's certificate is not hashed and verified again; GOST
    hashing is the costly part) and computed on a miss from ``certificate``'s own asn1crypto parse (a new
    user's leaf is not parsed once more for it).

    Raises what :func:`pki.signatures.verify_signature` raises, and ValueError when the certificate's
    signed parts cannot be decoded (neither memoised).
    """

    def verify() -> bool:
        parsed = certificate.asn1
        return verify_signature(
            issuer_spki_der,
            parsed["signature_algorithm"],
            parsed["tbs_certificate"].dump(),
            parsed["signature_value"].native,
            legacy=legacy,
        )

    return _ISSUED_BY.get((issuer_spki_der, certificate.der, legacy), verify)
