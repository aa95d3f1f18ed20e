"""RC2 decryption (RFC 2268), only as far as legacy PKCS#12 needs it.

The NCA .p12 files encrypt their certificate bag with pbeWithSHAAnd40BitRC2-CBC, i.e. RC2 with a
5-byte key and 40 *effective* key bits. ``cryptography`` only offers RC2 with 128-bit keys (and no
effective-bits parameter), so the cipher is written out here. Decryption only: nothing we write
uses RC2. Not constant-time (it decrypts a password-protected file the caller holds).
"""

from __future__ import annotations

__all__ = ["rc2_cbc_decrypt"]

_PITABLE = bytes.fromhex(
    "d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32"
    "bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626"
    "6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a"
    "961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731"
    "2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2e"
    "c5f3db47e5a59c770aa62068fe7fc1ad"
)

_M16 = 0xFFFF


def _expand_key(key: bytes, effective_bits: int) -> list[int]:
    """The 64 16-bit subkeys K[0..63] (RFC 2268 section 2)."""
    t = len(key)
    buf = bytearray(key) + bytearray(128 - t)
    for i in range(t, 128):
        buf[i] = _PITABLE[(buf[i - 1] + buf[i - t]) & 0xFF]
    t8 = (effective_bits + 7) // 8
    buf[128 - t8] = _PITABLE[buf[128 - t8] & (0xFF >> (8 * t8 - effective_bits))]
    for i in range(127 - t8, -1, -1):
        buf[i] = _PITABLE[buf[i + 1] ^ buf[i + t8]]
    return [buf[2 * i] | buf[2 * i + 1] << 8 for i in range(64)]


def _decrypt_block(k: list[int], block: bytes) -> bytes:
    r = [int.from_bytes(block[2 * i : 2 * i + 2], "little") for i in range(4)]
    j = 63
    for rounds in (5, 6, 5):
        for _ in range(rounds):
            for i, s in ((3, 5), (2, 3), (1, 2), (0, 1)):
                x = r[i]
                x = ((x >> s) | (x << (16 - s))) & _M16
                r[i] = (x - k[j] - (r[i - 1] & r[i - 2]) - (~r[i - 1] & r[i - 3])) & _M16
                j -= 1
        if j >= 0:  # an r-mashing round between the mixing groups, not after the last one
            for i in range(3, -1, -1):
                r[i] = (r[i] - k[r[i - 1] & 63]) & _M16
    return b"".join(x.to_bytes(2, "little") for x in r)


def rc2_cbc_decrypt(key: bytes, effective_bits: int, iv: bytes, data: bytes) -> bytes:
    """RC2-CBC decryption of ``data`` (a multiple of 8 bytes); padding is left to the caller.

    ``key`` is 1..128 bytes, ``effective_bits`` 1..1024 (40 for pbeWithSHAAnd40BitRC2-CBC).
    Raises ValueError if ``data`` is not a whole number of blocks or ``iv`` is not 8 bytes.
    """
    if len(data) % 8 or len(iv) != 8:
        raise ValueError("RC2-CBC needs whole 8-byte blocks and an 8-byte IV")
    k = _expand_key(key, effective_bits)
    out = bytearray()
    prev = iv
    for off in range(0, len(data), 8):
        block = data[off : off + 8]
        out += bytes(a ^ b for a, b in zip(_decrypt_block(k, block), prev, strict=True))
        prev = block
    return bytes(out)
