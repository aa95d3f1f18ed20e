"""The RFC 5280 profile rules a relying party can check on each certificate of a path, by its role.

pyhanko-certvalidator checks what the 6.1 algorithm needs; RFC 5280 section 4 adds MUSTs for the
issuing CA that, broken, mean the certificate is not what it claims to be (pyca/cryptography's
verifier enforces them too). They are checked here, once per CA certificate (cached with the
validated CA) and on every end-entity certificate (a few dictionary look-ups on extensions already
parsed for the fast path):

every certificate: extensions decodable and none twice (4.2), below the anchor a serial number
not zero and at most 20 octets (4.1.2.2; PKITS 4.4.14 keeps negative ones valid; real roots such as
Starfield G2 have serial 0), validity
times in their DER form (4.1.2.5.1-2: seconds, "Z", no fractions), the authority key identifier,
subject key identifier and authority information access not critical (4.2.1.1, 4.2.1.2, 4.2.2.1),
unknown critical extensions refused (4.2);
CA certificates (trust anchor included): basicConstraints present with cA set, critical on the
trust anchor (4.2.1.9; NIST PKITS 4.6.4 keeps a non-critical one valid on an intermediate), a
subject key identifier (4.2.1.2), a non-empty subject (4.1.2.6), keyCertSign in a key usage when one
is present (4.2.1.3), inhibitAnyPolicy critical (4.2.1.14) and policyConstraints critical
(4.2.1.11; RFC 3280 4.2.1.12 allowed either, so :data:`verifier.policy.RFC3280_COMPATIBLE` accepts a
non-critical one for CAs of that profile, e.g. NIST PKITS);
every certificate but a self-signed one (a cross-signed anchor too): an authority key identifier
(4.2.1.1);
end entities: no keyCertSign without cA (4.2.1.3), no name constraints (4.2.1.10), an empty subject
only with a critical subjectAltName (4.1.2.6).
"""

from __future__ import annotations

from enum import StrEnum

from cryptography import x509

from pki import oids
from pki.errors import InvalidInput
from verifier.certificate import Cert
from verifier.policy import ProfileCompatibility

_EMPTY_NAME = b"\x30\x00"  # the DER of an empty RDNSequence (RFC 5280 4.1.2.6)


class Role(StrEnum):
    ANCHOR = "anchor"
    CA = "ca"
    LEAF = "leaf"


def profile_problem(
    cert: Cert,
    role: Role,
    supported_critical: frozenset[str],
    *,
    compatibility: ProfileCompatibility,
) -> str | None:
    """The first RFC 5280 profile rule ``cert`` breaks in ``role``, or None.

    ``supported_critical``: dotted OIDs of the critical extensions the validator processes;
    ``compatibility``: the rules the validation policy relaxes (``VerificationPolicy.profile_compatibility``).
    """
    try:
        return _problem(cert, role, supported_critical, compatibility)
    except (InvalidInput, ValueError, TypeError) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        return f"the certificate cannot be decoded: {message}"


