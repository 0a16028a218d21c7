"""Sphinx extension: draw the two work-order workflows from the real state machines.

At ``builder-inited`` it reads :data:`fieldservice.states.INSTALL_MACHINE` and
:data:`fieldservice.states.REPAIR_MACHINE`, rebuilds each as a ``transitions``
:class:`~transitions.extensions.diagrams.GraphMachine` (``graph_engine="graphviz"``)
with the same states, triggers and conditions, and writes its Graphviz DOT source
to ``docs/_generated/install.dot`` and ``docs/_generated/repair.dot`` (ignored by
git). ``docs/workflow.md`` draws them with ``sphinx.ext.graphviz``. A change to a
workflow table shows in the diagrams on the next build: they cannot go stale.

Each file is rewritten only when its text changes, so an unchanged build stays
incremental.

The commands that every open state takes (``cancel``, ``hand_over``,
``pause_clocks``, ...) would add an edge or a loop to every state. They are the
triggers whose sources are the largest set any trigger has; the diagram draws
them once, from an "any open state" node, instead of once per state:

>>> edges = [
...     {"trigger": "book", "source": "A", "dest": "B"},
...     {"trigger": "cancel", "source": "A", "dest": "X"},
...     {"trigger": "cancel", "source": "B", "dest": "X"},
...     {"trigger": "pause", "source": "A", "dest": "A"},
...     {"trigger": "pause", "source": "B", "dest": "B"},
...     {"trigger": "close", "source": "C", "dest": "D"},
... ]
>>> common_triggers(edges)
('cancel', 'pause')

Two tools are needed: the ``graphviz`` Python package (which ``transitions``
uses to write DOT) and Graphviz's ``dot`` program (which ``sphinx.ext.graphviz``
runs to draw it). Without either, the build reports an error that says how to
install it, and fails.
"""

from __future__ import annotations

import copy
import importlib.util
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
OUTPUT = DOCS / "_generated"

# file stem -> (machine name in fieldservice.states, title)
DIAGRAMS = {
    "install": ("INSTALL_MACHINE", "install and move (装机、移机)"),
    "repair": ("REPAIR_MACHINE", "repair (修障)"),
}

_FONT = "sans-serif"
_NO_PYTHON_GRAPHVIZ = (
    "the workflow diagrams need the 'graphviz' Python package, which transitions uses "
    "to write DOT source: pip install graphviz"
)
_NO_DOT = (
    "the workflow diagrams need Graphviz's '{dot}' program, which sphinx.ext.graphviz "
    "runs to draw them, and it is not on PATH: install Graphviz (Debian and Ubuntu: "
    "apt-get install -y graphviz; macOS: brew install graphviz), or point the "
    "graphviz_dot setting of docs/conf.py at the program"
)


def edges_of(machine: Any) -> list[dict[str, Any]]:
    """Every transition of a ``transitions`` Machine as a dict, states by member name."""
    edges = []
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for t in transitions:
                edge: dict[str, Any] = {
                    "trigger": trigger,
                    "source": source,
                    "dest": source if t.dest is None else t.dest,
                }
                conditions = [str(c.func) for c in t.conditions if c.target]
                unless = [str(c.func) for c in t.conditions if not c.target]
                if conditions:
                    edge["conditions"] = conditions
                if unless:
                    edge["unless"] = unless
                edges.append(edge)
    return edges


