"""Imports run downhill: every import of every module of solidaire/, and every {% load %}.

The layers (A ← B: B uses A) are lib ← territory, outbox ← accounts ← initiatives ←
moderation, bulletins ← imports, opendata (outbox: the e-mail ledger, the worker and the
scheduler, used by every app that sends or schedules); a unit may use a lower one, never a higher one nor another of
its own rank. imports records past numbers through bulletins' services, so it sits above
bulletins. Function bodies count: a cross-app import must also sit at module level, where
a reader sees it. No module imports another unit's views (the root URLconf excepted).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "solidaire"

# Unit -> rank. Project modules are placed where their imports put them: the template
# builtins and the typography glue use lib, the context processor reads territory, the site views render pages of
# every app, the sitemaps index every app's pages, and the root URLconf, settings (with the tasks app's
# French AppConfig) and WSGI entry sit on top.
LAYERS = {
    "solidaire.lib": 0,
    # The form base every app's forms extend: lib's checks, at the form boundary.
    "solidaire.forms": 0.5,
    "solidaire.template_builtins": 1,
    # The typography glue (middleware, e-mails, feeds) sits under the outbox, which applies it
    # to every e-mail it sends.
    "solidaire.typography": 1,
    "solidaire.client_address": 1,
    # The PostgreSQL backend that fails fast after a pool timeout: Django only.
    "solidaire.db": 1,
    # The read-replica router and its middleware: Django only.
    "solidaire.replica": 1,
    # Error reporting (Sentry) and its scrubbers: lib's redaction helper, read by settings.
    "solidaire.errorreporting": 1,
    # The page cache: its versions are bumped by territory, initiatives and bulletins.
    "solidaire.pagecache": 1.5,
    "solidaire.territory": 2,
    "solidaire.outbox": 2,
    # The outbox's staff page needs accounts' role check: a unit above them.
    "solidaire.outbox.staff": 4,
    "solidaire.accounts": 3,
    "solidaire.context_processors": 3,
    "solidaire.initiatives": 4,
    "solidaire.moderation": 5,
    "solidaire.bulletins": 5,
    "solidaire.imports": 6,
    "solidaire.opendata": 6,
    # Alerts reuse the bulletins' double opt-in links; their commune sheet, the bulletins'
    # PDF fonts.
    "solidaire.alerts": 6,
    # Organisations edit initiatives through their services and answer the accounts'
    # ProConnect signal: above initiatives and moderation (whose navigation it shows).
    "solidaire.organisations": 6,
    "solidaire.views": 7,
    # /sante/ reads the outbox's workers and scheduled jobs.
    "solidaire.health": 7,
    "solidaire.middleware": 7,
    "solidaire.sitemaps": 7,
    "solidaire.urls": 8,
    "solidaire.settings": 8,
    "solidaire.tasks_admin": 8,
    "solidaire.wsgi": 8,
}
# Templates of solidaire/templates/ (base.html, error pages) belong to the project's views.
PROJECT_TEMPLATES_UNIT = "solidaire.views"
# The root URLconf wires every app's views.
MAY_IMPORT_VIEWS = {"solidaire.urls"}


def unit_of(module: str) -> str | None:
    """The layer unit of a ``solidaire.*`` module (None outside the project)."""
    for unit in sorted(LAYERS, key=len, reverse=True):
        if module == unit or module.startswith(unit + "."):
            return unit
    return None


def is_views_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1].startswith("views")


def import_problem(source: str, target: str, *, in_function: bool = False) -> str | None:
    """Why ``source`` may not import ``target`` (both module names), or None when it may."""
    here, there = unit_of(source), unit_of(target)
    if there is None:
        return None
    if here is None:
        return f"{source} is in no layer: place it in LAYERS"
    if here == there:
        return None
    if is_views_module(target) and here not in MAY_IMPORT_VIEWS:
        return f"{source} imports a view module of another unit ({target})"
    if LAYERS[there] > LAYERS[here]:
        return f"{source} imports {target}, a higher layer"
    if LAYERS[there] == LAYERS[here]:
        return f"{source} imports {target}, a unit of its own rank"
    if in_function:
        return f"{source} imports {target} inside a function: move it to module level"
    return None


def load_problem(template_unit: str, library_unit: str | None, library: str) -> str | None:
    """Why a template of ``template_unit`` may not load ``library`` (None when it may)."""
    if library_unit is None or library_unit == template_unit:
        return None
    if LAYERS[library_unit] >= LAYERS[template_unit]:
        return f"a template of {template_unit} loads {library} of {library_unit}"
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and path != PACKAGE / "__init__.py"
    }


def imports_of(module: str, path: Path, known: set[str]):
    """(target module, inside a function?) for every import of the module, nested ones too."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    nested = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, functions)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in nested
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base)
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                yield (candidate if candidate in known else origin), id(node) in nested


