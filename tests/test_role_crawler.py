"""Every demo role's day on the demo city: every page reachable from its start page, on a desk and a phone.

The demo city is built once per test session by the same commands as `make demo`, and served by a
real server process. Every URL pattern of the site must be reached by some role (or be listed below
as not a page), so a new page is crawled by construction.
"""

from __future__ import annotations

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from laoxiao.demo.accounts import DEMO_USERS
from tests.crawler import crawl_role, developer_strings

pytestmark = pytest.mark.browser

DEMO_USERNAMES = [f"demo-{name}" for name, *_ in DEMO_USERS]

# URL patterns that are not pages a link leads to, and why. Everything else must be reached by a link.
_POST = "a form's POST action, answered by a redirect to the page it was on"
NOT_PAGES = {
    "login/": "the sign-in page itself",
    "logout/": "a POST that signs out",
    "elder-mode/": "a POST that switches the mode",
    "i18n/setlang/": "a POST that switches the language",
    "areas/children/": "the area picker's JSON, fetched by its script",
    "people/<int:pk>/reveal/<str:field>/": "the logged reveal, an htmx POST",
    "people/import/template.xlsx": "an old address of the import template, redirected to imports/<kind>/template/",
    "facilities/import/template.xlsx": "an old address of the import template, redirected to imports/<kind>/template/",
    "assessments/import/template.xlsx": "an old address of the import template, redirected to imports/<kind>/template/",
    "people/import/<int:batch_id>/": "an import's check page, reached by uploading a file",
    "facilities/import/<int:batch_id>/": "an import's check page, reached by uploading a file",
    "assessments/import/<int:batch_id>/": "an import's check page, reached by uploading a file",
    "imports/<str:kind>/<int:batch_id>/errors/": "an import's error report, reached by uploading a file",
    "benefits/documents/<int:pk>/": "a document uploaded with an application; the demo's applications carry none",
    "plans/<str:code>/values/": "offered only for a plan with figures to report; the demo's plan computes every "
    "indicator (tests/planning/test_planning.py opens it on the Qianjiang plan)",
    "account/users/<int:pk>/password-reset/": "a POST from the account page, answered by the new password shown once",
    "benefits/batches/<int:pk>/send/": "the confirmation of an approved batch handed to the bank; the demo's "
    "batches are drafts, sent or reconciled (tests/benefits/test_benefits.py opens it)",
    "people/<int:pk>/guardians/new/": "on an infant's record, which the few records per pattern may not include; "
    "tests/web/test_browser.py::test_every_page_opens_without_script_errors opens it",
    **{
        route: _POST
        for route in (
            "account/tokens/<int:pk>/revoke/",
            "account/users/<int:pk>/disable/",
            "account/users/<int:pk>/enable/",
            "account/users/<int:pk>/unlock/",
            "assessments/<int:pk>/assign/",
            "assessments/<int:pk>/reassign/",
            "assessments/<int:pk>/schedule/",
            "assessments/<int:pk>/answer/",
            "assessments/<int:pk>/sign/",
            "assessments/<int:pk>/review/",
            "assessments/<int:pk>/object/",
            "benefits/<str:code>/batch/",
            "benefits/batches/<int:pk>/reconcile/",
            "benefits/payments/<int:pk>/hold/",
            "homecare/orders/<int:pk>/accept/",
            "homecare/orders/<int:pk>/decline/",
            "homecare/orders/<int:pk>/assign/",
            "homecare/orders/<int:pk>/cancel/",
            "homecare/orders/<int:pk>/rate/",
            "homecare/orders/<int:pk>/complain/",
            "homecare/orders/<int:pk>/review/",
            "homecare/orders/<int:pk>/check-in/",
            "homecare/orders/<int:pk>/check-out/",
            "homecare/orders/<int:pk>/phone/",
            "people/<int:pk>/contacts/new/",
            "people/contacts/<int:pk>/remove/",
            "people/contacts/<int:pk>/reveal/",
        )
    },
}


def _walk(patterns, prefix=""):
    for item in patterns:
        if isinstance(item, URLResolver):
            yield from _walk(item.url_patterns, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern)


@pytest.fixture(scope="session")
def crawls(demo_site, browser):
    shots = os.environ.get("LAOXIAO_CRAWLER_SHOTS")  # a folder for each role's start-page screenshots
    if shots:
        os.makedirs(shots, exist_ok=True)
    results = {
        username: crawl_role(browser, demo_site.url, username, password, shots)
        for username, password in sorted(demo_site.passwords.items())
    }
    if shots:
        with open(os.path.join(shots, "report.txt"), "w", encoding="utf-8") as report:
            for crawl in results.values():
                report.write(f"== {crawl.username}: {len(crawl.visited)} pages, {len(crawl.problems)} problems\n")
                report.writelines(f"{u}\n" for u in crawl.visited)
                report.writelines(f"! {p}\n" for p in crawl.problems)
    return results


def test_every_demo_account_is_crawled(crawls):
    assert sorted(crawls) == sorted(DEMO_USERNAMES)
    assert all(len(c.visited) >= 3 for c in crawls.values()), {u: len(c.visited) for u, c in crawls.items()}


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_page_of_the_role_works_on_desk_and_phone(crawls, username):
    crawl = crawls[username]
    assert crawl.problems == [], "\n".join(crawl.problems)


def test_every_page_is_reached_by_some_role(crawls):
    reached = set().union(*(c.routes for c in crawls.values())) | {""}
    pages = {
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/") or route in ("api/v1/docs",)
    }
    unreached = sorted(pages - reached - set(NOT_PAGES))
    assert unreached == [], "no role reaches these pages by a link:\n" + "\n".join(unreached)


def test_the_crawler_names_a_file_path_shown_to_a_user_and_passes_a_document_title():
    shown = (
        "依据： ../shared/seeds/000_d47074968a3a39c7.txt (2022 baseline)；阈值见 rules.json 与 laoxiao.homecare.rules。"
    )
    assert developer_strings(shown) == [
        "../shared/seeds/000_d47074968a3a39c7.txt",
        "laoxiao.homecare.",
        "rules.json",
    ]
    assert developer_strings("依据：《银川市“一老一小”整体解决方案》；导入模板.xlsx；GB/T 42195-2022") == []
