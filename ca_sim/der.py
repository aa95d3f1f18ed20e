"""A minimal DER writer for the structures built in bulk: CRL entries and the TBSCertList around them.

asn1crypto builds an object tree per value, which costs tens of microseconds per CRL entry; a CRL with a
million entries needs each entry encoded once (when the revocation is recorded) and then only
concatenated. These functions write DER (X.690) directly from Python values; everything built here is
checked by parsing it back with ``cryptography``/asn1crypto and OpenSSL in the tests.
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import core

from pki.calendar import ensure_utc

SEQUENCE = 0x30
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
ENUMERATED = 0x0A
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
BOOLEAN_TRUE = b"\x01\x01\xff"


def length(n: int) -> bytes:
    """The DER length octets for ``n`` content octets."""
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, content: bytes) -> bytes:
    """One DER element: single-octet ``tag``, length, ``content``."""
    return bytes((tag,)) + length(len(content)) + content


def sequence(*parts: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(parts))


def integer(value: int) -> bytes:
    """A DER INTEGER (two's complement, minimal octets)."""
    size = (value + (value < 0)).bit_length() // 8 + 1
    return tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def enumerated(value: int) -> bytes:
    return tlv(ENUMERATED, value.to_bytes((value.bit_length() // 8) + 1, "big", signed=True))


def octet_string(content: bytes) -> bytes:
    return tlv(OCTET_STRING, content)


def bit_string(content: bytes) -> bytes:
    """A BIT STRING of whole octets (no unused bits), as signatures are."""
    return tlv(BIT_STRING, b"\x00" + content)


def object_identifier(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def explicit(number: int, content: bytes) -> bytes:
    """A context-specific constructed [number] EXPLICIT wrapper (number < 31)."""
    return tlv(0xA0 | number, content)


def generalized_time(value: dt.datetime) -> bytes:
    """GeneralizedTime ``YYYYMMDDHHMMSSZ`` (whole seconds, UTC; RFC 5280 4.1.2.5.2)."""
    return tlv(GENERALIZED_TIME, ensure_utc(value).strftime("%Y%m%d%H%M%SZ").encode("ascii"))


def time(value: dt.datetime) -> bytes:
    """RFC 5280 Time: UTCTime for years 1950-2049, GeneralizedTime otherwise (whole seconds, UTC)."""
    value = ensure_utc(value)
    if 1950 <= value.year < 2050:
        return tlv(UTC_TIME, value.strftime("%y%m%d%H%M%SZ").encode("ascii"))
    return generalized_time(value)


def extension(oid_der: bytes, critical: bool, value_der: bytes) -> bytes:
    """An X.509 Extension: ``oid_der`` (an encoded OID), the critical flag (omitted when False), the value."""
    return sequence(oid_der, BOOLEAN_TRUE if critical else b"", octet_string(value_der))
