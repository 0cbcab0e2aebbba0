"""The role crawler: signs in as a demo account and opens every page reachable from its start page.

Each page is opened in Chromium at a desk and a phone size in zh-hans and checked for what a user
would notice: an error status, a script error, a page wider than the phone, a table's columns past the
phone's edge, a button too small for a thumb, a request to another host, English words on a Chinese
page, or a list longer than a page.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desk": DESK, "phone": PHONE}
MAX_ROWS = 100
PER_ROUTE = 4  # concrete URLs opened per URL pattern and role: enough to meet its variants, bounded in time
PER_ROLE = 400

# Never followed: they change the session rather than show a page.
SKIP_PREFIXES = ("/logout/", "/i18n/", "/elder-mode/", "/static/")

# Latin words that belong on a Chinese page: codes, units, standards, file formats, the language switch.
ALLOWED_WORDS = {
    "English",
    "ID",
    "API",
    "OpenAPI",
    "xlsx",
    "docx",
    "csv",
    "CSV",
    "PDF",
    "Excel",
    "Word",
    "GB",
    "MZ",
    "SM",
    "km",
    "kg",
    "cm",
    "ml",
    "mmHg",
    "ADL",
    "GPS",
    "USCC",
    "LTC",
    "laoxiao",
    "Swagger",
    "UI",
    "JSON",
    "min",
    "mm",
}
# Pages whose text is English by design: the API's documentation (Swagger UI, for developers).
ENGLISH_PAGES = {"/api/v1/docs"}
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
USER_NAME = re.compile(r"\bdemo-[a-z0-9-]+")
# A source file, a relative path or a module path shown to a user, where a document's title belongs
# (`../shared/seeds/000_….txt`, `rules.json`, `laoxiao.homecare.rules`). Downloads (xlsx, docx) are fine.
DEVELOPER_STRING = re.compile(r"[\w./-]+\.(?:json|txt|py|md|yaml)\b|\.\./|\blaoxiao\.[a-z_]+\.")

PAGE_FACTS = """() => {
  // Text marked translate="no" (sign-in names, codes) is not English prose: leave it out of the reading.
  const untranslated = Array.from(document.querySelectorAll('[translate=no]'));
  const shown = untranslated.map(e => e.style.display);
  untranslated.forEach(e => { e.style.display = 'none'; });
  const text = document.body ? document.body.innerText : '';
  untranslated.forEach((e, i) => { e.style.display = shown[i]; });
  const rows = Array.from(document.querySelectorAll('table')).map(t => t.querySelectorAll('tbody tr').length);
  return {
    text,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    rows: rows.length ? Math.max(...rows) : 0,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    // under a thumb: a button shorter than 44 px, a table whose columns run past the screen's edge
    small: Array.from(document.querySelectorAll('main button:not(.link), main .button, main input[type=submit]'))
      .filter(b => b.offsetParent !== null && b.getBoundingClientRect().height < 43.5)
      .map(b => b.textContent.trim().slice(0, 20)),
    hidden_columns: Array.from(document.querySelectorAll('main table'))
      .filter(t => t.offsetParent !== null && t.scrollWidth > t.clientWidth + 1 && !('stacked' in t.dataset))
      .map(t => t.dataset.test || t.className || 'table'),
  };
}"""


@dataclass
class RoleCrawl:
    username: str
    visited: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def english_words(text: str) -> list[str]:
    """Words a Chinese reader would have to translate; user names and all-capital codes (bed and credit codes) pass."""
    text = USER_NAME.sub(" ", text)
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not w.isupper()})


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the login page's own "load" has passed; wait for the next page's
        page.click("main button[type=submit]")
    if "/login/" in page.url:
        raise AssertionError(f"{username} could not sign in")


class _Watcher:
    """Collects what the browser reports while one page loads."""

    def __init__(self, page, base: str) -> None:
        self.base = base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        # The console says only "Failed to load resource"; the response names what failed.
        page.on("response", self._response)

    def _request(self, request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.foreign.append(request.url)

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} from {response.url}")

    def take(self) -> tuple[list[str], list[str]]:
        errors, foreign = self.errors, self.foreign
        self.errors, self.foreign = [], []
        return errors, foreign


def developer_strings(text: str) -> list[str]:
    return sorted({m.group(0) for m in DEVELOPER_STRING.finditer(text)})


def _open(page, context, watcher: _Watcher, url: str, viewport: str) -> tuple[list[str], list[str]]:
    """Opens one URL; returns the problems found and the same-site links on the page."""
    problems: list[str] = []
    try:
        response = page.goto(url, wait_until="load")
    except Exception as error:  # a download, or a navigation that failed
        if "Download is starting" not in str(error):
            return [f"{viewport} {url}: did not open ({str(error).splitlines()[0]})"], []
        status = context.request.get(url).status
        return ([f"{viewport} {url}: download answered {status}"] if status >= 400 else []), []
    status = response.status if response else 0
    if status >= 400:
        problems.append(f"{viewport} {url}: answered {status}")
    errors, foreign = watcher.take()
    problems += [f"{viewport} {url}: script error: {e[:200]}" for e in errors]
    problems += [f"{viewport} {url}: request to another host: {f[:120]}" for f in foreign]
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return problems, []
    facts = page.evaluate(PAGE_FACTS)
    if viewport == "phone" and facts["overflow"] > 0:
        problems.append(f"{viewport} {url}: {facts['overflow']} px wider than the screen")
    if viewport == "phone" and facts["small"]:
        problems.append(f"{viewport} {url}: buttons under 44 px: {'、'.join(facts['small'][:5])}")
    if viewport == "phone" and facts["hidden_columns"]:
        problems.append(f"{viewport} {url}: columns past the screen's edge: {' '.join(facts['hidden_columns'][:3])}")
    if facts["rows"] > MAX_ROWS:
        problems.append(f"{viewport} {url}: a list of {facts['rows']} rows")
    words = [] if urlsplit(url).path in ENGLISH_PAGES else english_words(facts["text"])
    if words:
        problems.append(f"{viewport} {url}: English on the page: {' '.join(words[:12])}")
    if paths := developer_strings(facts["text"]):
        problems.append(f"{viewport} {url}: a developer's path on the page: {' '.join(paths[:5])}")
    return problems, facts["links"]


def walk(base: str, username: str, open_page: Callable[[str], Iterable[str]]) -> RoleCrawl:
    """Breadth first from the start page: `open_page(url)` checks one page and returns the links on it.

    Each URL pattern is opened for at most PER_ROUTE concrete URLs, so the walk meets every kind of
    page a role can reach, with real ids from its scope, in bounded time.
    """
    result = RoleCrawl(username)
    per_route: dict[str, int] = defaultdict(int)
    queue = deque([base + "/"])
    seen = {base + "/"}
    while queue and len(result.visited) < PER_ROLE:
        url = queue.popleft()
        links = open_page(url)
        result.visited.append(url)
        by_route: dict[str, list[str]] = defaultdict(list)
        for link in sorted({urldefrag(link).url for link in links}):
            path = urlsplit(link).path
            if not link.startswith(base) or link in seen or path.startswith(SKIP_PREFIXES):
                continue
            seen.add(link)
            route = route_of(path)
            if route is None:
                result.problems.append(f"{username}: a link to a page that does not exist: {link} (on {url})")
            else:
                by_route[route].append(link)
        for route, candidates in by_route.items():
            room = PER_ROUTE - per_route[route]
            if room <= 0:
                continue
            # Spread over the page's links (first, last, between), not its first few: a list of
            # programmes or people meets more kinds of record that way.
            step = max(1, len(candidates) / room)
            picked = list(dict.fromkeys(candidates[min(len(candidates) - 1, round(i * step))] for i in range(room)))
            if len(candidates) > 1 and candidates[-1] not in picked and len(picked) == room:
                picked[-1] = candidates[-1]
            per_route[route] += len(picked)
            result.routes.add(route)
            queue.extend(picked)
    return result


def crawl_role(browser, base: str, username: str, password: str, shots: str | None = None) -> RoleCrawl:
    """Every page the role reaches, each opened at the desk and the phone size."""
    contexts = {name: browser.new_context(locale="zh-CN", viewport=size) for name, size in VIEWPORTS.items()}
    pages = {}
    watchers = {}
    for name, context in contexts.items():
        pages[name] = context.new_page()
        pages[name].set_default_timeout(20_000)
        watchers[name] = _Watcher(pages[name], base)
        _sign_in(pages[name], base, username, password)
        watchers[name].take()
    problems: list[str] = []

    def open_in_both(url: str) -> set[str]:
        links: set[str] = set()
        for name in VIEWPORTS:
            found_problems, found = _open(pages[name], contexts[name], watchers[name], url, name)
            problems.extend(f"{username} {p}" for p in found_problems)
            links.update(found)
            if shots and url == base + "/":
                pages[name].screenshot(path=f"{shots}/{username}-{name}.png", full_page=True)
        return links

    try:
        result = walk(base, username, open_in_both)
    finally:
        for context in contexts.values():
            context.close()
    result.problems[:0] = problems
    return result
