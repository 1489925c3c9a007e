"""The site's own pages: the site map (HTML for people, XML for search engines), robots.txt, the icon,
the privacy statement and the guide."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from consult.decisions.visibility import public_catalogs
from consult.site.queries import public_pages
from consult.web import render, settings_of
from consult.web.templating import STATIC_DIR

# Never worth a crawler's visit: staff pages, login, receipts (private to whoever holds the code),
# searches (an endless space of pages) and the API's data endpoints (the downloads are linked instead).
DISALLOWED = ("/manage/", "/login", "/receipts", "/search", "/api/v1/", "/meetings/applications/")
DAY = 24 * 3600


async def robots(request: Request) -> Response:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {settings_of(request).base_url}/sitemap.xml")
    return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": f"public, max-age={DAY}"})


async def sitemap_xml(request: Request) -> Response:
    base = settings_of(request).base_url
    urls = []
    for entry in await public_pages():
        changed = f"<lastmod>{entry.changed_on.isoformat()}</lastmod>" if entry.changed_on else ""
        urls.append(f"<url><loc>{escape(base + entry.path)}</loc>{changed}</url>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(urls) + "\n</urlset>\n"
    )
    return Response(body, media_type="application/xml", headers={"Cache-Control": "public, max-age=3600"})


async def sitemap_page(request: Request) -> Response:
    years = await public_catalogs().order_by("-year").values_list("year", flat=True)
    return await render(request, "site/sitemap.html", {"catalogs": years})


async def privacy(request: Request) -> Response:
    return await render(request, "site/privacy.html")


async def help_page(request: Request) -> Response:
    return await render(request, "site/help.html")


def _static_file(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    """Where browsers and phones look for the icon, at the site's root."""

    async def endpoint(request: Request) -> Response:
        headers = {"Cache-Control": f"public, max-age={DAY}"}
        return FileResponse(STATIC_DIR / name, media_type=media_type, headers=headers)

    return endpoint


routes = [
    Route("/robots.txt", robots),
    Route("/sitemap.xml", sitemap_xml),
    Route("/sitemap", sitemap_page),
    Route("/privacy", privacy),
    Route("/help", help_page),
    Route("/favicon.ico", _static_file("favicon.ico", "image/x-icon")),
    Route("/apple-touch-icon.png", _static_file("apple-touch-icon.png", "image/png")),
]
