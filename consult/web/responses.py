"""Response helpers: redirects after POST, uploaded files served safely."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import RedirectResponse, Response
from starlette.status import HTTP_303_SEE_OTHER


def file_response(data: bytes, filename: str, content_type: str, *, public: bool = True) -> Response:
    """An uploaded file served safely: PDFs and images inline, the rest as downloads, never run."""
    disposition = "inline" if content_type in ("application/pdf", "image/png", "image/jpeg") else "attachment"
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "public, max-age=86400" if public else "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=HTTP_303_SEE_OTHER)
