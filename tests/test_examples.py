"""The examples an integrator copies: each runs as a script and prints what it promises.

Each example runs in a subprocess (``sys.executable``, a fresh temporary working
directory) as a user would run it; the checks read its output. No example may
print personal data (G1). The notebook runs on a real kernel through nbclient.
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fieldservice import ServiceStandard, demo
from fieldservice.cli import main as cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STD = ServiceStandard.default()
NIGHT = "2026-11-25T20:00"


def personal_data() -> set[str]:
    """Every name, phone (as written and as E.164) and address detail of the demo day."""
    found: set[str] = set()
    for order in demo.build_day(STD):
        customer = order.customer
        found.add(customer.name.reveal())
        found.add(customer.address.reveal().removeprefix(customer.address.region).strip())
        for phone in customer.phones:
            found |= {phone.reveal(), phone.reveal().removeprefix("+86")}
        for tech in order.technicians:
            found.add(tech.name.reveal())
            if tech.phone is not None:
                found |= {tech.phone.reveal(), tech.phone.reveal().removeprefix("+86")}
    return found


PERSONAL = personal_data()


def run(name: str, *args: str, cwd: Path) -> str:
    """Run ``examples/<name>`` with this interpreter; return its output, checked for G1."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    leaked = sorted(p for p in PERSONAL if p in done.stdout or p in done.stderr)
    assert not leaked, f"{name} printed personal data"
    return done.stdout


def sla_table(output: str) -> list[str]:
    """The report table of an SLA example: from its header line to its breaches line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("SLA report at "))
    end = next(i for i, line in enumerate(lines) if "breached clocks" in line)
    return lines[start : end + 1]


@pytest.fixture(scope="module")
def day_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo day as a full export, personal data included, as a store would write it."""
    path = tmp_path_factory.mktemp("examples") / "day.jsonl"
    path.write_text(
        "".join(o.to_json(include_personal=True) + "\n" for o in demo.build_day(STD)),
        encoding="utf-8",
    )
    return path


def test_quickstart_books_an_order_and_judges_its_clocks(tmp_path: Path) -> None:
    out = run("quickstart.py", cwd=tmp_path)
    for line in (
        "customer C-1: 金卡, name 张*",
        "WO-1: 待预约 (awaiting_booking)",
        "offered: 2026-11-25 上午 morning, 2026-11-25 下午 afternoon",
        "WO-1: 已预约 (booked), window 2026-11-25 上午 morning",
        "refused [invalid_appointment]: B5 before_lead_time; still booked",
        "clock booking_contact (B3): met",
        "clock arrival (T2): running",
        "reminder C2 call_ahead at 11-25 10:05 to customer",
        "restored from JSON: same state and events",
    ):
        assert line in out.splitlines()


def test_booking_screen_lists_windows_refuses_wishes_and_pages_on(tmp_path: Path) -> None:
    out = run("booking_screen.py", cwd=tmp_path)
    seed, branch = out.split("standard 'closed-on-holidays':")
    assert "2026-10-01 Thu  上午 08:00-12:00" in seed  # the seed keeps holidays open
    assert "2026-10-01" not in branch.split("Wish")[0]  # the branch skips 国庆
    assert "  2026-10-08 Thu  上午 08:00-12:00" in branch
    assert "  2026-09-30 Wed  下午 12:00-20:00  (from 16:00, B5)" in out
    assert "  B5 before_lead_time: " in out
    assert "  B6 closed_day: 2026-10-02 is closed for visits; choose another date" in out
    assert "More windows after 2026-10-09 上午 morning:\n  2026-10-09 Fri  下午 12:00-20:00" in out
    assert out.endswith("Booked WO-7 for 2026-10-08 上午 morning: 已预约 (booked)\n")


def test_nightly_sla_report_on_the_generated_demo_day(tmp_path: Path) -> None:
    out = run("nightly_sla_report.py", cwd=tmp_path)
    assert "No file given: wrote the demo day" in out
    table = sla_table(out)
    assert table[0] == "SLA report at 2026-11-25 20:00 (Asia/Shanghai), 6 orders"
    assert ["arrival", "T2", "silver", "1", "0", "0", "1", "0%"] in [r.split() for r in table]
    assert table[-1] == "  2 breached clocks: WO-102 arrival, WO-102 punctuality"
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone


