"""A branch's whole history through ``fieldservice sla``: time, peak memory, ratio, decoders.

    python benchmarks/bench_branch.py                 # 1,000,000 orders, ratio on 100,000
    python benchmarks/bench_branch.py --orders 100000 --ratio-orders 20000

Prints, in one run, on orders written by ``fieldservice generate`` (fieldservice.synthetic):

* **stream**: ``fieldservice sla FILE`` on N orders from JSON lines, in a subprocess: as a
  user types it (the table; a file this big is judged on every CPU), the table with
  ``--jobs 1``, and ``--json`` (every breached clock listed): seconds, orders per second
  and peak RSS (the issue's targets: 1,000,000 orders in at most 30 s and 500 MiB);
* **ratio**: the same command against the release before (``--baseline REV``, default
  ``ef26aea``, unpacked with ``git archive`` as bench_restore.py does), on the first
  ``--ratio-orders`` orders written in its schema (version 0: no ``schema_version`` or
  ``standard`` keys), both commands timed the same way;
* **parquet**: the same orders written as Parquet (``fieldservice generate N -o x.parquet``)
  and judged by ``sla.evaluate_table`` in a subprocess: seconds and peak RSS (target <= 10 s);
* **decoders**: the standard library's ``json`` against ``orjson`` and ``msgspec`` (generic,
  and a typed ``Struct`` that skips everything but the id, standard and events) on the same
  lines: microseconds per line to decode, and decode plus ``OrderJudge`` per line.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from typing import Any

try:
    import msgspec

    class Std(msgspec.Struct):
        name: str
        digest: str

    class Line(msgspec.Struct):
        """Only what the clocks read: the customer and technicians are skipped unparsed."""

        id: str
        events: list[dict[str, Any]]
        standard: Std | None = None

except ImportError:
    pass

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
AT = "2026-11-24T20:00"
_RSS = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; s = time.perf_counter() - t; "
    "print(s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one command, run in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS, *cmd], env=env, capture_output=True, text=True, check=True
    )
    seconds, rss_kib, code = done.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"{cmd} failed: {done.stderr[-500:]}")
    return float(seconds), int(rss_kib) / 1024


def env_for(src: pathlib.Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(src))


def generate(n: int, path: pathlib.Path) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "fieldservice", "generate", str(n), "--seed", "1", "-o", str(path)],
        env=env_for(ROOT / "src"),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t


def sla_cmd(path: pathlib.Path, *options: str) -> list[str]:
    """The command, ``--json`` unless other options are given (the ratio's old release has no --jobs)."""
    return [
        sys.executable,
        "-m",
        "fieldservice",
        "sla",
        str(path),
        "--at",
        AT,
        *(options or ("--json",)),
    ]


def to_v0(src: pathlib.Path, dst: pathlib.Path, n: int) -> None:
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i == n:
                break
            data = json.loads(line)
            data.pop("schema_version", None)
            data.pop("standard", None)
            g.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def head(src: pathlib.Path, dst: pathlib.Path, n: int) -> None:
    with src.open("rb") as f, dst.open("wb") as g:
        for i, line in enumerate(f):
            if i == n:
                break
            g.write(line)


def decoders(path: pathlib.Path, n: int) -> dict[str, tuple[float, float]]:
    """Per decoder: (µs to decode a line, µs to decode and judge a line)."""
    sys.path.insert(0, str(ROOT / "src"))
    import pendulum

    import fieldservice as fs
    from fieldservice import sla

    with path.open("rb") as f:
        lines = [line for _, line in zip(range(n), f, strict=False)]
    found: dict[str, Any] = {"json": json.loads}
    try:
        import orjson

        found["orjson"] = orjson.loads
    except ImportError:
        pass
    try:
        import msgspec

        typed = msgspec.json.Decoder(Line)

        def struct(line: bytes) -> dict[str, Any]:
            got = typed.decode(line)
            std = None if got.standard is None else msgspec.structs.asdict(got.standard)
            return {"id": got.id, "events": got.events, "standard": std}

        found["msgspec"] = msgspec.json.Decoder().decode
        found["msgspec-struct"] = struct
    except ImportError:
        pass
    from fieldservice import _branch_report

    # What `fieldservice sla` reads with: msgspec (the fast extra) behind its UTF-8 check.
    found["sla's reader"] = _branch_report.clock_reader()
    judge = sla.OrderJudge(
        at=pendulum.parse(AT, tz="Asia/Shanghai"), standard=fs.ServiceStandard.default()
    )
    out = {}
    for name, loads in found.items():
        best_decode = best_total = float("inf")
        for _ in range(3):
            # Each line's data is dropped at once, as the command does: a list of them all
            # would time the collector walking it, not the decoder.
            t = time.perf_counter()
            for line in lines:
                loads(line)
            best_decode = min(best_decode, time.perf_counter() - t)
            t = time.perf_counter()
            for line in lines:
                judge.judge(loads(line))
            best_total = min(best_total, time.perf_counter() - t)
        out[name] = (best_decode / n * 1e6, best_total / n * 1e6)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--ratio-orders", type=int, default=100_000)
    parser.add_argument("--decoder-lines", type=int, default=20_000)
    parser.add_argument("--baseline", default="ef26aea")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-parquet", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        big = tmp / "branch.jsonl"
        seconds = generate(args.orders, big)
        size = big.stat().st_size / 2**20
        print(f"generate: {args.orders:,} orders, {size:,.0f} MiB of JSONL in {seconds:.1f} s")

        new_env = env_for(ROOT / "src")
        cores = os.cpu_count() or 1
        for label, options in (
            # As a user types it: a file this big is judged on every CPU by default.
            (f"(the table, as typed: {cores} processes)", ("--quiet",)),
            ("the table, --jobs 1", ("--jobs", "1")),
            (f"--json ({cores} processes)", ("--json",)),
        ):
            seconds, rss = timed(sla_cmd(big, *options), new_env)
            print(
                f"stream: fieldservice sla {label} on {args.orders:,} orders: {seconds:.1f} s "
                f"({args.orders / seconds:,.0f} orders/s), peak RSS {rss:,.0f} MiB "
                f"(targets: <= 30 s, <= 500 MiB)"
            )

        if not args.no_baseline:
            n = min(args.ratio_orders, args.orders)
            old_src = tmp / "old"
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.baseline, "src"],
                check=True,
                capture_output=True,
            ).stdout
            old_src.mkdir()
            subprocess.run(["tar", "-x", "-C", str(old_src)], input=archive, check=True)
            part, part_v0 = tmp / "part.jsonl", tmp / "part_v0.jsonl"
            head(big, part, n)
            to_v0(big, part_v0, n)
            new_s, new_rss = timed(sla_cmd(part), new_env)
            old_s, old_rss = timed(sla_cmd(part_v0), env_for(old_src / "src"))
            print(
                f"ratio on {n:,} orders: this checkout {new_s:.1f} s, {new_rss:,.0f} MiB; "
                f"{args.baseline} {old_s:.1f} s, {old_rss:,.0f} MiB: "
                f"{old_s / new_s:.1f}x faster, {old_rss / new_rss:.1f}x less memory"
            )

        if not args.no_parquet:
            pq = tmp / "branch.parquet"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fieldservice",
                    "generate",
                    str(args.orders),
                    "--seed",
                    "1",
                    "-o",
                    str(pq),
                    "--quiet",
                ],
                env=new_env,
                check=True,
            )
            code = (
                "import sys, pendulum; from fieldservice import sla; "
                "t = sla.evaluate_table(sys.argv[1], at=pendulum.parse(sys.argv[2], "
                "tz='Asia/Shanghai')); print(t.num_rows, file=sys.stderr)"
            )
            seconds, rss = timed([sys.executable, "-c", code, str(pq), AT], new_env)
            print(
                f"parquet: sla.evaluate_table on {args.orders:,} orders: {seconds:.1f} s "
                f"({args.orders / seconds:,.0f} orders/s), peak RSS {rss:,.0f} MiB (target <= 10 s)"
            )

        print(f"decoders on {args.decoder_lines:,} lines (µs per line: decode / decode + judge):")
        for name, (decode, total) in decoders(big, args.decoder_lines).items():
            print(f"  {name:<15}{decode:8.1f} {total:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
