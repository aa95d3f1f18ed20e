"""GOST R 34.11-2012 "Streebog" (RFC 6986), 512- and 256-bit.

Byte order: the RFC writes a 512-bit vector most significant byte first; here, as in every
implementation that interoperates (OpenSSL's gost engine, gostcrypto, the NCA), a message byte string
``m[0..n-1]`` is the vector whose *least* significant byte is ``m[0]`` and the returned digest is the
state written least significant byte first. So the RFC's example digest ``486f64c1...1a0541b`` for M1
is returned as ``1b54d01a...c1646f48`` (the RFC hex string reversed).

Speed: the LPS transformation is done with eight combined 256-entry tables of 64-bit words
(``_T[j][b] = L(P(S(b at byte j of the input word))``), built once at import from the S-box ``pi``
and the matrix ``A``; the state is handled as eight 64-bit Python ints and re-packed to bytes
once per round so that table indices are plain byte subscripts.
"""

from __future__ import annotations

import struct

__all__ = ["streebog256", "streebog512"]

# The substitution pi (RFC 6986 section 6.2), as bytes.
_PI = bytes.fromhex(
    "fceedd11cf6e3116fbc4fada23c5044de977f0db932e99ba1736f1bb14cd5fc1"
    "f918655ae25cef21811c3c428b018e4f058402aee36a8fa0060bed987fd4d31f"
    "eb342c51eac848abf22a68a2fd3aceccb5700e56080c7612bf7213479cb75d87"
    "15a19629107b9ac7f391786f9d9eb2b13275193dff358a7e6d54c680c3bd0d57"
    "dff524a93ea843c9d779d6f67c22b903e00fecde7a94b0bcdce828504e330a4a"
    "a79760731e0062441ab83882649f2641ad454692275e552f8ca3a57d69d5953b"
    "0758b34086ac1df730376be488d9e789e11b83494c3ff8fe8d53aa90cad88561"
    "207167a42d2b095bcb9b25d0bee56c5259a674d2e6f4b4c0d166afc2394b63b6"
)

# The matrix A of the linear transformation l (RFC 6986 section 6.4): row i is selected by bit 63-i.
_A = (
    0x8E20FAA72BA0B470, 0x47107DDD9B505A38, 0xAD08B0E0C3282D1C, 0xD8045870EF14980E,
    0x6C022C38F90A4C07, 0x3601161CF205268D, 0x1B8E0B0E798C13C8, 0x83478B07B2468764,
    0xA011D380818E8F40, 0x5086E740CE47C920, 0x2843FD2067ADEA10, 0x14AFF010BDD87508,
    0x0AD97808D06CB404, 0x05E23C0468365A02, 0x8C711E02341B2D01, 0x46B60F011A83988E,
    0x90DAB52A387AE76F, 0x486DD4151C3DFDB9, 0x24B86A840E90F0D2, 0x125C354207487869,
    0x092E94218D243CBA, 0x8A174A9EC8121E5D, 0x4585254F64090FA0, 0xACCC9CA9328A8950,
    0x9D4DF05D5F661451, 0xC0A878A0A1330AA6, 0x60543C50DE970553, 0x302A1E286FC58CA7,
    0x18150F14B9EC46DD, 0x0C84890AD27623E0, 0x0642CA05693B9F70, 0x0321658CBA93C138,
    0x86275DF09CE8AAA8, 0x439DA0784E745554, 0xAFC0503C273AA42A, 0xD960281E9D1D5215,
    0xE230140FC0802984, 0x71180A8960409A42, 0xB60C05CA30204D21, 0x5B068C651810A89E,
    0x456C34887A3805B9, 0xAC361A443D1C8CD2, 0x561B0D22900E4669, 0x2B838811480723BA,
    0x9BCF4486248D9F5D, 0xC3E9224312C8C1A0, 0xEFFA11AF0964EE50, 0xF97D86D98A327728,
    0xE4FA2054A80B329C, 0x727D102A548B194E, 0x39B008152ACB8227, 0x9258048415EB419D,
    0x492C024284FBAEC0, 0xAA16012142F35760, 0x550B8E9E21F7A530, 0xA48B474F9EF5DC18,
    0x70A6A56E2440598E, 0x3853DC371220A247, 0x1CA76E95091051AD, 0x0EDD37C48A08A6D8,
    0x07E095624504536C, 0x8D70C431AC02A736, 0xC83862965601DD1B, 0x641C314B2B8EE083,
)  # fmt: skip

