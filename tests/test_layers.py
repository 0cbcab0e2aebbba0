"""The house style as checks over the code (issue 12): a drift fails here instead of waiting for a
reviewer. Each rule reads the source, and the tree keeps every one (no exceptions are listed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "laoxiao"


def _modules(pattern: str) -> list[Path]:
    return sorted(p for p in PACKAGE.glob(pattern) if "migrations" not in p.parts)


def _view_modules() -> list[Path]:
    return [*_modules("*/views.py"), *_modules("*/*_views.py"), *_modules("*/api.py")]


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted text) of every attribute access and call name in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found.append((node.lineno, node.func.id))
    return found


def check_views_do_not_query_models(source: str) -> list[str]:
    """A view or API module parses and calls one service or selector: it never reaches `.objects`."""
    return [f"line {line}: {text}" for line, text in _calls(ast.parse(source)) if text.endswith(".objects")]


def check_pages_do_not_load_shipped_data(source: str) -> list[str]:
    """Shipped data (catalogue, programmes, instruments) is loaded at migrate time, not by a page read."""
    return [f"line {line}: {text}" for line, text in _calls(ast.parse(source)) if text.endswith("_sync")]


def check_selectors_do_not_import_services(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [a.name for a in node.names]
            if node.module.endswith(".services") or "services" in names:
                found.append(f"line {node.lineno}: from {node.module} import {', '.join(names)}")
    return found


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def check_templates_have_no_inline_script(source: str) -> list[str]:
    """The Content-Security-Policy allows no inline script: a `<script>` without `src`, or an `onclick=`."""
    return [
        f"line {n}: {line.strip()[:80]}"
        for n, line in enumerate(source.splitlines(), start=1)
        if INLINE_SCRIPT.search(line) or INLINE_HANDLER.search(line)
    ]


AREA_ARITHMETIC = re.compile(
    r"PREFIX_LENGTH\[|\.ljust\(12\b|Substr\([^)]*area[^)]*,\s*1,|\b(?:code|area_id|area_code|prefix)\[:\s*\d"
)


def check_area_codes_only_in_areacode(source: str) -> list[str]:
    """Area-code arithmetic (a level's prefix length, padding to 12 digits, a county's digits) lives in
    core/areacode.py, so the meaning of a digit is written once."""
    return [
        f"line {n}: {line.strip()[:80]}"
        for n, line in enumerate(source.splitlines(), start=1)
        if AREA_ARITHMETIC.search(line)
    ]


RULES = [
    ("view queries a model", check_views_do_not_query_models, _view_modules),
    ("page loads shipped data", check_pages_do_not_load_shipped_data, _view_modules),
    ("selector imports services", check_selectors_do_not_import_services, lambda: _modules("*/selectors.py")),
    ("inline script in a template", check_templates_have_no_inline_script, lambda: _modules("**/templates/**/*.html")),
    (
        "area-code arithmetic outside core/areacode.py",
        check_area_codes_only_in_areacode,
        lambda: [p for p in _modules("**/*.py") if _name(p) != "core/areacode.py"],
    ),
]


@pytest.mark.parametrize(("rule", "check", "files"), RULES, ids=[r[0] for r in RULES])
def test_the_tree_keeps_the_rule(rule, check, files):
    broken = {_name(path): check(path.read_text(encoding="utf-8")) for path in files()}
    broken = {name: found for name, found in broken.items() if found}
    assert not broken, f"{rule}: {broken}"


BAD_VIEW = """
from laoxiao.people.models import Person
from laoxiao.homecare import services

def person_list(request):
    services.catalogue_sync()
    return Person.objects.filter(area_id=request.GET["area"])
"""


def test_each_rule_fails_on_a_deliberately_bad_module():
    assert check_views_do_not_query_models(BAD_VIEW) == ["line 7: Person.objects"]
    assert check_pages_do_not_load_shipped_data(BAD_VIEW) == ["line 6: services.catalogue_sync"]
    assert check_selectors_do_not_import_services(BAD_VIEW) == ["line 3: from laoxiao.homecare import services"]
    assert check_templates_have_no_inline_script('<p>\n<button onclick="go()">去</button>\n<script>x()</script>') == [
        'line 2: <button onclick="go()">去</button>',
        "line 3: <script>x()</script>",
    ]
    assert check_templates_have_no_inline_script('<script src="/static/a.js" defer></script>') == []
    arithmetic = 'county = person.area_id[:6]\ncode = prefix.ljust(12, "0")\nn = PREFIX_LENGTH["city"]\nok = number[:6]'
    assert check_area_codes_only_in_areacode(arithmetic) == [
        "line 1: county = person.area_id[:6]",
        'line 2: code = prefix.ljust(12, "0")',
        'line 3: n = PREFIX_LENGTH["city"]',
    ]
