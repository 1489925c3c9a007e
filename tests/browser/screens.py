"""The pages a citizen meets first, at a phone's and a desktop's width: where they are and how to
capture them. Used by test_screens.py, and by hand against any running server (an older checkout's,
for a before/after comparison):

    .venv/bin/python -m tests.browser.screens http://127.0.0.1:8000 /tmp/shots
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

WIDTHS = {"phone": 360, "desktop": 1280}
HEIGHT = 800


def main_pages(base: str, page) -> dict[str, str]:
    """Home, the first open consultation, the first published report and this year's catalog, found
    by following the site's own links as a visitor would."""

    def first(pattern: str) -> str:
        links = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
        return next(link for link in links if re.fullmatch(pattern, link))

    page.goto(base + "/")
    consultation, catalog = first(r"/consultations/\d+"), first(r"/catalogs/\d+")
    page.goto(base + "/reports/")
    report = first(r"/reports/\d+")
    return {"home": "/", "consultation": consultation, "report": report, "catalog": catalog}


def capture(browser, base: str, folder: Path | None) -> dict[str, int]:
    """Each main page at each width; returns how wide each page's content is (scrollWidth), by
    "name-width". Screenshots go to `folder` when one is given."""
    widths: dict[str, int] = {}
    for kind, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": HEIGHT})
        page = context.new_page()
        for name, path in main_pages(base, page).items():
            page.goto(base + path.split("#", 1)[0])
            widths[f"{name}-{width}"] = page.evaluate("document.documentElement.scrollWidth")
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{name}-{kind}-{width}.png"), full_page=True)
        context.close()
    return widths


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(capture(chromium, sys.argv[1], Path(sys.argv[2])))
        chromium.close()
