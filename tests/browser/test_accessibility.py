"""Every page, public and staff, in both languages and in the elder-friendly view: axe-core finds no
serious or critical WCAG 2.1 A/AA violation, and nothing scrolls sideways on a 360-px phone or at 200%
zoom (a 1280-px window at 200% is 640 CSS pixels wide).

The pages are found by crawling from the home page and the staff workspace, one page per route shape
(ids replaced), so new pages are checked without being listed here. With CONSULT_SCREENSHOTS=dir
every checked page is also saved as a full-page screenshot, one folder per case."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
ZOOMED = {"width": 640, "height": 400}
# Not pages: files, feeds, JSON, and the actions a GET link must not trigger.
SKIP = re.compile(r"\.(csv|json|pdf|atom|xml|svg|png|js|css)$|^/(api/v1|static|logout|feeds)/?")
MAX_PAGES = 80


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing in CI: scripts/install fetches it with npm")
        pytest.skip("axe-core is not installed (scripts/install fetches it with npm)")
    return AXE.read_text()


def _shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=", 1)[0] for p in parts.query.split("&") if p))
    return re.sub(r"\d+", "N", parts.path) + "?" + query


def _crawl(page, base: str, starts: list[str], check) -> list[str]:
    """Same-site pages reachable by links, one per route shape, in the order found; `check(url)` runs on
    each while it is open, so that every page is loaded once."""
    queue, seen, pages = [base + s for s in starts], set(), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0).split("#", 1)[0]
        shape = _shape(url)
        if shape in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(shape)
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(url)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        check(url)
        for href in links:
            if href.startswith(base) and "lang=" not in href and "view=" not in href:
                queue.append(href)
    return pages


def _problems(page, url: str, axe_source: str, width: int, shots: Path | None) -> list[str]:
    """What is wrong with the page open at `url`."""
    found = []
    if shots is not None:  # for a person to look at: CONSULT_SCREENSHOTS=dir
        name = re.sub(r"[^A-Za-z0-9]+", "_", urlsplit(url).path + "_" + urlsplit(url).query).strip("_") or "home"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        found.append(f"{url}: {overflow}px wide in a {width}px window")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#f-username").fill(username)
    page.locator("#f-password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/manage/"))


@pytest.mark.parametrize(
    ("who", "language", "view", "size"),
    [
        ("public", "zh", "standard", PHONE),
        ("public", "en", "standard", ZOOMED),
        ("public", "zh", "elder", PHONE),
        ("office", "zh", "standard", ZOOMED),
        ("office", "en", "elder", PHONE),
        ("jt_staff", "zh", "standard", PHONE),  # a department's staff: their own actions and queues
    ],
)
def test_every_page_passes_axe_and_fits_the_screen(
    live_server: str, staff_passwords: dict[str, str], browser, axe_source: str, who, language, view, size
) -> None:
    # CSP forbids inline scripts, rightly; the checker alone is let in.
    context = browser.new_context(viewport=size, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/?lang={language}&view={view}")
    starts = ["/", "/search?q=停车", "/receipts"]
    if who != "public":
        _log_in(page, live_server, who, staff_passwords[who])
        starts = ["/manage/", "/manage/dashboard", "/manage/reviews"]
    shots = None
    if os.environ.get("CONSULT_SCREENSHOTS"):
        shots = Path(os.environ["CONSULT_SCREENSHOTS"]) / f"{who}-{language}-{view}-{size['width']}px"
        shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    pages = _crawl(
        page, live_server, starts, lambda url: problems.extend(_problems(page, url, axe_source, size["width"], shots))
    )
    print(f"{who}, {language}, {view}, {size['width']}px: {len(pages)} pages checked")
    assert len(pages) >= (15 if who == "public" else 25), pages
    assert not problems, "\n".join(problems)
    context.close()
