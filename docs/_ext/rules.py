"""Sphinx extension: write the rule table (rule ID -> summary -> API -> tests) on every build.

At ``builder-inited`` it reads the rules of ``STANDARD.md``, the docstrings of
the modules ``docs/api.md`` documents and the names of the tests under
``tests/``, and writes ``docs/_generated/rules.md``, which ``docs/rules.md``
includes. ``docs/_generated/`` is ignored by git, and the file
is rewritten only when its text changes, so an unchanged build stays
incremental and a new test or rule shows on the next build.

``STANDARD.md`` is looked for first in the ``shared/`` folder beside the
repository (``../shared/STANDARD.md`` from the repository root: where CI and the
developers' machines have it), then in the copy ``docs/_data/STANDARD.md``.

A test checks a rule when its name starts with the rule ID:
``def test_B6_quiet_hours_refused()`` checks B6, and
``def test_B5_B6_window_after_lead_time()`` checks B5 and B6. An API object
carries a rule when its docstring's prose (not its examples) cites the rule ID,
as ``(B6)`` or ``K1-K2``; an attribute listed in a class's ``Attributes:``
section counts on its own, and so does an enum member whose ``rule`` is the ID.

>>> rules = parse_rules('''
... ## B — booking (预约) of installs and moves (装移机)
... - **B1** Fixed-line installs must be offered a visit.
... - **B2** Appointment granularity is a half-day: morning (上午) or afternoon
...   (下午).
... ''')
>>> [(r.rule, r.section, r.summary) for r in rules]  # doctest: +NORMALIZE_WHITESPACE
[('B1', 'B — booking (预约) of installs and moves (装移机)', 'Fixed-line installs must be offered a visit.'),
 ('B2', 'B — booking (预约) of installs and moves (装移机)', 'Appointment granularity is a half-day: morning (上午) or afternoon (下午).')]
>>> rule_ids("test_B5_B6_window_after_lead_time"), rule_ids("test_window_ok"), rule_ids("test_B2")
(('B5', 'B6'), (), ())
>>> cited("Quiet hours (B6); knock (K1-K2), E.164.\\n>>> 'B5'\\n'B5'\\n", {"B5", "B6", "K1", "K2"})
['B6', 'K1', 'K2']
"""

from __future__ import annotations

import ast
import doctest
import enum
import importlib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
STANDARD_CANDIDATES = (ROOT.parent / "shared" / "STANDARD.md", DOCS / "_data" / "STANDARD.md")
OUTPUT = DOCS / "_generated" / "rules.md"
API_PAGE = DOCS / "api.md"

_SECTION = re.compile(r"^## (.+?)\s*$")
_RULE = re.compile(r"^- \*\*([A-Z][0-9]+)\*\*\s+(.*)$")
# A test's name names the rules it checks: test_B6_..., test_B5_B6_...
_TEST_DEF = re.compile(r"^\s*(?:async\s+)?def (test_([A-Z][0-9]+)_\w+)", re.MULTILINE)
_LEADING_IDS = re.compile(r"test_((?:[A-Z][0-9]+_)+)")
_CITED = re.compile(r"(?<![A-Za-z0-9.])([A-Z][0-9]{1,2})(?![A-Za-z0-9])")
_API_MODULE = re.compile(r"^\s+(fieldservice(?:\.\w+)+)\s*$", re.MULTILINE)
_ATTRIBUTES = re.compile(r"^Attributes:\n((?:(?: {4}.*)?\n)+)", re.MULTILINE)
_ATTRIBUTE_ITEM = re.compile(r"^ {4}(\w+)(?: \(.*?\))?:", re.MULTILINE)


@dataclass(frozen=True)
class Rule:
    """One numbered rule of the standard."""

    rule: str
    section: str
    summary: str


@dataclass(frozen=True)
class TestRef:
    """One test function that names rules: where it is and which rules."""

    nodeid: str
    rules: tuple[str, ...]


