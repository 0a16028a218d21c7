"""Write the intersphinx inventories the docs use, so that the build needs no network.

CI has no internet, so ``docs/conf.py`` points ``intersphinx_mapping`` at the
``*.inv`` files in this folder instead of downloading each project's
``objects.inv``. This script writes them in Sphinx's own inventory format
(version 2: four header lines, then ``name domain:role priority uri dispname``
lines compressed with zlib), listing only the external names our docs
reference, each with the address of its real official documentation.

To regenerate (after changing :data:`INVENTORIES`), from the repository root::

    python docs/_inv/make_inventories.py          # rewrites docs/_inv/*.inv
    python docs/_inv/make_inventories.py --check  # exit 1 if a file is out of date

A name that nitpicky Sphinx reports as unresolved (``py:class reference target
not found: pathlib.Path``) and that belongs to one of these projects is added as
one line in :data:`INVENTORIES`, then the script is run again and the ``.inv``
files are committed with it. The output is deterministic: the same entries
always give the same bytes.

>>> inv = INVENTORIES["python"]
>>> inv.base
'https://docs.python.org/3'
>>> decoded = zlib.decompress(render(inv).split(b"\\n", 4)[4]).decode()
>>> "datetime.timedelta py:class 1 library/datetime.html#datetime.timedelta -" in decoded
True
"""

from __future__ import annotations

import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Inventory:
    """One project's inventory: where its docs live and the names we link to.

    Args:
        project: The project's name, as its own inventory gives it.
        version: The documentation version the addresses point at.
        base: The base address; ``conf.py`` uses the same one.
        entries: ``(name, "domain:role", path)`` triples; ``path`` is relative to
            ``base`` and carries the anchor.
    """

    project: str
    version: str
    base: str
    entries: tuple[tuple[str, str, str], ...]


def _py(names: str, page: str, role: str = "py:class") -> tuple[tuple[str, str, str], ...]:
    """Entries for names documented on one page of the Python docs, anchored by name."""
    return tuple((name, role, f"{page}#{name}") for name in names.split())


# The Python standard library (https://docs.python.org/3). Builtins are listed
# because autodoc writes type hints such as ``str`` and ``tuple`` as references.
_PYTHON = (
    *_py("str tuple list dict set frozenset bytes", "library/stdtypes.html"),
    *_py("int float bool object type", "library/functions.html"),
    ("None", "py:data", "library/constants.html#None"),
    *_py(
        "BaseException Exception ValueError TypeError LookupError KeyError RuntimeError OSError",
        "library/exceptions.html",
        "py:exception",
    ),
    *_py(
        "datetime.timedelta datetime.time datetime.date datetime.datetime datetime.tzinfo",
        "library/datetime.html",
    ),
    *_py("pathlib.Path", "library/pathlib.html"),
    *_py("decimal.Decimal", "library/decimal.html"),
    *_py("array.array", "library/array.html"),
    *_py("enum.Enum", "library/enum.html"),
    *_py("types.MappingProxyType", "library/types.html"),
    *_py("argparse.Namespace", "library/argparse.html"),
    *_py(
        "collections.abc.Mapping collections.abc.Iterable collections.abc.Sequence "
        "collections.abc.Callable collections.abc.Iterator",
        "library/collections.abc.html",
    ),
    *_py(
        "typing.Any typing.ClassVar typing.Final typing.TypeAlias typing.NoReturn "
        "typing.Literal typing.Self",
        "library/typing.html",
        "py:data",
    ),
    *_py("typing.TextIO typing.TypeVar", "library/typing.html"),
)

INVENTORIES: dict[str, Inventory] = {
    "python": Inventory("Python", "3", "https://docs.python.org/3", _PYTHON),
    # pendulum's documentation is one page; pendulum.DateTime is defined in the
    # module pendulum.datetime, which is how autodoc writes it in type hints.
    "pendulum": Inventory(
        "pendulum",
        "3",
        "https://pendulum.eustace.io/docs",
        (
            ("pendulum.DateTime", "py:class", "#instantiation"),
            ("pendulum.datetime.DateTime", "py:class", "#instantiation"),
            ("pendulum.Date", "py:class", "#date"),
            ("pendulum.date.Date", "py:class", "#date"),
            ("pendulum.Duration", "py:class", "#duration"),
            ("pendulum.duration.Duration", "py:class", "#duration"),
        ),
    ),
    # icalendar 6+ documents each module on its own page of its API reference.
    "icalendar": Inventory(
        "icalendar",
        "latest",
        "https://icalendar.readthedocs.io/en/latest",
        (
            (
                "icalendar.Event",
                "py:class",
                "reference/api/icalendar.cal.event.html#icalendar.cal.event.Event",
            ),
            (
                "icalendar.cal.event.Event",
                "py:class",
                "reference/api/icalendar.cal.event.html#icalendar.cal.event.Event",
            ),
            (
                "icalendar.Calendar",
                "py:class",
                "reference/api/icalendar.cal.calendar.html#icalendar.cal.calendar.Calendar",
            ),
            (
                "icalendar.cal.calendar.Calendar",
                "py:class",
                "reference/api/icalendar.cal.calendar.html#icalendar.cal.calendar.Calendar",
            ),
            (
                "icalendar.Calendar.add_missing_timezones",
                "py:method",
                "reference/api/icalendar.cal.calendar.html"
                "#icalendar.cal.calendar.Calendar.add_missing_timezones",
            ),
        ),
    ),
    # transitions has no API reference site; its README on GitHub is the manual.
    "transitions": Inventory(
        "transitions",
        "0.9",
        "https://github.com/pytransitions/transitions",
        (
            ("transitions.Machine", "py:class", "#basic-initialization"),
            ("transitions.core.Machine", "py:class", "#basic-initialization"),
        ),
    ),
}


def render(inv: Inventory) -> bytes:
    """Return the bytes of ``inv`` as a version 2 Sphinx inventory."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {inv.project}\n"
        f"# Version: {inv.version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {path} -\n" for name, role, path in sorted(set(inv.entries)))
    return header.encode() + zlib.compress(lines.encode(), 9)


def main(argv: list[str]) -> int:
    """Write every inventory next to this script, or with ``--check`` only compare."""
    check = "--check" in argv
    stale = []
    for key, inv in INVENTORIES.items():
        path = HERE / f"{key}.inv"
        data = render(inv)
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.name)
        elif not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(HERE.parent.parent)}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python docs/_inv/make_inventories.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