def all_imports():
    found = modules()
    known = set(found)
    for module, path in found.items():
        for target, in_function in imports_of(module, path, known):
            yield module, target, in_function


def tag_libraries() -> dict[str, str]:
    """Template tag library name -> the unit that provides it."""
    return {
        path.stem: unit_of(module_name(path))
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


LOAD_RE = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def loads_of(text: str) -> list[str]:
    """Library names of every {% load %} ({% load a b %}, {% load x y from lib %})."""
    names = []
    for argument in LOAD_RE.findall(text):
        words = argument.split()
        names += words[-1:] if "from" in words else words
    return names


def template_unit(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if parts[0] == "templates":
        return PROJECT_TEMPLATES_UNIT
    return f"solidaire.{parts[0]}"


# The rule functions must be able to fail: a few bad and good examples.
@pytest.mark.parametrize(
    ("source", "target", "in_function", "refused"),
    [
        ("solidaire.accounts.access", "solidaire.initiatives.models", False, True),
        ("solidaire.initiatives.views_places", "solidaire.territory.views", False, True),
        ("solidaire.moderation.views", "solidaire.bulletins.services", False, True),
        ("solidaire.opendata.views", "solidaire.context_processors", False, False),
        ("solidaire.initiatives.views_public", "solidaire.views", False, True),
        ("solidaire.initiatives.services", "solidaire.territory.models", True, True),
        ("solidaire.initiatives.services", "solidaire.territory.models", False, False),
        ("solidaire.initiatives.services", "solidaire.initiatives.tasks", True, False),
        ("solidaire.imports.services", "solidaire.bulletins.services", False, False),
        ("solidaire.urls", "solidaire.moderation.views", False, False),
        ("solidaire.lib.text", "django.utils", False, False),
        ("solidaire.unplaced", "solidaire.lib.text", False, True),
    ],
)
def test_the_import_rule(source, target, in_function, refused):
    assert (import_problem(source, target, in_function=in_function) is not None) is refused


@pytest.mark.parametrize(
    ("unit", "library", "refused"),
    [
        ("solidaire.initiatives", "solidaire.bulletins", True),
        ("solidaire.bulletins", "solidaire.moderation", True),
        ("solidaire.bulletins", "solidaire.initiatives", False),
        ("solidaire.views", "solidaire.accounts", False),
        ("solidaire.initiatives", None, False),
    ],
)
def test_the_load_rule(unit, library, refused):
    assert (load_problem(unit, library, "some_tags") is not None) is refused


def test_every_module_is_in_a_layer():
    assert [module for module in modules() if unit_of(module) is None] == []


def test_the_walk_finds_function_level_and_relative_imports():
    found = set(all_imports())
    assert ("solidaire.bulletins.apps", "solidaire.bulletins.relays", True) in found
    assert ("solidaire.initiatives.tasks", "solidaire.initiatives.services", False) in found


def test_every_import_runs_downhill():
    problems = sorted(
        {
            problem
            for source, target, in_function in all_imports()
            if (problem := import_problem(source, target, in_function=in_function))
        }
    )
    assert problems == []


def test_no_import_cycle_between_units():
    graph: dict[str, set[str]] = {}
    for source, target, _ in all_imports():
        here, there = unit_of(source), unit_of(target)
        if there is not None and here != there:
            graph.setdefault(here, set()).add(there)

    def reaches(start, goal, seen):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph.get(start, ())
        )

    assert sorted(unit for unit in graph if reaches(unit, unit, {unit})) == []


def test_templates_load_tags_of_their_own_or_lower_apps():
    libraries = tag_libraries()
    assert libraries["bulletins_tags"] == "solidaire.bulletins"
    problems = []
    templates = [path for path in PACKAGE.rglob("*") if "templates" in path.parts]
    for path in sorted(p for p in templates if p.is_file()):
        unit = template_unit(path)
        for library in loads_of(path.read_text(encoding="utf-8")):
            problem = load_problem(unit, libraries.get(library), library)
            if problem:
                problems.append(f"{path.relative_to(ROOT)}: {problem}")
    assert problems == []


def test_loads_are_read_in_both_forms():
    text = "{% load static bulletins_tags %}{% load fr from initiative_format %}"
    assert loads_of(text) == ["static", "bulletins_tags", "initiative_format"]