# The iteration constants C_1..C_12 (RFC 6986 section 6.5), as the RFC prints them (big-endian hex).
_C = tuple(
    int(c, 16)
    for c in (
        "b1085bda1ecadae9ebcb2f81c0657c1f2f6a76432e45d016714eb88d7585c4fc4b7ce09192676901a2422a08a460d315"
        "05767436cc744d23dd806559f2a64507",
        "6fa3b58aa99d2f1a4fe39d460f70b5d7f3feea720a232b9861d55e0f16b501319ab5176b12d699585cb561c2db0aa7ca"
        "55dda21bd7cbcd56e679047021b19bb7",
        "f574dcac2bce2fc70a39fc286a3d843506f15e5f529c1f8bf2ea7514b1297b7bd3e20fe490359eb1c1c93a376062db09"
        "c2b6f443867adb31991e96f50aba0ab2",
        "ef1fdfb3e81566d2f948e1a05d71e4dd488e857e335c3c7d9d721cad685e353fa9d72c82ed03d675d8b71333935203be"
        "3453eaa193e837f1220cbebc84e3d12e",
        "4bea6bacad4747999a3f410c6ca923637f151c1f1686104a359e35d7800fffbdbfcd1747253af5a3dfff00b723271a16"
        "7a56a27ea9ea63f5601758fd7c6cfe57",
        "ae4faeae1d3ad3d96fa4c33b7a3039c02d66c4f95142a46c187f9ab49af08ec6cffaa6b71c9ab7b40af21f66c2bec6b6"
        "bf71c57236904f35fa68407a46647d6e",
        "f4c70e16eeaac5ec51ac86febf240954399ec6c7e6bf87c9d3473e33197a93c90992abc52d822c3706476983284a0504"
        "3517454ca23c4af38886564d3a14d493",
        "9b1f5b424d93c9a703e7aa020c6e41414eb7f8719c36de1e89b4443b4ddbc49af4892bcb929b069069d18d2bd1a5c42f"
        "36acc2355951a8d9a47f0dd4bf02e71e",
        "378f5a541631229b944c9ad8ec165fde3a7d3a1b258942243cd955b7e00d0984800a440bdbb2ceb17b2b8a9aa6079c54"
        "0e38dc92cb1f2a607261445183235adb",
        "abbedea680056f52382ae548b2e4f3f38941e71cff8a78db1fffe18a1b3361039fe76702af69334b7a1e6c303b7652f4"
        "3698fad1153bb6c374b4c7fb98459ced",
        "7bcd9ed0efc889fb3002c6cd635afe94d8fa6bbbebab076120018021148466798a1d71efea48b9caefbacd1d7d476e98"
        "dea2594ac06fd85d6bcaa4cd81f32d1b",
        "378ee767f11631bad21380b00449b17acda43c32bcdf1d77f82012d430219f9b5d80ef9d1891cc86e71da4aa88e12852"
        "faf417d5d9b21b9948bc924af11bd720",
    )
)

_MASK512 = (1 << 512) - 1
_WORDS = struct.Struct("<8Q")


def _l(word: int) -> int:
    """The linear map l on one 64-bit word (bit 63 selects row 0 of A)."""
    out = 0
    for i in range(64):
        if word >> (63 - i) & 1:
            out ^= _A[i]
    return out


# _T[j][b]: the contribution of byte value b found at byte j of some input word, after S, P and L.
# P moves byte k of input word j to byte j of output word k, so the table depends on j only.
_T = tuple(tuple(_l(_PI[b] << (8 * j)) for b in range(256)) for j in range(8))


