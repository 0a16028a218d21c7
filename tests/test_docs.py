"""The docs an integrator reads first: set-up notes, the command pages, the recipes page."""

from __future__ import annotations

import re
from pathlib import Path

from fieldservice.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_regression_every_example_and_the_notebook_are_linked_from_the_recipes_page() -> None:
    recipes = (DOCS / "recipes.md").read_text(encoding="utf-8")
    examples = sorted(
        p.name for p in (ROOT / "examples").iterdir() if p.suffix in {".py", ".ipynb"}
    )
    assert "notebook.ipynb" in examples
    for name in examples:
        assert f"<../examples/{name}>" in recipes, f"docs/recipes.md does not link {name}"
    assert "recipes" in (DOCS / "index.md").read_text(encoding="utf-8").split("```{toctree}")[1]


def test_regression_cli_page_has_a_section_for_every_command() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## `fieldservice (\w+)", page, flags=re.MULTILINE))
    commands = set(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert commands <= sections, f"docs/cli.md leaves out {sorted(commands - sections)}"


def test_regression_every_public_module_has_an_api_page() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    modules = sorted(
        p.stem for p in (ROOT / "src" / "fieldservice").glob("*.py") if not p.stem.startswith("_")
    )
    for module in modules:
        assert f"fieldservice.{module}\n" in api, f"docs/api.md has no page for {module}"


def test_regression_readme_and_installation_say_the_docs_need_graphviz_dot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = (DOCS / "installation.md").read_text(encoding="utf-8")
    for text in (readme, install):
        assert "Graphviz's `dot`" in text
        assert "apt-get install graphviz" in text
    # The README keeps exactly two set-up commands (the demo, the tests); the note comes later.
    setup = readme.split("## Set up")[1].split("## ")[0]
    assert setup.count("```console") == 2
    assert "graphviz" not in setup.lower()


def test_regression_install_and_repair_name_their_first_instant_side_by_side() -> None:
    # Issue 18: install(accepted_at=) and repair(reported_at=) were two names, documented apart.
    page = (DOCS / "workflow.md").read_text(encoding="utf-8")
    section = page.split("## Opening an order: `accepted_at` and `reported_at`")[1].split("\n## ")[
        0
    ]
    for row in ("`WorkOrder.install(...)`", "`WorkOrder.repair(...)`"):
        assert row in section
    assert "`accepted_at=`" in section
    assert "`reported_at=`" in section
    from fieldservice import WorkOrder

    assert "reported_at" in (WorkOrder.install.__doc__ or "")