def test_nightly_sla_report_agrees_with_the_sla_command(day_file: Path, tmp_path: Path) -> None:
    table = sla_table(run("nightly_sla_report.py", str(day_file), "--at", NIGHT, cwd=tmp_path))
    out = io.StringIO()
    assert cli(["sla", str(day_file), "--at", NIGHT, "--json"], out=out) == 0
    expected = json.loads(out.getvalue())
    rows = [line.split() for line in table[2:-1]]
    assert [r[:7] for r in rows] == [
        [t["clock"], t["rule"], t["tier"]]
        + [str(t[k]) for k in ("count", "running", "met", "breached")]
        for t in expected["tiers"]
    ]


def test_sqlite_store_restores_every_order_from_its_event_log(tmp_path: Path) -> None:
    db = tmp_path / "orders.sqlite"
    out = run("sqlite_store.py", str(db), cwd=tmp_path)
    lines = out.splitlines()
    assert lines[:3] == [
        "stored 6 orders, 75 events",
        "saved WO-104 again: appended 1 event(s)",
        "the events table holds 76 events",
    ]
    restored = [line for line in lines if line.startswith("restored ")]
    assert len(restored) == 6
    assert all(line.endswith("same state, events, checklist, work sheet") for line in restored)
    assert "restored WO-104: cancelled (已撤单), 6 events, " in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (6,)
        seqs = conn.execute("SELECT seq FROM events WHERE order_id = 'WO-104' ORDER BY seq")
        assert [s for (s,) in seqs] == list(range(6))
    conn.close()


def test_calendar_export_writes_a_plain_calendar_for_a_mixed_batch(tmp_path: Path) -> None:
    ics = tmp_path / "day.ics"
    out = run("calendar_export.py", "-o", str(ics), cwd=tmp_path)
    lines = out.splitlines()
    assert "WO-103: CANCELLED 11-25 16:00-17:00 sequence 3" in lines
    assert "WO-201: no visit booked" in lines
    assert "as one iTIP message: refused [invalid_input]" in lines
    assert "iTIP message METHOD:REQUEST with 4 visits" in lines
    assert "iTIP message METHOD:CANCEL with 1 visits" in lines
    assert (
        "wrote 5 visits to day.ics: 1 CANCELLED, 2 CONFIRMED, 2 TENTATIVE; METHOD absent" in lines
    )
    assert "feed for T7: 2 visits" in lines
    text = ics.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 5
    assert "METHOD:" not in text
    assert not [p for p in PERSONAL if p in text]


def test_dask_sla_report_prints_the_same_table_as_the_nightly_report(
    day_file: Path, tmp_path: Path
) -> None:
    pytest.importorskip("dask.bag", reason="the dask example needs the 'dask' extra")
    nightly = sla_table(run("nightly_sla_report.py", str(day_file), "--at", NIGHT, cwd=tmp_path))
    for partitions, scheduler in (("3", "threads"), ("4", "sync"), ("1", "threads")):
        out = run(
            "dask_sla_report.py",
            str(day_file),
            "--at",
            NIGHT,
            "--partitions",
            partitions,
            "--scheduler",
            scheduler,
            cwd=tmp_path,
        )
        assert f"dask: {partitions} partitions, {scheduler} scheduler" in out
        assert sla_table(out) == nightly
    generated = run("dask_sla_report.py", cwd=tmp_path)
    assert sla_table(generated) == sla_table(run("nightly_sla_report.py", cwd=tmp_path))


