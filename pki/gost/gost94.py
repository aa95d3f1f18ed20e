"""GOST R 34.11-94 with the "Test" parameter set (id-GostR3411-94-TestParamSet), IV = 0.

This is the hash of Kazakh GOST 34.310-2004 signatures (gost.md): the S-box is the one of the
GOST R 34.11-94 and RFC 5831 examples, **not** the CryptoPro S-box.

Byte order, as in RFC 5831 implementations (OpenSSL's gost engine, rhash): a 32-byte message block,
the key and the chaining value are 256-bit integers read little-endian; the digest is the final
chaining value written little-endian. The last partial block is zero-padded; an empty tail adds no
block. The 64-bit halves fed to GOST 28147-89 are the little-endian words of H, low word first.
"""

from __future__ import annotations

__all__ = ["gost34311_94"]

# The "Test" S-box: row i substitutes the i-th 4-bit nibble (row 0 = least significant nibble).
_SBOX = (
    (4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3),
    (14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9),
    (5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11),
    (7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3),
    (6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2),
    (4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14),
    (13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12),
    (1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12),
)

_M32 = 0xFFFFFFFF
_M64 = (1 << 64) - 1
_M256 = (1 << 256) - 1
_C3 = 0xFF00FFFF000000FFFF0000FF00FFFF0000FF00FF00FF00FFFF00FF00FF00FF00


def _rol11(x: int) -> int:
    return ((x << 11) | (x >> 21)) & _M32


# _F[i][b]: S-box substitution of byte i of the round input followed by the 11-bit rotation.
_F = tuple(
    tuple(_rol11((_SBOX[2 * i][b & 15] | _SBOX[2 * i + 1][b >> 4] << 4) << (8 * i)) for b in range(256))
    for i in range(4)
)

# The byte transposition P: byte n of P(W) is byte _PHI[n] of W.
_PHI = tuple(8 * (n % 4) + n // 4 for n in range(32))


def _encrypt(key: tuple[int, ...], block: int) -> int:
    """GOST 28147-89 ECB encryption of a 64-bit block under 32 round subkeys."""
    f0, f1, f2, f3 = _F
    n1, n2 = block & _M32, block >> 32
    for k in key:
        x = (n1 + k) & _M32
        n1, n2 = n2 ^ f0[x & 255] ^ f1[x >> 8 & 255] ^ f2[x >> 16 & 255] ^ f3[x >> 24], n1
    return n2 | n1 << 32


def _round_keys(w: int) -> tuple[int, ...]:
    """The 32 round subkeys (k1..k8 three times, then k8..k1) for the key P(w)."""
    wb = w.to_bytes(32, "little")
    kb = bytes(wb[i] for i in _PHI)
    k = tuple(int.from_bytes(kb[4 * j : 4 * j + 4], "little") for j in range(8))
    return k * 3 + k[::-1]


def _a(y: int) -> int:
    return (y >> 64) | (((y ^ (y >> 64)) & _M64) << 192)


def _psi(y: int, times: int) -> int:
    for _ in range(times):
        x = y ^ (y >> 16) ^ (y >> 32) ^ (y >> 48) ^ (y >> 192) ^ (y >> 240)
        y = (y >> 16) | ((x & 0xFFFF) << 240)
    return y


def _step(h: int, m: int) -> int:
    """The step function f(H, M) of GOST R 34.11-94."""
    u, v = h, m
    s = 0
    for j in range(4):
        if j:
            u = _a(u) ^ (_C3 if j == 2 else 0)
            v = _a(_a(v))
        s |= _encrypt(_round_keys(u ^ v), (h >> (64 * j)) & _M64) << (64 * j)
    return _psi(h ^ _psi(m ^ _psi(s, 12), 1), 61)


def gost34311_94(data: bytes) -> bytes:
    """The 32-byte GOST R 34.11-94 (Test parameter set) digest of ``data``."""
    view = memoryview(data)
    h = sigma = 0
    for off in range(0, len(view), 32):
        m = int.from_bytes(view[off : off + 32], "little")
        h = _step(h, m)
        sigma = (sigma + m) & _M256
    h = _step(h, 8 * len(view))
    return _step(h, sigma).to_bytes(32, "little")
