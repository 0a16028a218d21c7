"""Sphinx configuration of the fieldservice documentation.

Build (from the repository root, as CI does; nitpicky, warnings are errors)::

    python -m sphinx -W --keep-going -n -b html docs docs/_build/html

The build needs no network: intersphinx reads the inventories shipped in
``docs/_inv`` (see ``docs/_inv/make_inventories.py``), and ``docs/_ext/rules.py``
writes the rule table to ``docs/_generated/`` (ignored by git) on every build.
``docs/_ext/diagrams.py`` writes the workflow diagrams there too, as DOT, which
``sphinx.ext.graphviz`` draws: it needs Graphviz's ``dot`` program and the
``graphviz`` Python package.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from docutils import nodes
from sphinx import addnodes
from sphinx.util.inspect import object_description

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent / "src"))  # so that a build works without an install too

from fieldservice._version import __version__  # noqa: E402

# -- Project -------------------------------------------------------------------

project = "fieldservice"
author = "fieldservice developers"
copyright = "fieldservice developers"
release = __version__
version = ".".join(__version__.split(".")[:2])
language = "en"

# -- General -------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "sphinx.ext.graphviz",
    "rules",  # docs/_ext/rules.py: the rule -> API -> tests table, written on every build
    "diagrams",  # docs/_ext/diagrams.py: the workflow diagrams, drawn from the real Machines
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_data",  # the fallback copy of STANDARD.md, read by docs/_ext/rules.py
    "_ext",
    "_inv",
    "_templates",
    "_generated/rules.md",  # included by rules.md, not a page of its own
]
nitpicky = True
nitpick_ignore = [
    # The shipped Python inventory is trimmed; Counter is a dict of counts.
    ("py:class", "collections.Counter"),
    # The personal values' abstract base (model._Hidden) stands on abc.ABC, which the
    # trimmed inventory does not hold.
    ("py:class", "abc.ABC"),
]

# -- MyST ----------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc, autosummary and napoleon -------------------------------------------

autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
    # label_zh and label_en come from a private base; members of Enum and of the
    # builtin exceptions (name, value, args, with_traceback), of Sequence (PackedLog) and
    # of str (FreeText) stay out.
    "inherited-members": "Enum, BaseException, Mapping, Sequence, str",
}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "all"
autodoc_typehints_format = "short"
python_use_unqualified_type_names = True
autosummary_generate = True  # one page per module, written to _generated/api

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = True
napoleon_attr_annotations = True

# -- intersphinx: offline, from the inventories in docs/_inv ------------------------

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inv/python.inv"),
    "pendulum": ("https://pendulum.eustace.io/docs", "_inv/pendulum.inv"),
    "icalendar": ("https://icalendar.readthedocs.io/en/latest", "_inv/icalendar.inv"),
    "transitions": ("https://github.com/pytransitions/transitions", "_inv/transitions.inv"),
}

# -- graphviz: the workflow diagrams (needs Graphviz's dot program) ----------------

graphviz_output_format = "svg"

# -- HTML ----------------------------------------------------------------------

html_theme = "furo"
html_title = f"fieldservice {release}"
html_copy_source = False
html_static_path = ["_static"]
html_css_files = ["fieldservice.css"]


# -- hooks ---------------------------------------------------------------------


def _is_private(base: Any) -> bool:
    """A base is private by its name (``_Shape``) or its module's (``_labels.Labelled``)."""
    names = [getattr(base, "__name__", ""), *getattr(base, "__module__", "").split(".")]
    return any(name.startswith("_") for name in names)


def _public_bases(bases: list[Any]) -> list[Any]:
    """Replace private bases (``_labels.Labelled``) by the public bases they stand on."""
    out: list[Any] = []
    for base in bases:
        if _is_private(base):
            out.extend(b for b in _public_bases(list(base.__bases__)) if b not in out)
        elif base not in out:
            out.append(base)
    return out


def _process_bases(app: Sphinx, name: str, obj: Any, options: Any, bases: list[Any]) -> None:
    """Show public bases only: ``Tier`` is an ``Enum``, not a private ``_labels.Labelled``."""
    bases[:] = _public_bases(bases)