def _lps(x: int) -> int:
    """L(P(S(x))) for a 512-bit state ``x`` held as an int (least significant byte = byte 0)."""
    b = x.to_bytes(64, "little")
    t0, t1, t2, t3, t4, t5, t6, t7 = _T
    return int.from_bytes(
        _WORDS.pack(
            t0[b[0]] ^ t1[b[8]] ^ t2[b[16]] ^ t3[b[24]] ^ t4[b[32]] ^ t5[b[40]] ^ t6[b[48]] ^ t7[b[56]],
            t0[b[1]] ^ t1[b[9]] ^ t2[b[17]] ^ t3[b[25]] ^ t4[b[33]] ^ t5[b[41]] ^ t6[b[49]] ^ t7[b[57]],
            t0[b[2]] ^ t1[b[10]] ^ t2[b[18]] ^ t3[b[26]] ^ t4[b[34]] ^ t5[b[42]] ^ t6[b[50]] ^ t7[b[58]],
            t0[b[3]] ^ t1[b[11]] ^ t2[b[19]] ^ t3[b[27]] ^ t4[b[35]] ^ t5[b[43]] ^ t6[b[51]] ^ t7[b[59]],
            t0[b[4]] ^ t1[b[12]] ^ t2[b[20]] ^ t3[b[28]] ^ t4[b[36]] ^ t5[b[44]] ^ t6[b[52]] ^ t7[b[60]],
            t0[b[5]] ^ t1[b[13]] ^ t2[b[21]] ^ t3[b[29]] ^ t4[b[37]] ^ t5[b[45]] ^ t6[b[53]] ^ t7[b[61]],
            t0[b[6]] ^ t1[b[14]] ^ t2[b[22]] ^ t3[b[30]] ^ t4[b[38]] ^ t5[b[46]] ^ t6[b[54]] ^ t7[b[62]],
            t0[b[7]] ^ t1[b[15]] ^ t2[b[23]] ^ t3[b[31]] ^ t4[b[39]] ^ t5[b[47]] ^ t6[b[55]] ^ t7[b[63]],
        ),
        "little",
    )


def _round_keys(k: int) -> tuple[int, ...]:
    """The 13 round keys K_1..K_13 of E(k, .) (K_1 = k, K_i+1 = LPS(K_i ^ C_i))."""
    keys = [k]
    for c in _C:
        keys.append(_lps(keys[-1] ^ c))
    return tuple(keys)


def _e(keys: tuple[int, ...], m: int) -> int:
    """E(K, m) = X[K_13] LPSX[K_12] ... LPSX[K_1](m), given the round keys."""
    s = m
    for k in keys[:-1]:
        s = _lps(s ^ k)
    return s ^ keys[-1]


def _g(n: int, h: int, m: int) -> int:
    """The compression function g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m."""
    return _e(_round_keys(_lps(h ^ n)), m) ^ h ^ m


# The first compression of every message has N = 0 and h = IV: its round keys are constants (half of
# its 25 LPS steps), computed once here for both IVs.
_IV256 = int.from_bytes(b"\x01" * 64, "little")
_FIRST_KEYS = {iv: _round_keys(_lps(iv)) for iv in (0, _IV256)}


def _hash(data: bytes, h: int) -> int:
    view = memoryview(data)
    n = sigma = 0
    full = len(view) - len(view) % 64
    first = _FIRST_KEYS[h]
    for off in range(0, full, 64):
        m = int.from_bytes(view[off : off + 64], "little")
        h = _e(first, m) ^ h ^ m if off == 0 else _g(n, h, m)
        n = (n + 512) & _MASK512
        sigma = (sigma + m) & _MASK512
    tail = view[full:]
    m = int.from_bytes(tail, "little") | 1 << (8 * len(tail))
    h = _e(first, m) ^ h ^ m if full == 0 else _g(n, h, m)
    n = (n + 8 * len(tail)) & _MASK512
    sigma = (sigma + m) & _MASK512
    h = _g(0, h, n)
    return _g(0, h, sigma)


def streebog512(data: bytes) -> bytes:
    """The 64-byte Streebog-512 digest of ``data`` (byte order: see the module docstring)."""
    return _hash(data, 0).to_bytes(64, "little")


def streebog256(data: bytes) -> bytes:
    """The 32-byte Streebog-256 digest of ``data``: the most significant half of the final state."""
    return (_hash(data, _IV256) >> 256).to_bytes(32, "little")
