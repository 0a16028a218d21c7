"""Import time of ``fieldservice`` against attrs + pendulum + transitions alone.

    python benchmarks/bench_import.py            # 15 fresh interpreters per figure
    python benchmarks/bench_import.py --runs 31  # more runs, steadier medians
    python benchmarks/bench_import.py --strict   # exit 1 if the target is missed

Each figure is the median wall time of a fresh interpreter running
``python -c "<imports>"``, minus the median of a bare ``python -c pass``:

(A) ``import attrs, pendulum, transitions``, the dependencies every use needs;
(B) ``import fieldservice``.

The target (DESIGN.md, issue 10) is B/A <= 1.3x, with icalendar, the holidays
data and the phonenumbers metadata loaded only when used: the script lists
which of them ``import fieldservice`` leaves out of ``sys.modules``. The runs
take turns (bare, A, B, bare, ...) so that drift hits all three alike.

Bytecode: every run reads compiled bytecode from a temporary
``PYTHONPYCACHEPREFIX``, written by warm-up runs, as an installed package would
have it. Where the environment sets ``PYTHONDONTWRITEBYTECODE`` (an editable
install then compiles fieldservice's sources on every import, while the
dependencies have their bytecode from pip), the ratio as run that way is
printed too, for information.

Above the target, ``-X importtime`` (median of a few runs) lists the ten modules
with the most self time among those ``import fieldservice`` adds to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence

TARGET = 1.3
BARE = "pass"
BASELINE = "import attrs, pendulum, transitions"
OURS = "import fieldservice"
HEAVY = ("icalendar", "holidays", "phonenumbers")


def environment(pycache: str | None) -> dict[str, str]:
    """The child interpreters' environment: bytecode under ``pycache``, or none written."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run(code: str, env: Mapping[str, str], cwd: str, *flags: str) -> str:
    """Run ``python [flags] -c code`` in a fresh interpreter; return its stderr."""
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"python -c {code!r} failed:\n{done.stderr}")
    return done.stderr


def medians(
    programs: Sequence[str], runs: int, env: Mapping[str, str], cwd: str
) -> dict[str, float]:
    """Median wall seconds of each program, the runs taking turns."""
    for code in programs:  # warm up: bytecode written, files in the page cache
        run(code, env, cwd)
        run(code, env, cwd)
    times: dict[str, list[float]] = {code: [] for code in programs}
    for _ in range(runs):
        for code in programs:
            start = time.perf_counter()
            run(code, env, cwd)
            times[code].append(time.perf_counter() - start)
    return {code: statistics.median(values) for code, values in times.items()}


def net(times: Mapping[str, float]) -> tuple[float, float]:
    """(A, B) in seconds, each net of the bare interpreter."""
    return times[BASELINE] - times[BARE], times[OURS] - times[BARE]


def loaded_heavy(env: Mapping[str, str], cwd: str) -> dict[str, list[str]]:
    """For each heavy package, the modules of it in sys.modules after ``import fieldservice``."""
    code = (
        "import sys, json, fieldservice\n"
        f"heavy = {HEAVY!r}\n"
        "print(json.dumps({h: sorted(m for m in sys.modules"
        " if m == h or m.startswith(h + '.')) for h in heavy}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def import_times(code: str, env: Mapping[str, str], cwd: str, runs: int) -> dict[str, list[int]]:
    """Per module, [self us, cumulative us] from ``-X importtime``, medians over ``runs``."""
    samples: dict[str, list[tuple[int, int]]] = {}
    for _ in range(runs):
        for line in run(code, env, cwd, "-X", "importtime").splitlines():
            if not line.startswith("import time:") or "[us]" in line:
                continue
            own, cumulative, name = line.removeprefix("import time:").split("|")
            samples.setdefault(name.strip(), []).append((int(own), int(cumulative)))
    return {
        name: [
            int(statistics.median(s[0] for s in values)),
            int(statistics.median(s[1] for s in values)),
        ]
        for name, values in samples.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="interpreters per figure (15)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    programs = (BARE, BASELINE, OURS)

    # Run from an empty directory: the imports resolve as installed, not from the cwd.
    with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as pycache:
        cached = environment(pycache)
        times = medians(programs, args.runs, cached, cwd)
        heavy = loaded_heavy(cached, cwd)
        uncached: dict[str, float] | None = None
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            uncached = medians(programs, args.runs, environment(None), cwd)
        base, ours = net(times)
        ratio = ours / base
        ok = ratio <= TARGET
        top: list[tuple[str, list[int]]] = []
        added: dict[str, list[int]] = {}
        if not ok:
            baseline_modules = import_times(BASELINE, cached, cwd, 7)
            ours_modules = import_times(OURS, cached, cwd, 7)
            added = {m: t for m, t in ours_modules.items() if m not in baseline_modules}
            top = sorted(added.items(), key=lambda kv: -kv[1][0])[:10]

    print(
        f"fieldservice import benchmark (Python {sys.version.split()[0]}; median of "
        f"{args.runs} fresh interpreters each, bytecode cached)"
    )
    print(f"  bare `python -c pass`                     {times[BARE] * 1000:7.1f} ms")
    print(f"  (A) {BASELINE:<36}  {base * 1000:7.1f} ms  (net of the bare interpreter)")
    print(f"  (B) {OURS:<36}  {ours * 1000:7.1f} ms  (net)")
    print(
        f"  ratio B/A: {ratio:.2f}x   target <= {TARGET}x: {'ok' if ok else 'MISSED'}"
        + ("" if ok else f" ((B) would need <= {base * TARGET * 1000:.1f} ms)")
    )
    for name in HEAVY:
        modules = heavy[name]
        state = "not loaded: ok" if not modules else f"LOADED ({len(modules)} modules)"
        print(f"  after `import fieldservice`: {name:<13} {state}")
    if uncached is not None:
        base_u, ours_u = net(uncached)
        print(
            f"  as this environment runs it (PYTHONDONTWRITEBYTECODE=1, fieldservice compiled "
            f"from source): A {base_u * 1000:.1f} ms, B {ours_u * 1000:.1f} ms, "
            f"B/A {ours_u / base_u:.2f}x"
        )
    if top:
        own_total = sum(t[0] for t in added.values())
        ours_total = sum(t[0] for m, t in added.items() if m.split(".")[0] == "fieldservice")
        print(
            f"  `import fieldservice` adds {len(added)} modules to the baseline's, "
            f"{own_total / 1000:.1f} ms of self time ({ours_total / 1000:.1f} ms in "
            f"fieldservice.*, the rest standard library); the top 10 (-X importtime, median of 7):"
        )
        print(f"    {'self ms':>8} {'cumul. ms':>10}  module")
        for name, (own, cumulative) in top:
            print(f"    {own / 1000:8.1f} {cumulative / 1000:10.1f}  {name}")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
