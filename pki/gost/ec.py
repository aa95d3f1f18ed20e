"""Fast elliptic-curve arithmetic for the GOST curves, on gmpy2 integers.

Points are Jacobian triples ``(X, Y, Z)`` standing for ``(X/Z^2, Y/Z^3)``; ``Z == 0`` is the point at
infinity. Additions are always "mixed" (Jacobian + affine), with every table held in affine form
(converted with one modular inversion per batch, Montgomery's trick).

Two scalar-multiplication methods:

- :class:`FixedBaseTable` (for G, built once per curve on first use, and for public keys that are
  verified repeatedly): for a window width w it holds ``d * 2^(w*i) * P`` for d = 1..2^(w-1) and every
  window i; a scalar recoded into signed base-2^w digits then costs one mixed addition per non-zero
  digit and no doublings.
- width-5 wNAF for a point seen once (one doubling per scalar bit, an addition every ~6 bits).

Nothing here is constant-time: the module verifies public data. Signing (keygen, k*G) uses the same
code; its timing depends on the secret scalar (see :mod:`pki.gost.signature`).
"""

from __future__ import annotations

import threading

import gmpy2
from gmpy2 import mpz

from pki.gost.curves import Curve

__all__ = ["INFINITY", "Arith", "FixedBaseTable", "arith_for"]

Jacobian = tuple[mpz, mpz, mpz]
Affine = tuple[mpz, mpz]

_ZERO = mpz(0)
_ONE = mpz(1)
INFINITY: Jacobian = (_ONE, _ONE, _ZERO)
_WNAF_WIDTH = 5
_G_WINDOW = 8


def _signed_digits(k: int, w: int, count: int) -> list[int]:
    """k as ``count`` signed base-2^w digits in (-2^(w-1), 2^(w-1)], least significant first."""
    full, half, mask = 1 << w, 1 << (w - 1), (1 << w) - 1
    digits = []
    for _ in range(count):
        d = k & mask
        k >>= w
        if d > half:
            d -= full
            k += 1
        digits.append(d)
    return digits


def _wnaf(k: int, w: int) -> list[int]:
    """The width-w NAF of k > 0, least significant digit first (non-zero digits are odd)."""
    full, half, mask = 1 << w, 1 << (w - 1), (1 << w) - 1
    digits = []
    while k:
        if k & 1:
            d = k & mask
            if d >= half:
                d -= full
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


class FixedBaseTable:
    """Precomputed multiples of one point for fixed-window signed-digit multiplication."""

    __slots__ = ("digits", "rows", "width")

    def __init__(self, width: int, digits: int, rows: list[list[Affine]]) -> None:
        self.width = width
        self.digits = digits
        self.rows = rows


