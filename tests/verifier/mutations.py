"""Hostile variants of a signed object for the property tests: one byte flipped, or the object cut short."""

from __future__ import annotations

from hypothesis import strategies as st


def flipped_or_truncated(data: st.DataObject, original: bytes) -> bytes:
    """``original`` cut at a drawn position, or with the byte there XORed with a drawn non-zero value."""
    position = data.draw(st.integers(0, len(original) - 1))
    if data.draw(st.booleans()):
        return original[:position]
    mutated = bytearray(original)
    mutated[position] ^= data.draw(st.integers(1, 255))
    return bytes(mutated)
