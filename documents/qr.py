"""DD-14's QR code: a grant's URL as a QR code image, PNG and SVG (``segno``, pure Python).

Error correction level M (15% of the code may be damaged and it still reads), a 4-module quiet zone as
ISO/IEC 18004 requires; PNG at 8 pixels per module so phone cameras read it from a printed page.
"""

from __future__ import annotations

import io

import segno

PNG_SCALE = 8  # pixels per module
SVG_SCALE = 4  # user units per module


def qr_png(url: str) -> bytes:
    """The PNG image of a QR code holding ``url``."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=PNG_SCALE, border=4)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The SVG document of a QR code holding ``url`` (no XML declaration, for embedding in a page)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=SVG_SCALE, border=4, xmldecl=False, title="Open Access QR code"
    )
    return buffer.getvalue().decode("utf-8")
