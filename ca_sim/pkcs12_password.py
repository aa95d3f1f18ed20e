"""The minimum password of a PKCS#12 file the CA builds around a key it generated for the applicant (EDS-21).

A PKCS#12 travels and is stored as a file: whoever copies it can guess its password offline as fast as their
hardware allows, so the password is all that protects the holder's key. :data:`PKCS12_PASSWORD_POLICY`:

- **at least 8 characters**: NIST SP 800-63B section 5.1.1.2 (memorised secrets chosen by the subscriber
  SHALL be at least 8 characters);
- **not all of one character class** (lower-case letters, upper-case letters, digits, anything else): refuses
  the commonest trivial choices (``12345678``, ``password``, ``aaaaaaaa``) without forcing a recipe, so a
  long passphrase of lower-case words and spaces passes;
- **not containing the applicant's IIN**: 800-63B's check against context-specific words (the IIN is in the
  certificate, in clear).

A refusal is InvalidInput(``weak_password``) naming ``pkcs12_password``: a 400 problem document at the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from pki.errors import ErrorCode, InvalidInput


@dataclass(frozen=True)
class Pkcs12PasswordPolicy:
    """EDS-21: what a PKCS#12 password of a CA-generated key must be (see the module docstring)."""

    min_length: int = 8
    min_character_classes: int = 2

    def check(self, password: bytes, iin: str) -> None:
        """Return when ``password`` (UTF-8) satisfies the policy for the applicant ``iin``.

        Raises InvalidInput(``weak_password``, field ``pkcs12_password``) naming the rule it breaks.
        """
        text = password.decode("utf-8", errors="replace")
        if len(text) < self.min_length:
            raise _weak(f"at least {self.min_length} characters")
        if len({_character_class(c) for c in text}) < self.min_character_classes:
            raise _weak("characters of at least two kinds (lower-case, upper-case, digits, other)")
        if iin and iin in text:
            raise _weak("not the applicant's IIN")


PKCS12_PASSWORD_POLICY = Pkcs12PasswordPolicy()


def _character_class(character: str) -> str:
    if character.islower():
        return "lower"
    if character.isupper():
        return "upper"
    if character.isdigit():
        return "digit"
    return "other"


def _weak(rule: str) -> InvalidInput:
    return InvalidInput(
        ErrorCode.WEAK_PASSWORD, f"pkcs12_password is too weak: it needs {rule}", field="pkcs12_password"
    )