def _problem(
    cert: Cert, role: Role, supported_critical: frozenset[str], compatibility: ProfileCompatibility
) -> str | None:
    try:
        # cryptography refuses an extension that appears twice (DuplicateExtension) as it parses them, so
        # the raw list is read only to name the duplicate when it does
        extensions = cert.extensions
    except InvalidInput:
        duplicate = _duplicate_extension(cert)
        if duplicate is not None:
            return f"the extension {duplicate} appears twice (RFC 5280 4.2)"
        raise
    serial = cert.serial_octets
    if role is not Role.ANCHOR and (cert.serial == 0 or len(serial) > 20):
        return "the serial number must be non-zero and at most 20 octets (RFC 5280 4.1.2.2)"
    if not cert.validity_encoding_valid:
        return "a validity time is not in its DER form (RFC 5280 4.1.2.5)"
    if oids.EXT_SUBJECT_ALT_NAME in extensions:
        # cryptography reads an IA5String with non-ASCII octets; asn1crypto (pyhanko-certvalidator, name
        # constraints) refuses it: decode it here, so both paths refuse it (RFC 5280 4.2.1.6, 4.1.2.6)
        cert.asn1.subject_alt_name_value.native  # noqa: B018 - raises ValueError when undecodable
    for oid, name in (
        (oids.EXT_AUTHORITY_KEY_IDENTIFIER, "authority key identifier"),
        (oids.EXT_SUBJECT_KEY_IDENTIFIER, "subject key identifier"),
        (oids.EXT_AUTHORITY_INFO_ACCESS, "authority information access"),
    ):
        extension = extensions.get(oid)
        if extension is not None and extension.critical:
            return f"the {name} extension must not be critical (RFC 5280 4.2)"
    unsupported = sorted(cert.critical_extensions - supported_critical)
    if unsupported:
        return f"unsupported critical extension(s) {unsupported}"
    if oids.EXT_AUTHORITY_KEY_IDENTIFIER not in extensions and not cert.self_signed:
        return "the authority key identifier is missing (RFC 5280 4.2.1.1)"
    constraints = extensions.get(oids.EXT_BASIC_CONSTRAINTS)
    value = None if constraints is None else constraints.value
    is_ca = isinstance(value, x509.BasicConstraints) and value.ca
    if role is Role.LEAF:
        return _leaf_problem(cert, extensions, is_ca)
    if not is_ca:
        return "a CA certificate needs basicConstraints with cA set (RFC 5280 4.2.1.9)"
    if role is Role.ANCHOR and constraints is not None and not constraints.critical:
        return "the trust anchor's basicConstraints must be critical (RFC 5280 4.2.1.9)"
    if oids.EXT_SUBJECT_KEY_IDENTIFIER not in extensions:
        return "a CA certificate needs a subject key identifier (RFC 5280 4.2.1.2)"
    if cert.subject_der == _EMPTY_NAME:
        return "a CA certificate needs a non-empty subject (RFC 5280 4.1.2.6)"
    if cert.has_key_usage and "key_cert_sign" not in cert.key_usage:
        return "a CA certificate whose key usage lacks keyCertSign (RFC 5280 4.2.1.3)"
    return _ca_criticality_problem(extensions, compatibility)


def _ca_criticality_problem(
    extensions: dict[str, x509.Extension[x509.ExtensionType]], compatibility: ProfileCompatibility
) -> str | None:
    """The policy-processing extensions RFC 5280 requires critical in a CA certificate: a CA that marks
    them non-critical tells relying parties they may ignore a constraint it means to impose."""
    inhibit = extensions.get(oids.EXT_INHIBIT_ANY_POLICY)
    if inhibit is not None and not inhibit.critical:
        return "the inhibitAnyPolicy extension must be critical (RFC 5280 4.2.1.14)"
    constraints = extensions.get(oids.EXT_POLICY_CONSTRAINTS)
    if constraints is not None and not constraints.critical:
        if not compatibility.noncritical_policy_constraints:
            return "the policyConstraints extension must be critical (RFC 5280 4.2.1.11)"
    return None


def _leaf_problem(
    cert: Cert, extensions: dict[str, x509.Extension[x509.ExtensionType]], is_ca: bool
) -> str | None:
    if "key_cert_sign" in cert.key_usage and not is_ca:
        return "keyCertSign without cA in basicConstraints (RFC 5280 4.2.1.3)"
    if oids.EXT_NAME_CONSTRAINTS in extensions:
        return "an end-entity certificate may not carry name constraints (RFC 5280 4.2.1.10)"
    if cert.subject_der == _EMPTY_NAME:
        san = extensions.get(oids.EXT_SUBJECT_ALT_NAME)
        if san is None or not san.critical:
            return "an empty subject needs a critical subjectAltName (RFC 5280 4.1.2.6)"
    return None


def _duplicate_extension(cert: Cert) -> str | None:
    """The dotted OID of the first extension that appears twice in ``cert``, or None."""
    seen: set[str] = set()
    for oid, _critical in cert.raw_extensions_list:
        if oid in seen:
            return oid
        seen.add(oid)
    return None
