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
    """An app's views.py (or one per sub-domain, homecare/orders/views.py), *_views.py and api.py."""
    return [*_modules("**/views.py"), *_modules("*/*_views.py"), *_modules("**/api.py")]


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE if PACKAGE in path.parents else PACKAGE.parent))


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


WRITE_HELPERS = {"status_change_record", "insert_with_history", "bulk_create_with_history"}
MANAGER_WRITES = {"create", "bulk_create", "bulk_update", "update", "delete", "update_or_create", "get_or_create"}


def _is_writing(expression: ast.expr) -> bool:
    return isinstance(expression, ast.Call) and ast.unparse(expression.func) == "writing"


def _is_service(decorators: list[str]) -> bool:
    return any(d == "service" or d.startswith("service(") for d in decorators)


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in WRITE_HELPERS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in ("save", "delete") and not call.args:  # a model's save() takes no positional argument
        return True
    receiver = ast.unparse(func.value)
    return func.attr in MANAGER_WRITES and ("objects" in receiver or "_manager" in receiver)


def _inside_writing(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.With) and any(_is_writing(i.context_expr) for i in node.items):
            return True
    return False


def check_writes_are_services(source: str) -> list[str]:
    """A public function that writes is a `@service` (core/writes.py: one durable transaction, its actor,
    side effects on commit), or writes only inside `with writing():`; `transaction.atomic` as a
    decorator or around a whole body is the service's job, so it appears only as a savepoint."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        decorators = [ast.unparse(d) for d in function.decorator_list]
        found += [f"line {function.lineno}: @{d}" for d in decorators if d.startswith("transaction.atomic")]
        if _is_service(decorators) or function.name.startswith("_"):
            continue
        writes = [n for n in ast.walk(function) if isinstance(n, ast.Call) and _is_write(n)]
        found += [
            f"line {n.lineno}: {function.name} writes ({ast.unparse(n.func)})"
            for n in writes
            if not _inside_writing(n, parents)
        ]
    return found


SCOPING = {"scoped", "scoped_get", "area_in_scope", "area_scope", "public", "within"}


def check_selectors_read_through_the_scope(source: str) -> list[str]:
    """A public selector that reaches a model filters through core/scope.py: `scoped()` (directly or by a
    helper of its module), `public()` for policy data, `within()` for rows of a record already read in
    scope, or it is handed an `AreaScope`, the area a count may cover."""
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}

    def called(function: ast.FunctionDef) -> set[str]:
        return {ast.unparse(c.func).split(".")[-1] for c in ast.walk(function) if isinstance(c, ast.Call)}

    def given_a_scope(function: ast.FunctionDef) -> bool:
        arguments = [*function.args.args, *function.args.kwonlyargs]
        return any(a.annotation is not None and ast.unparse(a.annotation) == "AreaScope" for a in arguments)

    through = {name for name, f in functions.items() if called(f) & SCOPING or given_a_scope(f)}
    while grown := {name for name, f in functions.items() if name not in through and called(f) & through}:
        through |= grown
    return [
        f"line {f.lineno}: {name} reads without scoped(), public() or within()"
        for name, f in functions.items()
        if not name.startswith("_")
        and name not in through
        and any(isinstance(n, ast.Attribute) and n.attr in ("objects", "_default_manager") for n in ast.walk(f))
    ]


def check_services_modules_hold_only_services(source: str) -> list[str]:
    """A services module is the app's writes (a @service, or a job writing row by row inside `writing()`):
    a read it needs elsewhere belongs in selectors or the app's policy module (what the rules say outside
    a write), so a selector never imports a write module."""
    return [
        f"line {node.lineno}: {node.name} is not a @service"
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and not _is_service([ast.unparse(d) for d in node.decorator_list])
        and not any(
            isinstance(w, ast.With) and any(_is_writing(i.context_expr) for i in w.items) for w in ast.walk(node)
        )
    ]


OWN_WRITES = {"create", "bulk_create", "bulk_update", "update", "delete", "update_or_create", "get_or_create"}


def _written_model(call: ast.Call) -> str | None:
    """The model a manager write or a bulk helper writes, by the name it is imported under."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "insert_with_history" and call.args:
        return ast.unparse(call.args[0])
    if isinstance(func, ast.Name) and func.id == "bulk_create_with_history" and len(call.args) > 1:
        return ast.unparse(call.args[1])
    if isinstance(func, ast.Attribute) and func.attr in OWN_WRITES:
        node: ast.AST = func.value
        while isinstance(node, (ast.Attribute, ast.Call)):
            if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.func if isinstance(node, ast.Call) else node.value
    return None


def check_an_app_writes_only_its_own_models(source: str, app: str) -> list[str]:
    """An app calls another app's services, never writes its models (core's too: the reveal log is
    `core.services.identifier_reveals_record`, a status change `core.transitions.status_change_record`)."""
    tree = ast.parse(source)
    origin = {
        alias.asname or alias.name: node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("laoxiao.")
        and node.module.endswith(".models")
        for alias in node.names
    }
    return [
        f"line {call.lineno}: writes {model} of {origin[model]}"
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and (model := _written_model(call)) and origin.get(model, app) != app
    ]