def common_triggers(edges: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The triggers whose sources are the largest set of sources any trigger has, sorted."""
    sources: dict[str, set[str]] = {}
    for edge in edges:
        sources.setdefault(edge["trigger"], set()).add(edge["source"])
    if not sources:
        return ()
    widest = max(len(s) for s in sources.values())
    if widest < 2:
        return ()
    largest = next(s for s in sources.values() if len(s) == widest)
    return tuple(sorted(t for t, s in sources.items() if s == largest))


def _label(name: str, labels: Mapping[str, tuple[str, str]]) -> str:
    # transitions ends every label with \l (left-aligned); the lines before it match.
    value, zh = labels[name]
    return f"{value}\\l{zh}"


def dot_source(machine: Any, title: str) -> str:
    """The DOT source of one workflow, drawn by ``transitions``' own diagram support."""
    from transitions.extensions.diagrams import GraphMachine

    from fieldservice.states import State

    edges = edges_of(machine)
    common = common_triggers(edges)
    drawn = [e for e in edges if e["trigger"] not in common]
    initial = State[machine.initial]
    used = {initial.name} | {e["source"] for e in drawn} | {e["dest"] for e in drawn}
    common_edges = [e for e in edges if e["trigger"] in common]
    used |= {e["dest"] for e in common_edges}
    states = [s for s in State if s.name in used]

    graph_machine = GraphMachine(
        model=None,
        states=states,
        transitions=[{**e, "source": State[e["source"]], "dest": State[e["dest"]]} for e in drawn],
        initial=initial,
        auto_transitions=False,
        graph_engine="graphviz",
        show_conditions=True,
        title=title,
    )
    labels = {s.name: (s.value, s.label_zh) for s in states}
    for state in states:
        graph_machine.get_state(state).label = _label(state.name, labels)
    # The diagram is a definition, not an order: the initial state is marked as
    # such (two borders), not as the "active" state of a model.
    styles = copy.deepcopy(graph_machine.style_attributes)
    styles["node"]["active"] = {"color": "black", "fillcolor": "#e8f0fe", "peripheries": "2"}
    styles["graph"]["default"].update(bgcolor="white", fontname=_FONT, labelloc="t")
    styles["node"]["default"]["fontname"] = _FONT
    styles["edge"]["default"].update(fontname=_FONT, fontsize="11")
    graph_machine.style_attributes = styles

    class _Definition:
        """A stand-in model: ``transitions`` draws the graph of a model."""

    model = _Definition()
    graph_machine.add_model(model)
    graph = model.get_graph(title=title)
    graph.graph_attr["rankdir"] = "TB"
    graph.graph_attr["label"] = f"{title}\\l"
    _draw_common(graph, common, common_edges)
    return graph.source


def _draw_common(graph: Any, common: Sequence[str], edges: Sequence[Mapping[str, Any]]) -> None:
    """Draw the commands of every open state once, from one 'any open state' node."""
    if not common:
        return
    moves = sorted({(e["trigger"], e["dest"]) for e in edges if e["dest"] != e["source"]})
    stays = sorted({e["trigger"] for e in edges if e["dest"] == e["source"]})
    label = "any open state\\l"
    if stays:
        label += "".join(f"  {t}\\l" for t in stays)
    graph.node(
        "any_open_state",
        label=label,
        shape="note",
        style="filled",
        fillcolor="#f6f6f6",
        color="gray40",
        fontname=_FONT,
    )
    for trigger, dest in moves:
        graph.edge("any_open_state", dest, label=trigger, style="dashed", color="gray40")


def generate(output: Path = OUTPUT) -> list[Path]:
    """Write every diagram whose DOT text changed; return the files written."""
    from fieldservice import states

    written = []
    output.mkdir(parents=True, exist_ok=True)
    for stem, (machine_name, title) in DIAGRAMS.items():
        text = dot_source(getattr(states, machine_name), title)
        path = output / f"{stem}.dot"
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _on_builder_inited(app: Sphinx) -> None:
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    # A missing tool is reported as one plain error line, and the build fails
    # (also without -W): the diagrams are part of the docs.
    has_python_graphviz = importlib.util.find_spec("graphviz") is not None
    problems = [] if has_python_graphviz else [_NO_PYTHON_GRAPHVIZ]
    dot = app.config.graphviz_dot
    if app.builder.format == "html" and shutil.which(dot) is None:
        problems.append(_NO_DOT.format(dot=dot))
    for problem in problems:
        logger.error("[diagrams] %s", problem)
    if problems:
        app.statuscode = 1
    if not has_python_graphviz:
        return
    written = generate()
    for stem in DIAGRAMS:
        path = OUTPUT / f"{stem}.dot"
        state = "wrote" if path in written else "unchanged"
        logger.info("[diagrams] %s %s", state, path.relative_to(ROOT))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx; ``sphinx.ext.graphviz`` draws the files."""
    app.setup_extension("sphinx.ext.graphviz")
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