def parse_rules(text: str) -> list[Rule]:
    """Return the rules of ``STANDARD.md`` in order: ``- **B6** text`` items.

    A rule's text runs on over the indented lines after it.
    """
    rules: list[Rule] = []
    section = ""
    current: tuple[str, list[str]] | None = None

    def flush() -> None:
        if current is not None:
            rules.append(Rule(current[0], section, " ".join(current[1])))

    for line in text.splitlines():
        if match := _SECTION.match(line):
            flush()
            current = None
            section = match.group(1)
        elif match := _RULE.match(line):
            flush()
            current = (match.group(1), [match.group(2).strip()])
        elif current is not None and line.startswith("  ") and line.strip():
            current[1].append(line.strip())
        else:
            flush()
            current = None
    flush()
    return rules


def rule_ids(test_name: str) -> tuple[str, ...]:
    """Return the rule IDs a test's name starts with (``test_B5_B6_x`` -> B5, B6)."""
    match = _LEADING_IDS.match(test_name)
    if match is None:
        return ()
    return tuple(part for part in match.group(1).split("_") if part)


def find_tests(tests_dir: Path, root: Path) -> list[TestRef]:
    """Return every test under ``tests_dir`` whose name starts with rule IDs.

    Test classes are followed (``file::Class::test``). A file that does not
    parse (someone is in the middle of writing it) is read with a plain regex.
    """
    found: list[TestRef] = []
    for path in sorted(tests_dir.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            names = [m.group(1) for m in _TEST_DEF.finditer(text)]
        else:
            names = list(_test_names(tree.body, ""))
        for name in names:
            ids = rule_ids(name.rsplit("::", 1)[-1])
            if ids:
                found.append(TestRef(f"{rel}::{name}", ids))
    return found


def _test_names(body: Iterable[ast.stmt], prefix: str) -> Iterable[str]:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test_"):
                yield prefix + node.name
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from _test_names(node.body, f"{prefix}{node.name}::")


def cited(text: str, known: set[str]) -> list[str]:
    """Return the known rule IDs the prose of a docstring cites, in order, once each."""
    parts = doctest.DocTestParser().parse(text)
    prose = " ".join(p for p in parts if isinstance(p, str))
    return list(dict.fromkeys(m for m in _CITED.findall(prose) if m in known))


def documented_modules(api_page: Path = API_PAGE) -> list[str]:
    """Return the modules the API page lists, one a line (its autosummary)."""
    if not api_page.is_file():
        return []
    return _API_MODULE.findall(api_page.read_text(encoding="utf-8"))


def find_api(modules: Iterable[str], known: set[str]) -> dict[str, list[str]]:
    """Map rule IDs to the documented objects whose docstrings cite them.

    Only what autodoc documents is listed (public names in ``__all__`` and their
    public, documented members), so every entry is a link that resolves.
    """
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    by_rule: dict[str, list[str]] = {}

    def note(target: str, text: str | None) -> None:
        for rule in cited(text or "", known):
            by_rule.setdefault(rule, []).append(target)

    for modname in modules:
        try:
            module = importlib.import_module(modname)
        except Exception:  # autodoc reports the failure, with its traceback
            continue
        try:
            attr_docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except PycodeError:
            attr_docs = {}
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            target = f"{modname}.{name}"
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__ != modname:
                continue  # re-exported from elsewhere: its own module's page carries it
            if inspect.isclass(obj):
                _note_class(obj, target, note)
            elif inspect.isfunction(obj):
                note(target, inspect.getdoc(obj))
            else:
                note(target, "\n".join(attr_docs.get(("", name), ())))
    return by_rule


def _note_class(cls: type, target: str, note: Any) -> None:
    doc = inspect.cleandoc(cls.__doc__ or "")
    attributes = _ATTRIBUTES.search(doc)
    if attributes:
        doc = doc.replace(attributes.group(0), "")
        items = list(_ATTRIBUTE_ITEM.finditer(attributes.group(1)))
        for item, after in zip(items, [*items[1:], None], strict=True):
            end = after.start() if after else len(attributes.group(1))
            note(f"{target}.{item.group(1)}", attributes.group(1)[item.end() : end])
    note(target, doc)
    is_enum = isinstance(cls, enum.EnumMeta)
    # A copy: isinstance() on a Protocol class may add to its namespace while we walk it.
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, classmethod | staticmethod):
            member = member.__func__
        rule = getattr(member, "rule", None)
        if is_enum and isinstance(member, cls) and isinstance(rule, str):  # names its rule
            note(f"{target}.{name}", f"({rule})")
        elif inspect.isfunction(member) or isinstance(member, property):
            note(f"{target}.{name}", inspect.getdoc(member))


