"""The one exception type of :mod:`pki.gost`."""

from __future__ import annotations

__all__ = ["GostError"]


class GostError(ValueError):
    """A GOST input that cannot be used, with a stable machine ``code``.

    Codes: ``unsupported_algorithm`` (hash or signature OID not a Kazakh GOST one),
    ``algorithm_mismatch`` (signature OID of another key type), ``unsupported_parameters``
    (unknown key / parameter-set OID or a mismatched pair), ``malformed_key`` (undecodable key,
    off-curve point, out-of-range private scalar), ``malformed_digest`` (digest of the wrong length),
    ``bad_password`` (PKCS#12 MAC or decryption check failed), ``malformed_pkcs12`` (undecodable or
    unsupported PKCS#12 structure).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"GostError(code={self.code!r}, message={self.args[0]!r})"
