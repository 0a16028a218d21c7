"""Every benchmark script still imports: they read the library's own modules, private ones
included, and CI runs none of them. A name moved in the library breaks a script silently."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("path", sorted(BENCHMARKS.glob("*.py")), ids=lambda p: p.name)
def test_the_benchmark_script_imports(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The scripts import each other by name (bench_restore reads bench_workflow's lifecycle).
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or err.name.split(".")[0] in {"fieldservice", "bench_workflow"}:
            raise
        pytest.skip(f"{path.name} needs {err.name}, not installed here")
    finally:
        sys.modules.pop(spec.name, None)


def test_the_ics_benchmark_baseline_still_writes_the_library_s_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # bench_ics compares to_ical against a bare icalendar loop over the same values, and
    # stops when the two differ: an alarm property the library adds must reach the loop.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    icalendar = pytest.importorskip("icalendar")
    import bench_ics

    from fieldservice.calendar import to_ical

    orders = bench_ics.make_orders(40)
    exported = to_ical(orders)
    baseline = bench_ics.bare_loop(
        bench_ics.records(exported), icalendar.Timezone.from_tzid(bench_ics.TZ)
    )
    assert b"X-FIELDSERVICE-QUIET-HOURS-CONFLICT" in exported  # the case that broke it
    events = exported[exported.index(b"BEGIN:VEVENT") :]
    assert baseline[baseline.index(b"BEGIN:VEVENT") :] == events
