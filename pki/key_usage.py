"""The RFC 5280 4.2.1.3 keyUsage bits, named as asn1crypto and ``cryptography.x509.KeyUsage`` name them."""

from __future__ import annotations

# (asn1crypto's name, cryptography's name) of each bit that stands on its own, in bit order (0 to 6);
# encipherOnly and decipherOnly only qualify keyAgreement.
KEY_USAGE_BITS: tuple[tuple[str, str], ...] = (
    ("digital_signature", "digital_signature"),
    ("non_repudiation", "content_commitment"),
    ("key_encipherment", "key_encipherment"),
    ("data_encipherment", "data_encipherment"),
    ("key_agreement", "key_agreement"),
    ("key_cert_sign", "key_cert_sign"),
    ("crl_sign", "crl_sign"),
)
# The same bits by cryptography's names alone (the keyword arguments of x509.KeyUsage).
KEY_USAGE_ARGUMENTS: tuple[str, ...] = tuple(argument for _, argument in KEY_USAGE_BITS)