def test_dask_sla_report_on_parquet_partitions_over_a_local_cluster(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="the dask example needs the 'dask' extra")
    pytest.importorskip("pyarrow", reason="Parquet needs the 'arrow' extra")
    from fieldservice import columnar
    from fieldservice.synthetic import synthetic_lines

    lines = list(synthetic_lines(300, seed=4))
    jsonl = tmp_path / "branch.jsonl"
    jsonl.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    columnar.write_events(lines, tmp_path / "events", partition_by="day")
    at = "2026-11-24T20:00"
    out = run(
        "dask_sla_report.py",
        "--parquet",
        str(tmp_path / "events"),
        "--at",
        at,
        "--cluster",
        "local",
        "--workers",
        "2",
        cwd=tmp_path,
    )
    assert "Parquet partitions, cluster scheduler" in out
    single = io.StringIO()
    assert cli(["sla", str(jsonl), "--at", at, "--json"], out=single) == 0
    expected = json.loads(single.getvalue())
    table = sla_table(out)
    assert table[0].endswith(f", {expected['orders']} orders")
    rows = [line.split() for line in table[2:-1]]
    assert [r[:7] for r in rows] == [
        [t["clock"], t["rule"], t["tier"]]
        + [str(t[k]) for k in ("count", "running", "met", "breached")]
        for t in expected["tiers"]
    ]
    assert table[-1].startswith(f"  {len(expected['breaches'])} breached clocks")
    assert "Merged percentiles (DDSketch, within 1%):" in out


def test_notebook_runs_on_a_kernel_without_errors(tmp_path: Path) -> None:
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as err:
        pytest.skip(f"running the notebook needs nbclient and nbformat ({err.name} is missing)")
    pytest.importorskip("ipykernel", reason="running the notebook needs ipykernel")
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells), "save the notebook cleared"
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "\n".join(
        str(o.get("data", {}).get("text/html", "")) + str(o.get("text", "")) for o in outputs
    )
    assert "已竣工" in shown  # the work order
    assert "background:#f8d7da" in shown  # a breached clock, in red
    assert "call_ahead" in shown  # the reminder plan
    assert not [p for p in PERSONAL if p in shown]


@pytest.mark.parametrize("name", ["nightly_sla_report", "dask_sla_report"])
def test_the_examples_report_columns_never_run_together(name: str) -> None:
    # A branch's whole history: counts of seven and eight digits, as a 10M-order run gives.
    import importlib.util

    import pendulum

    if name.startswith("dask"):
        pytest.importorskip("dask.bag", reason="the dask example needs the 'dask' extra")
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = {
        ("booking_contact", "ordinary"): [32_525_000, 0, 26_215_000, 5_650_000],
        ("repair", "silver"): [928_500, 20_500, 209_000, 659_000],
    }
    at = pendulum.datetime(2026, 11, 26, 12, tz="Asia/Shanghai")
    lines = module.table(at, 10_000_000, counts, ([], 0))
    rows = {tuple(line.split()[:2]): line.split() for line in lines[2:-1]}
    assert rows[("booking_contact", "B3")][3:7] == ["32525000", "0", "26215000", "5650000"]
    assert rows[("repair", "F4")][3:7] == ["928500", "20500", "209000", "659000"]
    # The header's columns end where the numbers end.
    head = lines[1]
    for line in lines[2:-1]:
        assert len(line.rstrip()) == len(head.rstrip())


def test_G1_no_report_prints_an_order_id_that_may_hold_a_phone_number(tmp_path: Path) -> None:
    # The sla command's table, and both examples' tables: the same rule (sla.shown_id).
    import importlib.util

    import pendulum

    from fieldservice.synthetic import synthetic_lines

    phone_id = "WO-13800138000"
    line = json.loads(next(iter(synthetic_lines(1, seed=3))))
    line["id"] = phone_id
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    at = pendulum.datetime(2030, 1, 1, tz="Asia/Shanghai")  # every started clock is breached
    out = io.StringIO()
    cli(["sla", str(path), "--at", at.isoformat()], out=out)
    shown = [out.getvalue()]
    nightly = importlib.util.spec_from_file_location("nightly", EXAMPLES / "nightly_sla_report.py")
    assert nightly is not None
    assert nightly.loader is not None
    module = importlib.util.module_from_spec(nightly)
    nightly.loader.exec_module(module)
    shown += module.report(path, at, ServiceStandard.default())
    if importlib.util.find_spec("dask") is not None:
        spec = importlib.util.spec_from_file_location(
            "dask_report", EXAMPLES / "dask_sla_report.py"
        )
        assert spec is not None
        assert spec.loader is not None
        dask_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(dask_module)
        (part,) = dask_module.judge_partition(
            [path.read_text(encoding="utf-8")], at=at, standard=ServiceStandard.default()
        )
        shown += part[1]
    text = "\n".join(shown)
    assert "breached clocks: (an order ID not shown)" in text
    assert "13800138000" not in text
