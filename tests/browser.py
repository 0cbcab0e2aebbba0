"""Playwright driving Debian's Chromium (never a downloaded browser) against the live test server."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, user, password="not-a-real-password-1"):
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # "**/" matched /login/ itself, so the wait could end before the post did
        page.click("main button[type=submit]")


def pick_area(page, name, code):
    """Choose the area `code` in the picker of field `name`, level by level, as a user does."""
    from playwright.sync_api import expect

    picker = page.locator(f"[data-area-picker]:has(input[name={name}])")
    for depth in (6, 9, 12):
        choice = code[:depth].ljust(12, "0")
        selects = picker.locator("select")
        for n in range(selects.count()):
            if selects.nth(n).locator(f"option[value='{choice}']").count():
                selects.nth(n).select_option(choice)
                # a locator's assertion, not wait_for_function: the page's CSP refuses the eval that polling needs
                expect(picker.locator(f"input[name={name}]")).to_have_value(choice)
                if depth < 12 and choice != code:
                    picker.locator(f"select[data-parent='{choice}']").wait_for()
                break
