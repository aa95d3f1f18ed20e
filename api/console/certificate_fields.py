"""A certificate's fields in words for the console's certificate page: names, not OIDs; the IIN masked."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api.console.messages import text
from pki import oids
from pki.iin import mask
from pki.key_usage import KEY_USAGE_ARGUMENTS
from pki.names import long_names_accepted, name_attributes, parse_subject, subject_of


def _oid_name(oid: x509.ObjectIdentifier) -> str:
    """A readable name of ``oid``: the NCA role or policy name, the name cryptography knows, else the
    dotted OID."""
    dotted = oid.dotted_string
    known = oids.ROLE_NAMES.get(dotted) or oids.POLICY_NAMES.get(dotted) or getattr(oid, "_name", "")
    return known if known and known != "Unknown OID" else dotted


def key_text(holder: x509.Certificate | x509.CertificateSigningRequest) -> str:
    """The public key of a certificate or a PKCS#10 request in words: ``RSA 2048 bits``, ``ECDSA
    secp256r1``, else its algorithm's name."""
    key = holder.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size} bits"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECDSA {key.curve.name}"
    if isinstance(holder, x509.Certificate):
        return _oid_name(holder.public_key_algorithm_oid)
    return type(key).__name__  # a request's key: the issuer accepts only RSA and P-256 ones


def _extension(certificate: x509.Certificate, kind: type[x509.ExtensionType]) -> x509.ExtensionType | None:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def describe(certificate: x509.Certificate, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of ``certificate`` in ``lang``, the subject first; absent fields are left out."""
    info = parse_subject(name_attributes(subject_of(certificate)))
    subject = (
        ("field_common_name", info.common_name),
        ("field_surname", info.surname),
        ("field_name", info.name),
        ("field_patronymic", info.patronymic),
        ("field_iin", None if info.iin is None else mask(info.iin)),
        ("field_bin", info.bin),
        ("field_organization", info.organization),
        ("field_email", info.email),
        ("field_country", info.country),
    )
    fields = [(text(key, lang), value) for key, value in subject if value]
    fields.append((text("field_serial", lang), format(certificate.serial_number, "x")))
    with long_names_accepted():  # the CAs' names pass X.520's 64 octets, as the real NCA's do
        issuer = certificate.issuer.rfc4514_string()
    fields.append((text("issuer", lang), issuer))
    fields.append((text("key", lang), key_text(certificate)))
    algorithm = certificate.signature_algorithm_oid
    fields.append((text("signature_algorithm", lang), _oid_name(algorithm)))
    usage = _extension(certificate, x509.KeyUsage)
    if isinstance(usage, x509.KeyUsage):
        names = [text(f"key_usage_{name}", lang) for name in KEY_USAGE_ARGUMENTS if getattr(usage, name)]
        fields.append((text("key_usage", lang), ", ".join(names)))
    extended = _extension(certificate, x509.ExtendedKeyUsage)
    if isinstance(extended, x509.ExtendedKeyUsage):
        fields.append((text("extended_key_usage", lang), ", ".join(_oid_name(o) for o in extended)))
    policies = _extension(certificate, x509.CertificatePolicies)
    if isinstance(policies, x509.CertificatePolicies):
        named = ", ".join(_oid_name(p.policy_identifier) for p in policies)
        fields.append((text("policies", lang), named))
    return fields
