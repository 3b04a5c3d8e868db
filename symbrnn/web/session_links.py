"""The printable page of a session's links: one personal link per student, and its QR code
(an SVG drawn by ``segno``, the ``serve`` extra's pure-Python QR library; the link alone
when it is not installed).

>>> qr_svg("http://127.0.0.1:8000/s/abc").startswith("<svg") or qr_svg("x") == ""
True
"""

from __future__ import annotations

from symbrnn.web.session_store import SessionStore


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG, or "" without segno."""
    try:
        import segno
    except ImportError:
        return ""
    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def links(store: SessionStore, base: str) -> list[dict]:
    """Each student's name, id, variant, personal link and its QR code (SVG markup)."""
    from markupsafe import Markup

    out = []
    for s in store.students():
        url = f"{base}/s/{s.token}"
        out.append(
            {"name": s.name, "id": s.id, "seed": s.seed, "url": url, "svg": Markup(qr_svg(url))}
        )
    return out
