"""QR codes of the site's own addresses, drawn as inline SVG: no image request, sharp in print, and
nothing for a phone to download before the code can be scanned."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """`url` as a QR code (error correction M: a poster survives a crease) named `title` for screen
    readers. segno escapes the title and writes only paths, so the markup is safe to insert."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=title, svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno's own SVG, title escaped by it
