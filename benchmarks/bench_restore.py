"""Restoring orders from JSON: the rate, linearity in events, and memory per open order.

    python benchmarks/bench_restore.py            # this checkout against the release before
    python benchmarks/bench_restore.py --quick    # smaller counts

Three measurements, each printed for this checkout and for the release before the event
schema (``--baseline REV``, default ``ef26aea``, unpacked from git into a temporary folder
and run in a subprocess on the same inputs), with the ratio between them:

* **rate**: ``WorkOrder.from_json`` on the JSON of install orders at every stage of their
  lifecycle (1 to 40 events), orders per second, best of three;
* **linearity**: one order of 1k, 4k, 16k and 64k events (a repair whose clocks the
  customer pauses and resumes again and again), seconds to restore it;
* **memory**: open install orders (booked, technicians assigned, arrival confirmed)
  restored from distinct JSON texts and held in a list, bytes per order by
  ``tracemalloc`` (the texts are freed before measuring).

The issue's targets: rate >= 5x the release before, 64k events in under 1 s, and at most
1,500 bytes per open order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
TZ = "Asia/Shanghai"


def _lifecycle_texts(n: int) -> list[str]:
    """JSON of ``n`` install orders, cycling through every stage of the lifecycle."""
    # The baseline run reads the generator of its own tree (the modules moved since).
    sys.path.insert(0, os.environ.get("BENCH_RESTORE_HELPERS", str(HERE)))
    from bench_workflow import fieldservice_lifecycle

    import fieldservice as fs

    full = fieldservice_lifecycle("WO-0")
    text = full.to_json(include_personal=True)
    data = json.loads(text)
    stages = []
    for k in range(1, len(data["events"]) + 1):
        stage = dict(data, events=data["events"][:k])
        stages.append(stage)
    out = []
    for i in range(n):
        stage = dict(stages[i % len(stages)], id=f"WO-{i}")
        out.append(json.dumps(stage, ensure_ascii=False))
    assert fs.WorkOrder.from_json(out[-1]).id == f"WO-{n - 1}"
    return out


def _open_texts(n: int) -> list[str]:
    """JSON of ``n`` distinct open install orders: accepted, booked, assigned, confirmed."""
    import pendulum

    import fieldservice as fs

    t = pendulum.datetime(2026, 11, 24, 10, 30, tz=TZ)
    cust = fs.Customer(
        id="C-1", name="张三", tier="gold", phones="138 0013 8000", address="张江路 100 弄 5 号"
    )
    tech = fs.Technician(id="T7", name="李四", certificate="ZW-7")
    order = fs.WorkOrder.install(
        id="WO-0", customer=cust, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    order.check_resources(True, at=t.add(minutes=1), by="desk-1")
    order.contact_customer(at=t.add(minutes=20), by="desk-1")
    order.book(fs.AppointmentWindow("2026-11-26", "afternoon"), at=t.add(minutes=25), by="desk-1")
    order.assign([tech], contact=tech, at=t.add(hours=1), by="dispatch-1")
    order.confirm(14, at=t.add(hours=22), by="T7")
    base = order.to_json(include_personal=True)
    # Distinct ids and customers: nothing shared between orders but what the library shares.
    return [base.replace('"WO-0"', f'"WO-{i}"').replace('"C-1"', f'"C-{i}"') for i in range(n)]


def _long_text(events: int) -> str:
    """One repair order whose clocks are paused and resumed until it has ``events`` events."""
    start = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    log: list[dict[str, Any]] = [
        {
            "kind": "reported",
            "at": start.isoformat(),
            "actor": "desk-1",
            "data": {
                "order_kind": "repair",
                "tier": "gold",
                "area": "city",
                "products": ["broadband"],
            },
        }
    ]
    for i in range(1, events):
        kind = "clock_paused" if i % 2 else "clock_resumed"
        data = {"reason": "customer_request"} if i % 2 else {}
        at = start + dt.timedelta(seconds=i)
        log.append({"kind": kind, "at": at.isoformat(), "actor": "desk-1", "data": data})
    order = {
        "id": "WO-long",
        "customer": {
            "id": "C-1",
            "name": "张三",
            "tier": "gold",
            "phones": ["+8613800138000"],
            "address": {"region": "上海市", "detail": "张江路 1 号"},
            "language": "zh-CN",
            "area": "city",
        },
        "technicians": [],
        "events": log,
    }
    return json.dumps(order, ensure_ascii=False)


def measure(quick: bool, texts_dir: str | None = None) -> dict[str, Any]:
    """Run the three measurements in this process, on whichever fieldservice it imports.

    With ``texts_dir``, the JSON texts are read from there if present, else made and
    written there: the baseline writes them, this checkout reads the very same texts.
    """
    import fieldservice as fs

    n_rate = 20_000 if quick else 100_000
    n_mem = 100_000 if quick else 1_000_000
    folder = None if texts_dir is None else pathlib.Path(texts_dir)
    if folder is not None and (folder / "rate.jsonl").exists():
        texts = (folder / "rate.jsonl").read_text(encoding="utf-8").split("\n")
        opens = (folder / "open.jsonl").read_text(encoding="utf-8").split("\n")
    else:
        texts, opens = _lifecycle_texts(n_rate), _open_texts(n_mem)
        if folder is not None:
            (folder / "rate.jsonl").write_text("\n".join(texts), encoding="utf-8")
            (folder / "open.jsonl").write_text("\n".join(opens), encoding="utf-8")
    best = float("inf")
    for _ in range(3):
        gc.collect()
        t0 = time.perf_counter()
        for text in texts:
            fs.WorkOrder.from_json(text)
        best = min(best, time.perf_counter() - t0)
    rate = n_rate / best

    linear = {}
    for size in (1_000, 4_000, 16_000, 64_000):
        text = _long_text(size)
        t0 = time.perf_counter()
        order = fs.WorkOrder.from_json(text)
        linear[size] = time.perf_counter() - t0
        assert len(order.events) == size
        if linear[size] > 20:  # quadratic: the larger ones would take minutes
            break

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = [fs.WorkOrder.from_json(text) for text in opens]
    del opens
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_order = (after - before) / len(held)
    state = held[0].state.value
    del held
    return {
        "rate": rate,
        "n_rate": n_rate,
        "linear": linear,
        "bytes_per_open_order": per_order,
        "n_mem": n_mem,
        "open_state": state,
    }


def _baseline(rev: str, quick: bool, texts_dir: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "src", "benchmarks"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = dict(
            os.environ,
            PYTHONPATH=str(pathlib.Path(tmp) / "src"),
            BENCH_RESTORE_HELPERS=str(pathlib.Path(tmp) / "benchmarks"),
        )
        args = [sys.executable, str(pathlib.Path(tmp) / "benchmarks" / "bench_restore.py")]
        # The old tree has no copy of this script: run this one against the old source.
        args[1] = __file__
        out = subprocess.run(
            [*args, "--measure-only", "--texts", texts_dir, *(["--quick"] if quick else [])],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument("--baseline", default="ef26aea", help="the release to compare with")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-baseline", action="store_true", help="this checkout only")
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        print(json.dumps(measure(args.quick, args.texts)))
        return 0
    import fieldservice

    with tempfile.TemporaryDirectory() as texts:
        # The release before writes the texts (schema 0) and reads them; this checkout
        # reads the same texts, as it must read what that release wrote. A full run takes
        # long (a million orders held under tracemalloc, twice): say where it is.
        old = None
        if not args.no_baseline:
            _progress(f"measuring {args.baseline} (rate, linearity, memory) in a subprocess")
            t0 = time.perf_counter()
            old = _baseline(args.baseline, args.quick, texts)
            _progress(
                f"  {args.baseline}: {old['rate']:,.0f} orders/s, "
                f"{old['bytes_per_open_order']:,.0f} bytes per open order "
                f"({time.perf_counter() - t0:.0f} s)"
            )
        _progress("measuring this checkout")
        now = measure(args.quick, None if args.no_baseline else texts)
    print(f"fieldservice from {pathlib.Path(fieldservice.__file__).parent}")
    print(f"rate: from_json on {now['n_rate']:,} install orders at every stage")
    print(f"  this checkout: {now['rate']:,.0f} orders/s")
    if old:
        print(f"  {args.baseline}:       {old['rate']:,.0f} orders/s")
        print(f"  ratio: {now['rate'] / old['rate']:.2f}x (target >= 5x)")
    print("linearity: one order of n events, seconds to restore")
    for size, secs in now["linear"].items():
        was = ""
        if old:
            then = old["linear"].get(str(size))
            shown = "not run, too slow" if then is None else f"{then:.3f} s"
            was = f"   ({args.baseline}: {shown})"
        print(f"  {int(size):>6,} events: {secs:8.3f} s{was}")
    print(
        f"memory: {now['n_mem']:,} open install orders ({now['open_state']}): "
        f"{now['bytes_per_open_order']:,.0f} bytes per order (target <= 1,500)"
    )
    if old:
        print(f"  {args.baseline}: {old['bytes_per_open_order']:,.0f} bytes per order")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