def _app(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def _code_modules() -> list[Path]:
    """The platform's own code; the demo generator, migrations and commands write through `writing()`
    or services and are read as such by their own tests."""
    return [p for p in _modules("**/*.py") if not {"demo", "management"} & set(p.parts) and p.name != "models.py"]


def check_tests_do_not_import_tests(source: str) -> list[str]:
    """What several test modules use lives in tests/factories.py, tests/pages.py or a conftest, never in
    another test module (importing one runs its fixtures' module-level work and hides the dependency)."""
    return [
        f"line {node.lineno}: from {node.module}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and ".test_" in f".{node.module}"
    ]


def _test_modules() -> list[Path]:
    return sorted(Path(__file__).resolve().parent.rglob("test_*.py"))


def _write_modules() -> list[Path]:
    """Where an app's writes live: its services (one module, or one per sub-domain) and the workflow of
    benefit applications."""
    return [*_modules("**/services.py"), PACKAGE / "benefits" / "applications.py"]


# (rule, check, files, what to do instead): the last is printed beside what broke it.
RULES = [
    ("view queries a model", check_views_do_not_query_models, _view_modules, "call one selector or service"),
    (
        "page loads shipped data",
        check_pages_do_not_load_shipped_data,
        _view_modules,
        "load it at migrate time: core/shipped.load_on_migrate",
    ),
    (
        "selector imports services",
        check_selectors_do_not_import_services,
        lambda: _modules("**/selectors.py"),
        "move the read it needs into selectors or the app's policy.py",
    ),
    (
        "selector outside the scope",
        check_selectors_read_through_the_scope,
        lambda: _modules("**/selectors.py"),
        "wrap the queryset in scoped(user, …); public() or within() only where docs/architecture.md 'Scope' says",
    ),
    (
        "inline script in a template",
        check_templates_have_no_inline_script,
        lambda: _modules("**/templates/**/*.html"),
        "a static file: <script src=… defer>, listeners added there",
    ),
    (
        "area-code arithmetic outside core/areacode.py",
        check_area_codes_only_in_areacode,
        lambda: [p for p in _modules("**/*.py") if _name(p) != "core/areacode.py"],
        "use core.areacode (prefix, county, code_of, cut_in_db)",
    ),
    (
        "a write outside a service",
        check_writes_are_services,
        _code_modules,
        "decorate it @service (core/writes.py), or write inside `with writing():`",
    ),
    (
        "a read in a services module",
        check_services_modules_hold_only_services,
        _write_modules,
        "move it to selectors.py (a user's read) or policy.py (what the rules say)",
    ),
    (
        "a test module imports another",
        check_tests_do_not_import_tests,
        _test_modules,
        "move the helper to tests/factories.py or tests/pages.py",
    ),
]


def test_each_app_writes_only_its_own_models():
    broken = {
        _name(path): found
        for path in _code_modules()
        if (found := check_an_app_writes_only_its_own_models(path.read_text(encoding="utf-8"), _app(path)))
    }
    assert not broken, f"a write to another app's models: {broken}; call that app's service instead"


@pytest.mark.parametrize(("rule", "check", "files", "instead"), RULES, ids=[r[0] for r in RULES])
def test_the_tree_keeps_the_rule(rule, check, files, instead):
    broken = {_name(path): check(path.read_text(encoding="utf-8")) for path in files()}
    broken = {name: found for name, found in broken.items() if found}
    assert not broken, f"{rule}: {broken}; instead: {instead}"


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
    writes = (
        "@transaction.atomic\ndef order_close(*, by, order):\n    order.save()\n\n"
        "def person_fix(*, by, person):\n    Person.objects.filter(pk=person.pk).update(name='x')\n\n"
        "@service\ndef person_rename(*, by, person):\n    person.save()\n\n"
        "def purge():\n    with writing():\n        Token.objects.all().delete()\n"
    )
    reads = (
        "def person_list(*, user):\n    return Person.objects.all()\n\n"
        "def _mine(user):\n    return scoped(user, Person.objects.all())\n\n"
        "def person_count(*, user):\n    return _mine(user).count()\n\n"
        "def kinds():\n    return public(ServiceKind.objects.all())\n"
    )
    assert check_selectors_read_through_the_scope(reads) == [
        "line 1: person_list reads without scoped(), public() or within()"
    ]
    assert check_services_modules_hold_only_services(writes) == [
        "line 2: order_close is not a @service",
        "line 5: person_fix is not a @service",
    ]
    foreign = "from laoxiao.core.models import IdentifierReveal\nIdentifierReveal.objects.create(user=by)\n"
    assert check_an_app_writes_only_its_own_models(foreign, "people") == ["line 2: writes IdentifierReveal of core"]
    assert check_an_app_writes_only_its_own_models(foreign, "core") == []
    assert check_tests_do_not_import_tests(
        "from tests.test_homecare import order_for\nfrom tests import factories"
    ) == ["line 1: from tests.test_homecare"]
    assert check_writes_are_services(writes) == [
        "line 2: @transaction.atomic",
        "line 3: order_close writes (order.save)",
        "line 6: person_fix writes (Person.objects.filter(pk=person.pk).update)",
    ]
