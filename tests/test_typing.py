"""What a type checker sees of the public API, checked by running mypy on small user programs.

Each program is what an integrator writes; ``mypy --strict`` must accept it
against this checkout's ``src`` (``MYPYPATH`` puts it before any installed copy).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import fieldservice

mypy_api = pytest.importorskip("mypy.api", reason="the typing tests need mypy (the test extra)")

SRC = Path(fieldservice.__file__).resolve().parents[1]


def _mypy_strict(program: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The report of ``mypy --strict`` on ``program``; empty when it type-checks."""
    source = tmp_path / "user_program.py"
    source.write_text(program, encoding="utf-8")
    monkeypatch.setenv("MYPYPATH", str(SRC))
    out, err, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    return "" if status == 0 else out + err


def test_regression_orders_read_from_jsonl_are_typed_as_work_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 18: the reader was typed list[VisitOrder], so mypy refused .book() on its result.
    program = (
        "import pendulum\n"
        "import fieldservice as fs\n"
        "from fieldservice.calendar import orders_from_jsonl\n"
        "order = orders_from_jsonl('orders.jsonl')[0]\n"
        "w = fs.AppointmentWindow(date=pendulum.date(2026, 11, 26), half=fs.HalfDay.AFTERNOON)\n"
        "order.book(w, at=pendulum.datetime(2026, 11, 24, 10, tz='Asia/Shanghai'), by='desk')\n"
    )
    assert _mypy_strict(program, tmp_path, monkeypatch) == ""


def test_the_typing_check_reports_a_program_that_does_not_type_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = "import fieldservice as fs\nfs.ServiceStandard.default().no_such_field\n"
    assert "no_such_field" in _mypy_strict(program, tmp_path, monkeypatch)


# --- what inspect.signature and the API pages show ------------------------------------


def _public_callables() -> list[tuple[str, object]]:
    """Every public callable of ``fieldservice.__all__``: names, the public names of its
    public modules, and the public methods and properties of every class among them.

    A method documented ``:meta private:`` is plumbing between the library's modules
    (hidden from the API pages), not API, and is left out.
    """
    found: dict[int, tuple[str, object]] = {}
    tops: list[tuple[str, object]] = []
    for name in fieldservice.__all__:
        value = getattr(fieldservice, name)
        if inspect.ismodule(value):
            tops += [(f"{name}.{n}", getattr(value, n)) for n in getattr(value, "__all__", ())]
        else:
            tops.append((name, value))
    for qualname, value in tops:
        if inspect.isclass(value):
            found.setdefault(id(value), (qualname, value))
            for member, raw in vars(value).items():
                if member.startswith("_"):
                    continue
                if isinstance(raw, property):
                    function = raw.fget
                elif isinstance(raw, classmethod | staticmethod) or inspect.isfunction(raw):
                    function = getattr(value, member)
                else:
                    continue
                if ":meta private:" not in (inspect.getdoc(function) or ""):
                    found.setdefault(id(function), (f"{qualname}.{member}", function))
        elif callable(value):
            found.setdefault(id(value), (qualname, value))
    return sorted(found.values(), key=lambda pair: pair[0])


PUBLIC_CALLABLES = _public_callables()
# A private name in an annotation: `_OrderState`, `_jsondata.Form`, `list[_Row]`.
PRIVATE_NAME = re.compile(r"(?<![\w.])_[A-Za-z]\w*")


def _private_names_in_signature(value: object) -> list[str]:
    try:
        signature = inspect.signature(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a builtin without one
        return []
    shown = [p.annotation for p in signature.parameters.values()]
    shown.append(signature.return_annotation)
    names = [p.name for p in signature.parameters.values()]
    texts = [a if isinstance(a, str) else inspect.formatannotation(a) for a in shown]
    return [m for text in texts + names for m in PRIVATE_NAME.findall(text)]


def test_the_walk_finds_the_public_callables() -> None:
    names = {name for name, _ in PUBLIC_CALLABLES}
    assert {"WorkOrder", "WorkOrder.book", "sla.evaluate", "calendar.to_ical"} <= names


@pytest.mark.parametrize(("name", "value"), PUBLIC_CALLABLES, ids=[n for n, _ in PUBLIC_CALLABLES])
def test_regression_public_signatures_name_no_private_types(name: str, value: object) -> None:
    # Issue 18: inspect.signature(WorkOrder) showed its private `_OrderState` state.
    assert _private_names_in_signature(value) == []


def test_the_signature_check_sees_a_private_annotation() -> None:
    class _State: ...

    def leaky(s: _State, *, ok: int) -> list[_State]:
        return [s] * ok

    assert _private_names_in_signature(leaky) == ["_State", "_State"]


def test_regression_a_work_order_is_built_by_its_named_constructors_only() -> None:
    with pytest.raises(fieldservice.InvalidInput, match=r"WorkOrder\.install\(\)"):
        fieldservice.WorkOrder("WO-1", None, fieldservice.ServiceStandard.default())
