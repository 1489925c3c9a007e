"""The main pages at a phone's and a desktop's width: nothing scrolls sideways. With CONSULT_SCREENSHOTS
set, each is saved there (screens/) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.screens import WIDTHS, capture

pytestmark = pytest.mark.browser


def test_the_main_pages_fit_a_phone_and_a_desktop(live_server: str, browser) -> None:
    folder = os.environ.get("CONSULT_SCREENSHOTS")
    widths = capture(browser, live_server, Path(folder) / "screens" if folder else None)
    assert len(widths) == 4 * len(WIDTHS)
    too_wide = {page: width for page, width in widths.items() if width > int(page.rsplit("-", 1)[1])}
    assert not too_wide
