"""Opening a PKCS#12 key container of any kind the NCA issues: RSA/ECDSA (through ``cryptography``) or
Kazakh GOST (through :mod:`pki.gost`), with its key aliases (the key bags' friendlyName, as Java key
stores and Kalkan name them: the NCA writes the key identifier in hex there)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509

from pki import gost
from pki.errors import ErrorCode, InvalidInput
from pki.keys import PrivateKey, load_certificate, load_pkcs12


@dataclass(frozen=True)
class KeyEntry:
    """One key of a container and its certificate."""

    private_key: PrivateKey | gost.GostPrivateKey
    certificate: x509.Certificate
    alias: str


def open_pkcs12(data: bytes, password: str, alias: str | None = None) -> tuple[KeyEntry, list[str]]:
    """The key named ``alias`` (the first when None) and all aliases of the container.

    Raises InvalidInput: ``bad_password``, ``malformed_pkcs12`` (undecodable, or no key with its
    certificate), ``key_alias_not_found``.
    """
    try:
        key, certificate, _ = load_pkcs12(data, password.encode("utf-8"))
        private: PrivateKey | gost.GostPrivateKey = key
    except InvalidInput as first:
        # cryptography cannot read GOST key bags (and may call that a password error): the GOST reader
        # checks the MAC itself; its "malformed" for a container it cannot read (PBES2) keeps the first.
        try:
            gost_key, der = gost.load_pkcs12(data, password)
        except InvalidInput as second:
            keep_first = first.code == ErrorCode.BAD_PASSWORD and second.code == ErrorCode.MALFORMED_PKCS12
            raise (first if keep_first else second) from None
        if der is None:
            raise InvalidInput(
                ErrorCode.MALFORMED_PKCS12, "the PKCS#12 holds no certificate for its key"
            ) from None
        private, certificate = gost_key, load_certificate(der)
    names = key_aliases(data) or [format(certificate.serial_number, "x")]
    if alias is not None and alias not in names:
        raise InvalidInput(ErrorCode.KEY_ALIAS_NOT_FOUND, f"the key has no alias {alias!r}")
    return KeyEntry(private, certificate, alias or names[0]), names


def key_aliases(data: bytes) -> list[str]:
    """The friendlyName of each key bag kept outside encrypted safes (where the NCA and Java put keys)."""
    names: list[str] = []
    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        for info in asn1_pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native):
            if info["content_type"].native != "data":
                continue
            for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                if bag["bag_id"].native not in ("pkcs8_shrouded_key_bag", "key_bag"):
                    continue
                for attribute in bag["bag_attributes"]:
                    if attribute["type"].native == "friendly_name":
                        names.extend(str(v) for v in attribute["values"].native)
    except (ValueError, TypeError, KeyError):
        return []
    return names
