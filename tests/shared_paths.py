"""Where the shared reference material lives: ``../shared`` beside the repository (as in CI)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
INTEROP_RSA = SHARED / "interop" / "ncanode-rsa-test"
INTEROP_GOST = SHARED / "interop" / "ncanode-gost-test"