def _include_enum_members(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    """List an enum's members (``Tier.GOLD``), which have no docstrings of their own."""
    if isinstance(obj, enum.Enum) and not name.startswith("_"):
        return False
    return None


class _Shown:
    """A default as the signature shows it: as autodoc would, or ``...`` when too long."""

    def __init__(self, value: object) -> None:
        text = "..." if value is attrs.NOTHING else object_description(value)
        self.text = "..." if len(text) > _LONGEST_DEFAULT else text

    def __repr__(self) -> str:
        return self.text


_LONGEST_DEFAULT = 64


def _short_defaults(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, signature: str | None, ret: Any
) -> tuple[str, Any] | None:
    """Shorten an attrs class signature whose defaults are long (ServiceStandard's rules).

    Each default is documented with its field; the signature keeps the short ones.
    """
    if what != "class" or not signature or not attrs.has(obj):
        return None
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    kinds = {param.kind for param in sig.parameters.values()}
    if kinds == {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}:
        # WorkOrder refuses to be called: it is built by its named constructors.
        return "", ret
    # A private field is plumbing for the class's own constructors, not part of the
    # public signature: it is left out.
    private = {f.alias for f in attrs.fields(obj) if f.name.startswith("_")}
    params = [
        param.replace(
            annotation=param.empty,
            default=param.default if param.default is param.empty else _Shown(param.default),
        )
        for param in sig.parameters.values()
        if param.name not in private
    ]
    return str(sig.replace(parameters=params, return_annotation=sig.empty)), ret


def _trim_class_fields(app: Sphinx, domain: str, objtype: str, contentnode: Any) -> None:
    """Keep class descriptions to one list of fields.

    A class's ``__init__`` has no return type worth showing. A class whose
    docstring has an ``Attributes:`` section (ServiceStandard) lists its fields
    with their types there, so its parameters get types only where ``Args:``
    describes them, instead of a second, bare list of every field.
    """
    if domain != "py" or objtype not in {"class", "exception"}:
        return
    document = getattr(app.env, "current_document", None)  # Sphinx 8.2 and newer
    annotations = getattr(document, "autodoc_annotations", None)
    signature = contentnode.parent[0]
    fullname = f"{signature.get('module')}.{signature.get('fullname')}"
    if not annotations or fullname not in annotations:
        return
    hints = annotations[fullname]
    hints.pop("return", None)
    module = importlib.import_module(str(signature.get("module")))
    cls = getattr(module, str(signature.get("fullname")).split(".")[0], None)
    if cls is not None and attrs.has(cls):
        # A private field (WorkOrder's state and log) is not a parameter to document.
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                hints.pop(field.alias, None)
    children = contentnode.children
    if any(isinstance(n, addnodes.desc) and n.get("objtype") == "attribute" for n in children):
        described = {
            name.split()[-1]
            for fields in children
            if isinstance(fields, nodes.field_list)
            for field in fields
            if (name := field[0].astext()).startswith("param ")
        }
        for name in list(hints):
            if name not in described:
                del hints[name]


def _resolve_dt_alias(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``dt.timedelta`` as ``datetime.timedelta``.

    The code imports ``datetime as dt``. Where Python cannot evaluate a module's
    annotations (``typing.get_type_hints`` refuses a bare ``Final`` on 3.11),
    autodoc shows them as written, so ``dt.`` reaches the resolver as is.
    """
    from sphinx.ext.intersphinx import missing_reference

    target = node.get("reftarget", "")
    if node.get("refdomain") != "py":
        return None
    if target in _ALIASES:
        full = _ALIASES[target]
    elif target.startswith("dt."):
        full = "datetime." + target.removeprefix("dt.")
    else:
        return None
    alias = node.deepcopy()
    alias["reftarget"] = full
    return missing_reference(app, env, alias, contnode)


# Names autodoc shows unqualified: SlaBatch's columns are stdlib arrays.
_ALIASES = {"array": "array.array"}


def setup(app: Sphinx) -> None:
    """Connect the small hooks of this configuration."""
    app.connect("autodoc-process-bases", _process_bases)
    app.connect("autodoc-skip-member", _include_enum_members)
    app.connect("autodoc-process-signature", _short_defaults)
    app.connect("object-description-transform", _trim_class_fields, priority=400)
    app.connect("missing-reference", _resolve_dt_alias)