def render(
    rules: list[Rule], tests: list[TestRef], source: str, api: dict[str, list[str]] | None = None
) -> str:
    """Return the Markdown (MyST) of the rule table, one table per section."""
    api = api or {}
    by_rule: dict[str, list[str]] = {}
    for test in tests:
        for rule_id in test.rules:
            by_rule.setdefault(rule_id, []).append(test.nodeid)
    covered = sum(1 for r in rules if r.rule in by_rule)
    carried = sum(1 for r in rules if r.rule in api)
    out = [
        "<!-- Generated by docs/_ext/rules.py on every build; do not edit. -->",
        "",
        f"{carried} of {len(rules)} rules are cited by the API reference and {covered} are "
        f"checked by a named test. Rules are read from {source}, tests from `tests/`.",
    ]
    sections: dict[str, list[Rule]] = {}
    for rule in rules:
        sections.setdefault(rule.section, []).append(rule)
    for section, items in sections.items():
        out += ["", f"## {section}", "", "```{list-table}", ":header-rows: 1"]
        out += [":widths: 7 37 20 36", ":class: rules-table", ""]
        out += ["* - Rule", "  - Summary", "  - API", "  - Tests"]
        for rule in items:
            out += [f"* - **{rule.rule}**", f"  - {_inline(rule.summary)}"]
            out += _cell([_xref(t) for t in api.get(rule.rule, [])], "")
            out += _cell([f"`{t}`" for t in by_rule.get(rule.rule, [])], "*not yet covered*")
        out.append("```")
    known = {r.rule for r in rules}
    unknown = sorted({(r, t.nodeid) for t in tests for r in t.rules if r not in known})
    if unknown:
        out += ["", "## Tests that name no rule of the standard", ""]
        out += [f"- `{nodeid}` names {rule_id}" for rule_id, nodeid in unknown]
    return "\n".join(out) + "\n"


def _cell(items: list[str], empty: str) -> list[str]:
    if not items:
        return [f"  - {empty}".rstrip()]
    return [f"  - - {items[0]}"] + [f"    - {item}" for item in items[1:]]


def _xref(target: str) -> str:
    _, _, rest = target.partition(".")
    while rest and rest[0].islower():  # strip the module path: fieldservice.standard.X -> X
        _, _, rest = rest.partition(".")
    return f"{{py:obj}}`{rest or target} <{target}>`"


def _inline(text: str) -> str:
    # Keep a rule's text on one line of the table; the seed's text needs no escaping
    # beyond a stray backslash.
    return text.replace("\\", "\\\\")


def find_standard() -> Path | None:
    """Return the ``STANDARD.md`` to read: the shared one, else the copy in docs/_data."""
    return next((p for p in STANDARD_CANDIDATES if p.is_file()), None)


def generate(output: Path = OUTPUT) -> bool:
    """Write the rule table to ``output`` if its text changed; return whether it did."""
    standard = find_standard()
    if standard is None:
        tried = ", ".join(str(p) for p in STANDARD_CANDIDATES)
        msg = f"STANDARD.md not found (tried {tried}); copy it to docs/_data/STANDARD.md"
        raise FileNotFoundError(msg)
    source = (
        "the shared `STANDARD.md`"
        if standard == STANDARD_CANDIDATES[0]
        else "the copy `docs/_data/STANDARD.md`"
    )
    rules = parse_rules(standard.read_text(encoding="utf-8"))
    tests_dir = ROOT / "tests"
    tests = find_tests(tests_dir, ROOT) if tests_dir.is_dir() else []
    api = find_api(documented_modules(), {r.rule for r in rules})
    text = render(rules, tests, source, api)
    if output.is_file() and output.read_text(encoding="utf-8") == text:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return True


def _on_builder_inited(app: Sphinx) -> None:
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    changed = generate()
    logger.info("[rules] %s %s", "wrote" if changed else "unchanged", OUTPUT.relative_to(ROOT))
    shared, copy = STANDARD_CANDIDATES
    if shared.is_file() and copy.is_file() and shared.read_bytes() != copy.read_bytes():
        logger.info("[rules] docs/_data/STANDARD.md differs from the shared one; refresh it")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
