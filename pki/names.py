"""Subject names in the NCA layout (nca-profile.md), built and parsed by OID.

Individual: CN "SURNAME NAME", SURNAME, SERIALNUMBER "IIN"+12 digits, C KZ,
GIVENNAME = patronymic, optional E. A legal-entity employee or civil servant adds
O (organisation / state body) and OU "BIN"+12 digits. Strings are UTF8String
(Cyrillic incl. Kazakh letters). Attributes are matched by OID only: the
abbreviation "SN" means different things in OpenSSL and Kalkan.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from pki import oids

IIN_PREFIX = "IIN"
BIN_PREFIX = "BIN"

# RFC 5280 bounds a CN at 64 *characters* (ub-common-name). ``cryptography`` counts UTF-8 bytes and refuses
# (when building) or warns (when parsing) beyond 64 bytes, which Cyrillic names reach at 33 letters: the real
# "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022" has 80 bytes. We apply the RFC's bound instead.
COMMON_NAME_MAX_CHARACTERS = 64
X520_LENGTH_WARNING = "Attribute's length must be"  # the start of cryptography's message
_NAME_READS = threading.RLock()


@contextmanager
def long_names_accepted() -> Iterator[None]:
    """A block that builds or parses names with ``cryptography`` without its X.520 byte-length UserWarning
    (that message only; every other warning shows as before). The NCA's names exceed 64 UTF-8 bytes
    (above), and ``cryptography`` warns each time it parses one: once per login before this scope.

    ``warnings.catch_warnings`` swaps the process-wide filter list, so blocks run one at a time (a lock; a
    name parses in microseconds): otherwise one thread leaving its block could drop another's filter.
    """
    with _NAME_READS, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=X520_LENGTH_WARNING, category=UserWarning)
        yield


def common_name_attribute(value: str) -> x509.NameAttribute[str]:
    """A CN attribute of 1 to 64 characters (RFC 5280). Raises ValueError (``name_too_long``) otherwise."""
    if not 1 <= len(value) <= COMMON_NAME_MAX_CHARACTERS:
        raise ValueError("name_too_long: a common name has 1 to 64 characters (RFC 5280 ub-common-name)")
    with long_names_accepted():
        return x509.NameAttribute(NameOID.COMMON_NAME, value, _validate=False)


def subject_of(certificate: x509.Certificate) -> x509.Name:
    """``certificate.subject``, parsed without the X.520 length warning (:func:`long_names_accepted`)."""
    with long_names_accepted():
        return certificate.subject


def issuer_of(certificate: x509.Certificate) -> x509.Name:
    """``certificate.issuer``, parsed without the X.520 length warning (:func:`long_names_accepted`)."""
    with long_names_accepted():
        return certificate.issuer


@dataclass(frozen=True)
class Person:
    """An owner as named on an application. ``patronymic`` may be empty."""

    surname: str
    name: str
    patronymic: str
    iin: str
    email: str | None = None


@dataclass(frozen=True)
class Organization:
    """A legal entity or state body: its registered name and BIN."""

    name: str
    bin: str


def build_subject(person: Person, organization: Organization | None = None) -> x509.Name:
    """The subject DN for ``person`` (working for ``organization`` when given), NCA attribute order."""
    attrs = [
        common_name_attribute(f"{person.surname} {person.name}"),
        x509.NameAttribute(NameOID.SURNAME, person.surname),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, IIN_PREFIX + person.iin),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if organization is not None:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization.name))
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, BIN_PREFIX + organization.bin))
    if person.patronymic:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, person.patronymic))
    if person.email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, person.email))
    return x509.Name([x509.RelativeDistinguishedName([a]) for a in attrs])


def build_ca_subject(common_name: str) -> x509.Name:
    """A CA's DN: CN and C=KZ, as the real NCA CAs have."""
    return x509.Name(
        [
            common_name_attribute(common_name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )


@dataclass(frozen=True)
class SubjectInfo:
    """What a subject DN says, read by OID. Absent attributes are None.

    ``iin``/``bin`` are the 12 digits with their prefix removed, unvalidated:
    checksum and date rules are the caller's policy (production vs test-PKI).
    """

    common_name: str | None
    surname: str | None
    name: str | None
    patronymic: str | None
    iin: str | None
    bin: str | None
    organization: str | None
    email: str | None
    country: str | None


def parse_subject(attributes: Iterable[tuple[str, str]]) -> SubjectInfo:
    """Read a subject from ``(dotted OID, string value)`` pairs; the first value of each OID wins.

    The first name is the CN minus the leading surname, as NCA CNs are "SURNAME NAME".
    """
    values: dict[str, str] = {}
    for oid, value in attributes:
        values.setdefault(oid, value)
    cn = values.get(oids.COMMON_NAME)
    surname = values.get(oids.SURNAME)
    first_name = None
    if cn is not None:
        first_name = cn[len(surname) :].strip() if surname and cn.startswith(surname) else cn
    return SubjectInfo(
        common_name=cn,
        surname=surname,
        name=first_name or None,
        patronymic=values.get(oids.GIVEN_NAME),
        iin=_strip_prefix(values.get(oids.SERIAL_NUMBER), IIN_PREFIX),
        bin=_strip_prefix(values.get(oids.ORGANIZATIONAL_UNIT), BIN_PREFIX),
        organization=values.get(oids.ORGANIZATION),
        email=values.get(oids.EMAIL_ADDRESS),
        country=values.get(oids.COUNTRY),
    )


def name_attributes(name: x509.Name) -> list[tuple[str, str]]:
    """``(dotted OID, value)`` pairs of a ``cryptography`` Name, in order."""
    return [(a.oid.dotted_string, a.value if isinstance(a.value, str) else a.value.decode()) for a in name]


def _strip_prefix(value: str | None, prefix: str) -> str | None:
    if value is None or not value.startswith(prefix):
        return None
    return value[len(prefix) :]
