"""Kazakh individual (IIN) and business (BIN) identification numbers.

Both are 12 digits with the same check digit (nca-profile.md). An IIN encodes the
birth date (digits 1-6, YYMMDD) and the century and sex (digit 7). Pure functions:
no clock, the caller passes the instant (or the date) "as of" which an age is wanted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pki.calendar import kz_date
from pki.errors import ErrorCode, InvalidInput

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# digit 7 -> (century base year, sex)
_CENTURY_SEX = {
    1: (1800, "M"),
    2: (1800, "F"),
    3: (1900, "M"),
    4: (1900, "F"),
    5: (2000, "M"),
    6: (2000, "F"),
}

# The NCA's published TEST identities fail the checksum on purpose (nca-profile.md).
NCA_TEST_IINS = frozenset({"123456789011", "123456789012"})
NCA_TEST_BINS = frozenset({"123456789021"})


def is_nca_test_identity(number: str) -> bool:
    """True for the NCA's published test IINs/BINs, which test-PKI mode accepts with a warning."""
    return number in NCA_TEST_IINS or number in NCA_TEST_BINS


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no valid check digit exists (both sums give 10)."""
    digits = [int(c) for c in first_eleven]
    c = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if c == 10:
        c = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if c == 10:
            return None
    return c


def has_valid_checksum(number: str) -> bool:
    """True if ``number`` is 12 ASCII digits whose last digit is the check digit."""
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:11]) == int(number[11])


@dataclass(frozen=True)
class Iin:
    """A parsed IIN. ``checksum_ok`` is False only for numbers parsed leniently."""

    value: str
    birth_date: dt.date
    sex: Sex
    checksum_ok: bool

    @property
    def masked(self) -> str:
        """All but the last 4 digits hidden, for logs and audit (personal-data law Art. 22)."""
        return mask(self.value)

    def age_on(self, day: dt.date) -> int:
        """Age in full years on ``day`` (see :func:`age_on`)."""
        return age_on(self.birth_date, day)

    def age_at(self, at: dt.datetime) -> int:
        """Age in full years at the instant ``at``, on Kazakhstan's date (see :func:`age_at`)."""
        return age_at(self.birth_date, at)


def mask(number: str) -> str:
    """Mask an IIN/BIN to its last four digits: ``********1234``. Safe on any string."""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def parse_iin(value: str, *, require_checksum: bool = True) -> Iin:
    """Parse and validate an IIN.

    Raises :class:`InvalidInput` with code ``invalid_iin`` when the value is not 12
    digits, the century/sex digit is unassigned, the date does not exist, or (when
    ``require_checksum``) the check digit is wrong. With ``require_checksum=False``
    the date and sex must still make sense. The NCA's own test identities
    (:data:`NCA_TEST_IINS`) encode no birth date at all: check them with
    :func:`is_nca_test_identity` first and treat their age as unknown.
    """
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidInput(ErrorCode.INVALID_IIN, "IIN must be exactly 12 digits", field="iin")
    checksum_ok = has_valid_checksum(value)
    if require_checksum and not checksum_ok:
        raise InvalidInput(ErrorCode.INVALID_IIN, "IIN check digit is wrong", field="iin")
    century_sex = _CENTURY_SEX.get(int(value[6]))
    if century_sex is None:
        raise InvalidInput(ErrorCode.INVALID_IIN, "IIN digit 7 (century and sex) must be 1-6", field="iin")
    base, sex = century_sex
    try:
        birth = dt.date(base + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise InvalidInput(
            ErrorCode.INVALID_IIN, "IIN digits 1-6 are not a real birth date", field="iin"
        ) from None
    return Iin(value=value, birth_date=birth, sex=Sex(sex), checksum_ok=checksum_ok)


def make_iin(birth_date: dt.date, sex: Sex, serial: int) -> str:
    """Build a valid IIN for ``birth_date``/``sex`` using the 4-digit ``serial`` (0-9999).

    Serials whose check digit does not exist are skipped forward, so the result
    may use a later serial. Raises ValueError for a birth year outside 1800-2099.
    """
    base = (birth_date.year // 100) * 100
    century_digit = {1800: 1, 1900: 3, 2000: 5}.get(base)
    if century_digit is None:
        raise ValueError("birth year must be 1800-2099")
    if sex is Sex.FEMALE:
        century_digit += 1
    for candidate in range(serial, serial + 10000):
        first = f"{birth_date:%y%m%d}{century_digit}{candidate % 10000:04d}"
        c = check_digit(first)
        if c is not None:
            return first + str(c)
    raise ValueError("no serial with a valid check digit")  # unreachable: most serials have one


@dataclass(frozen=True)
class Bin:
    """A parsed BIN: registration year/month, entity type (digit 5) and unit kind (digit 6)."""

    value: str
    registered: str  # "YYMM"
    entity_type: int
    unit_kind: int
    checksum_ok: bool


def parse_bin(value: str, *, require_checksum: bool = True) -> Bin:
    """Parse a BIN. Raises :class:`InvalidInput` (code ``invalid_bin``) when malformed."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidInput(ErrorCode.INVALID_BIN, "BIN must be exactly 12 digits", field="bin")
    checksum_ok = has_valid_checksum(value)
    if require_checksum and not checksum_ok:
        raise InvalidInput(ErrorCode.INVALID_BIN, "BIN check digit is wrong", field="bin")
    if require_checksum and not 1 <= int(value[2:4]) <= 12:
        raise InvalidInput(ErrorCode.INVALID_BIN, "BIN digits 3-4 are not a month", field="bin")
    return Bin(
        value=value,
        registered=value[:4],
        entity_type=int(value[4]),
        unit_kind=int(value[5]),
        checksum_ok=checksum_ok,
    )


def make_bin(registered: dt.date, serial: int, entity_type: int = 4, unit_kind: int = 0) -> str:
    """Build a valid BIN registered in ``registered``'s month (serial 0-99999, skipped forward as needed)."""
    for candidate in range(serial, serial + 100000):
        first = f"{registered:%y%m}{entity_type}{unit_kind}{candidate % 100000:05d}"
        c = check_digit(first)
        if c is not None:
            return first + str(c)
    raise ValueError("no serial with a valid check digit")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in full years on ``day``.

    A person born on 29 February gains a year on 1 March in non-leap years
    (rules.md EDS-14: they turn 16 on 1 March).
    """
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_at(birth_date: dt.date, at: dt.datetime) -> int:
    """Age in full years at the instant ``at``: :func:`age_on` the Kazakh date of ``at`` (KZ-TIME).

    The one age rule of EDS-14, at issuance and at login: someone born on 2 December 2010 is 16 from
    2026-12-01T19:00:00Z (midnight in Almaty). Raises ValueError for a naive datetime.
    """
    return age_on(birth_date, kz_date(at))