class Arith:
    """Group operations on one curve. Thread-safe: the only shared state is the lazily built G table."""

    def __init__(self, curve: Curve) -> None:
        self.curve = curve
        self.p = mpz(curve.p)
        self.q = curve.q
        self._a = mpz(curve.a)
        self._a_is_minus_3 = curve.a == curve.p - 3
        self._g_table: FixedBaseTable | None = None
        self._lock = threading.Lock()

    # -- point operations -------------------------------------------------------------------------

    def double(self, pt: Jacobian) -> Jacobian:
        """2 * pt (dbl-2001-b for a = -3, dbl-2007-bl otherwise)."""
        x, y, z = pt
        p = self.p
        if self._a_is_minus_3:
            delta = z * z % p
            gamma = y * y % p
            beta = x * gamma % p
            alpha = 3 * (x - delta) * (x + delta) % p
            x3 = (alpha * alpha - 8 * beta) % p
            return x3, (alpha * (4 * beta - x3) - 8 * gamma * gamma) % p, 2 * y * z % p
        xx = x * x % p
        yy = y * y % p
        zz = z * z % p
        s = 4 * x * yy % p
        m = (3 * xx + self._a * zz * zz) % p
        x3 = (m * m - 2 * s) % p
        return x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p

    def add_affine(self, pt: Jacobian, x2: mpz, y2: mpz) -> Jacobian:
        """pt + (x2, y2), correct for every input (infinity, equal points, opposite points)."""
        x1, y1, z1 = pt
        if not z1:
            return x2, y2, _ONE
        p = self.p
        zz = z1 * z1 % p
        h = (x2 * zz - x1) % p
        r = (y2 * zz * z1 - y1) % p
        if not h:
            return self.double(pt) if not r else INFINITY
        hh = h * h % p
        hhh = h * hh % p
        v = x1 * hh % p
        x3 = (r * r - hhh - 2 * v) % p
        return x3, (r * (v - x3) - y1 * hhh) % p, z1 * h % p

    def to_affine(self, pt: Jacobian) -> Affine | None:
        """The affine form of pt, or None for the point at infinity."""
        return self._finite_affine(pt) if pt[2] else None

    def _finite_affine(self, pt: Jacobian) -> Affine:
        x, y, z = pt
        p = self.p
        zi = gmpy2.invert(z, p)
        zi2 = zi * zi % p
        return x * zi2 % p, y * zi2 * zi % p

    def _batch_affine(self, pts: list[Jacobian]) -> list[Affine]:
        """Affine forms of finite points, with one inversion in all (Montgomery's trick)."""
        p = self.p
        prefix = []
        acc = _ONE
        for _, _, z in pts:
            prefix.append(acc)
            acc = acc * z % p
        inv = gmpy2.invert(acc, p)
        out: list[Affine] = [(_ZERO, _ZERO)] * len(pts)
        for i in range(len(pts) - 1, -1, -1):
            x, y, z = pts[i]
            zi = inv * prefix[i] % p
            inv = inv * z % p
            zi2 = zi * zi % p
            out[i] = (x * zi2 % p, y * zi2 * zi % p)
        return out

    # -- tables -----------------------------------------------------------------------------------

    def build_table(self, x: int, y: int, width: int) -> FixedBaseTable:
        """The fixed-base table of the affine point (x, y), which must have order q.

        Width 8 costs ~65 rows of 128 points (~0.1 s to build for 512-bit); width 6, 86 rows of 32.
        """
        count = -(-(self.q.bit_length() + 1) // width)
        half = 1 << (width - 1)
        base: Jacobian = (mpz(x), mpz(y), _ONE)
        rows: list[list[Affine]] = []
        for _ in range(count):
            bx, by = self._finite_affine(base)
            multiples = [base]
            for _ in range(half - 1):
                multiples.append(self.add_affine(multiples[-1], bx, by))
            rows.append(self._batch_affine(multiples))
            base = self.double(multiples[-1])  # 2 * (2^(w-1) * B) = 2^w * B
        return FixedBaseTable(width, count, rows)

    @property
    def g_table(self) -> FixedBaseTable:
        """The table for G (window 8), built on first use (~0.1 s for 512-bit) and kept."""
        table = self._g_table
        if table is None:
            with self._lock:
                if self._g_table is None:
                    self._g_table = self.build_table(self.curve.gx, self.curve.gy, _G_WINDOW)
                table = self._g_table
        return table

    # -- scalar multiplication --------------------------------------------------------------------

    def add_fixed(self, acc: Jacobian, table: FixedBaseTable, k: int) -> Jacobian:
        """acc + k * P for the point P of ``table`` (0 <= k < 2^(width*digits - 1))."""
        p = self.p
        add = self.add_affine
        for row, d in zip(table.rows, _signed_digits(k, table.width, table.digits), strict=True):
            if d > 0:
                x, y = row[d - 1]
                acc = add(acc, x, y)
            elif d < 0:
                x, y = row[-d - 1]
                acc = add(acc, x, p - y)
        return acc

    def mul_wnaf(self, x: int, y: int, k: int) -> Jacobian:
        """k * (x, y) for a point of order q used once (k > 0)."""
        p = self.p
        pt: Jacobian = (mpz(x), mpz(y), _ONE)
        tx, ty = self._finite_affine(self.double(pt))
        odd = [pt]
        for _ in range((1 << (_WNAF_WIDTH - 2)) - 1):
            odd.append(self.add_affine(odd[-1], tx, ty))
        table = self._batch_affine(odd)
        add, dbl = self.add_affine, self.double
        acc = INFINITY
        for d in reversed(_wnaf(k, _WNAF_WIDTH)):
            acc = dbl(acc)
            if d > 0:
                tx, ty = table[d >> 1]
                acc = add(acc, tx, ty)
            elif d < 0:
                tx, ty = table[-d >> 1]
                acc = add(acc, tx, p - ty)
        return acc

    def mul_g(self, k: int) -> Affine | None:
        """k * G in affine form (None if k is a multiple of q)."""
        return self.to_affine(self.add_fixed(INFINITY, self.g_table, k % self.q))


_ARITH: dict[str, Arith] = {}
_ARITH_LOCK = threading.Lock()


def arith_for(curve: Curve) -> Arith:
    """The shared :class:`Arith` of ``curve`` (one per curve per process)."""
    arith = _ARITH.get(curve.name)
    if arith is None:
        with _ARITH_LOCK:
            arith = _ARITH.setdefault(curve.name, Arith(curve))
    return arith
