"""The source's one-way rule: no module reads another module's private names (issue 14).

Every module of ``src/fieldservice`` is parsed with ``ast``. A module may import
a private *module* by name (``from fieldservice import _validate``) and use its
public members, but it must not:

- import an underscore name from another fieldservice module
  (``from fieldservice.servicecal import _epoch``);
- read an underscore attribute of an imported fieldservice module or of a name
  imported from one (``sla._events_of``, ``Event._checked``);
- call or read an underscore attribute, on any value, that its own source does
  not define (``checklist._tick(...)`` on another module's ``Checklist``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fieldservice

SOURCE = Path(fieldservice.__file__).resolve().parent
# The modules of the packages (sla, planning) too: each is a module of its own here.
MODULES = sorted(SOURCE.rglob("*.py"))

# (module file, name) pairs that only the event reducer's rewrite can remove.
# (module, private use) pairs tolerated while a change is under way; empty since the
# event reducer rewrite removed the last one (Event._checked).
ALLOWED_FOR_NOW: frozenset[tuple[str, str]] = frozenset()


def _private(name: str) -> bool:
    """An underscore name; dunders (``__init__``) and enum sunders (``_value_``) are not."""
    if name.startswith("__") and name.endswith("__"):
        return False
    if name.startswith("_") and name.endswith("_") and len(name) > 2:
        return False  # Enum's own protocol: _missing_, _value_, _value2member_map_
    return name.startswith("_")


def _is_fieldservice(module: str | None) -> bool:
    return module is not None and (module == "fieldservice" or module.startswith("fieldservice."))


def _is_package(module: str | None) -> bool:
    return module is not None and (SOURCE.joinpath(*module.split(".")[1:]) / "__init__.py").exists()


def _defined_here(tree: ast.Module) -> set[str]:
    """Every name this source defines: functions, classes, methods, fields, variables."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return names


def private_uses(path: Path) -> list[str]:
    """The private names of other modules that ``path`` reads, as ``line: what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    imported: set[str] = set()  # local names bound to fieldservice modules or their members
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _is_fieldservice(node.module):
            for alias in node.names:
                # A private module by name is fine (from fieldservice import _validate), and
                # so is a package's own (from fieldservice.planning import _greedy).
                if _private(alias.name) and not (
                    _is_package(node.module) and alias.name.startswith("_")
                ):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
                imported.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_fieldservice(alias.name):
                    imported.add(alias.asname or alias.name.split(".")[0])
    own = {name for name in _defined_here(tree) if _private(name)}
    # Names bound by `import` are not the module's own definitions.
    own -= {
        a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not _private(node.attr):
            continue
        base = node.value
        if isinstance(base, ast.Name) and base.id in imported:
            found.append(f"{node.lineno}: {base.id}.{node.attr}")
        elif node.attr not in own:
            shown = base.id if isinstance(base, ast.Name) else "..."
            found.append(f"{node.lineno}: {shown}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_module_reads_another_modules_private_names(path: Path) -> None:
    allowed = {what for module, what in ALLOWED_FOR_NOW if module == path.name}
    uses = [use for use in private_uses(path) if use.split(": ", 1)[1] not in allowed]
    assert uses == [], f"{path.name} reads private names of other modules: {uses}"


def test_the_walk_finds_each_kind_of_private_use(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "from fieldservice import _validate, sla\n"
        "from fieldservice.servicecal import _epoch\n"
        "from fieldservice.events import Event\n"
        "def f(checklist):\n"
        "    _validate.text('a', 'b')\n"
        "    sla._events_of(1)\n"
        "    Event._checked\n"
        "    checklist._tick(checklist._index('S1'))\n"
        "    return _validate._shown(1)\n",
        encoding="utf-8",
    )
    assert sorted(use.split(": ", 1)[1] for use in private_uses(source)) == sorted(
        [
            "from fieldservice.servicecal import _epoch",
            "sla._events_of",
            "Event._checked",
            "checklist._tick",
            "checklist._index",
            "_validate._shown",
        ]
    )


def test_allowed_for_now_lists_only_uses_that_still_exist() -> None:
    for module, what in ALLOWED_FOR_NOW:
        assert what in {use.split(": ", 1)[1] for use in private_uses(SOURCE / module)}


# --- the one-way layers (docs/architecture.md) ----------------------------------------
# Each module imports only from its own layer or the layers below; the page draws these.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "foundation",
        frozenset(
            {"errors", "_bounded", "_frozen", "_labels", "_time", "_validate", "_version"}
            | {"_workers", "_nogc"}
        ),
    ),
    ("values", frozenset({"model", "_jsondata"})),
    ("standard", frozenset({"standard", "servicecal"})),
    (
        "rule values",
        frozenset({"appointments", "modemlabel", "worksheet", "checklist", "signoff", "kit"}),
    ),
    ("event log", frozenset({"payloads", "events", "visits", "columnar"})),
    ("judgements", frozenset({"sla", "_clock_kernel", "reminders", "visit_entry"})),
    (
        "order",
        frozenset({"states", "_orderstate", "workflow", "routes", "views", "orders_io", "schema"}),
    ),
    (
        "edges",
        frozenset(
            {
                "calendar",
                "synthetic",
                "planning",
                "demo",
                "_branch_report",
                "_outputs",
                "_vtimezone",
                "cli",
            }
            | {"__init__", "__main__"}
        ),
    ),
)
LAYER_OF = {module: n for n, (_, modules) in enumerate(LAYERS) for module in modules}


def fieldservice_imports(path: Path) -> set[str]:
    """The fieldservice modules ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _is_fieldservice(node.module):
            assert node.module is not None
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from fieldservice import sla, _validate
                found.update(a.name for a in node.names if a.name in LAYER_OF)
        elif isinstance(node, ast.Import):
            found.update(
                a.name.split(".")[1]
                for a in node.names
                if _is_fieldservice(a.name) and "." in a.name
            )
    return found


def _module_name(path: Path) -> str:
    # A package (planning, sla) is one module of its layer.
    return path.stem if path.parent == SOURCE else path.parent.relative_to(SOURCE).parts[0]


ALL_MODULES = sorted(SOURCE.rglob("*.py"))


def test_every_module_has_its_layer() -> None:
    missing = {_module_name(p) for p in ALL_MODULES} - LAYER_OF.keys()
    assert not missing, f"add {sorted(missing)} to a layer here and on docs/architecture.md"


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_point_down_the_layers_only(path: Path) -> None:
    own = LAYER_OF[_module_name(path)]
    upward = sorted(m for m in fieldservice_imports(path) if LAYER_OF.get(m, 0) > own)
    assert not upward, f"{path.name} (layer {LAYERS[own][0]}) imports upward: {upward}"


def test_the_architecture_page_names_every_module_in_its_layer() -> None:
    page = (SOURCE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, modules in LAYERS:
        assert f"**{name}**" in page, f"docs/architecture.md has no layer {name}"
        for module in modules - {"__init__", "__main__", "_version"}:
            assert f"`{module}`" in page, f"docs/architecture.md does not place {module}"
