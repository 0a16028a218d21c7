"""The branch's SLA report over a big orders file: chunks, worker processes, the tally.

``fieldservice sla`` reads the file in chunks of lines, judges each chunk (here or in a
worker process), and adds the chunks' mergeable summaries in file order; memory stays
flat however many orders the file holds. The command line (argv, stderr, the progress
bar) stays in :mod:`fieldservice.cli`; this module only judges, tallies and writes the
table.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TextIO

from fieldservice import _workers
from fieldservice.errors import FieldServiceError
from fieldservice.standard import ServiceStandard, format_duration


def read_json(line: bytes) -> Any:
    """The data of one JSON line, or :data:`NOT_JSON` when it is not JSON (or nested too deeply).

    The rule for both readers of :func:`clock_reader`: nesting deeper than
    :data:`DEEPEST` is refused, and a number of any length is read (one too long
    for an int becomes a float), so whether a line is read never depends on the
    stack depth or on the interpreter's digit limit.
    """
    if _too_deep(line):
        return NOT_JSON
    try:
        return json.loads(line, parse_int=_whole)
    except (ValueError, RecursionError):
        return NOT_JSON


NOT_JSON = object()

DEEPEST = 256
"""The deepest nesting of arrays and objects a line may hold (an order holds about six)."""


def _whole(digits: str) -> int | float:
    # Past the interpreter's int digit limit json.loads would refuse the whole line,
    # where msgspec skips the number unread: both now read it, as a float.
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _too_deep(line: bytes) -> bool:
    """Whether ``line`` nests arrays and objects deeper than :data:`DEEPEST`."""
    if line.count(b"[") + line.count(b"{") <= DEEPEST:
        return False  # the common case, decided by two counts in C
    depth = 0
    in_text = escaped = False
    for byte in line:
        if in_text:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_text = False
        elif byte == 0x22:
            in_text = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > DEEPEST:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def _clock_reader() -> Callable[[bytes], Any]:
    """What the clocks read of one line (id, standard, events), by the fastest decoder here.

    With the ``fast`` extra, msgspec decodes those three keys and skips the rest (the
    customer, the technicians) without building it: a fifth of the time a line takes.
    A line msgspec refuses is read again by :func:`read_json`, which then decides, and
    both apply its nesting rule first, so both accept the same lines and word a
    refusal the same way.
    """
    try:
        import msgspec
    except ImportError:
        return read_json

    class Line(msgspec.Struct):
        id: Any = None
        events: Any = None
        standard: Any = None

    decode = msgspec.json.Decoder(Line).decode

    def read(line: bytes) -> Any:
        if _too_deep(line):
            return NOT_JSON
        try:
            # Decoded here: msgspec does not check the UTF-8 of the values it skips.
            got = decode(line.decode())
        except (UnicodeDecodeError, msgspec.MsgspecError, RecursionError):
            return read_json(line)
        return {"id": got.id, "events": got.events, "standard": got.standard}

    return read


@functools.cache
def clock_reader() -> Callable[[bytes], Any]:
    """:func:`_clock_reader`, made once per process."""
    return _clock_reader()


class Chunk(NamedTuple):
    """Some lines of the orders file, with their numbers and the bytes read up to them."""

    numbers: list[int]
    lines: list[bytes]
    done: int


CHUNK_LINES = 2048


def chunked(lines: Iterator[tuple[int, int, bytes]]) -> Iterator[Chunk]:
    numbers: list[int] = []
    chunk: list[bytes] = []
    done = 0
    for number, done, line in lines:
        if not line.strip():
            continue
        numbers.append(number)
        chunk.append(line)
        if len(chunk) == CHUNK_LINES:
            yield Chunk(numbers, chunk, done)
            numbers, chunk = [], []
    if chunk:
        yield Chunk(numbers, chunk, done)


class Part(NamedTuple):
    """What one chunk's orders add to the report: small, and picklable across processes."""

    summary: Any
    breached: list[tuple[str, int]]
    refused: list[tuple[int, FieldServiceError | None]]


def judge_chunk(judge: Any, clocks: tuple[Any, ...], chunk: Chunk) -> Part:
    from fieldservice import sla

    summary = sla.SlaSummary(clocks=clocks)
    wanted = [list(sla.ClockName).index(c) for c in clocks]
    breached: list[tuple[str, int]] = []
    refused: list[tuple[int, FieldServiceError | None]] = []
    read = clock_reader()
    for number, line in zip(chunk.numbers, chunk.lines, strict=True):
        data = read(line)
        if data is NOT_JSON:
            refused.append((number, None))
            continue
        try:
            row = judge.judge(data)
        except FieldServiceError as err:
            refused.append((number, err))
            continue
        summary.add_clocks(row.state, row.tier, row.elapsed)
        state = row.state
        # 4 is BREACHED's index in ClockState, the code OrderClocks keeps.
        breached.extend((row.id, i) for i in wanted if state[i] == 4)
    return Part(summary, breached, refused)


class Tally:
    """The report so far: chunks are added in file order, whichever process judged them."""

    def __init__(
        self,
        summary: Any,
        *,
        keep_all: bool,
        refuse: Callable[[int, FieldServiceError | None], None],
    ) -> None:
        self.summary = summary
        self._refuse = refuse
        self.keep_all = keep_all
        self.breached: list[tuple[str, str]] = []
        self.breach_count = 0
        self.refused = 0

    def add(self, part: Part) -> None:
        """Add one judged chunk; its refused lines go to ``refuse`` (line number, error)."""
        from fieldservice import sla

        for number, err in part.refused:
            self.refused += 1
            self._refuse(number, err)
        self.summary = self.summary.merge(part.summary) if self.summary.orders else part.summary
        self.breach_count += len(part.breached)
        names = list(sla.ClockName)
        # The table names the first 20; only --json lists them all.
        room = len(part.breached) if self.keep_all else max(LISTED - len(self.breached), 0)
        self.breached.extend((order, names[i].value) for order, i in part.breached[:room])


# The judge of a worker process, made once by _start_worker.
_WORKER_JUDGE: Any = None


def _start_worker(standard: ServiceStandard, at: dt.datetime) -> None:
    global _WORKER_JUDGE  # one judge per worker process, made at its start
    from fieldservice import sla

    _WORKER_JUDGE = sla.OrderJudge(at=at, standard=standard)


def _judge_in_worker(clocks: tuple[Any, ...], chunk: Chunk) -> Part:
    return judge_chunk(_WORKER_JUDGE, clocks, chunk)


def judged_in_order(
    chunks: Iterator[Chunk],
    standard: ServiceStandard,
    at: dt.datetime,
    clocks: tuple[Any, ...],
    jobs: int,
) -> Iterator[tuple[Part, int]]:
    """Chunks judged by ``jobs`` processes, yielded in file order; a few in flight at a time.

    Only ``2 * jobs`` chunks are read ahead, so memory stays flat however long the file.
    """
    judged = _workers.in_order(
        chunks,
        functools.partial(_judge_in_worker, clocks),
        jobs=jobs,
        start=_start_worker,
        start_args=(standard, at),
    )
    return ((part, chunk.done) for chunk, part in judged)


LISTED = 20


def write_table(
    out: TextIO,
    at: dt.datetime,
    std: ServiceStandard,
    orders: int,
    rows: list[dict[str, Any]],
    breached: list[tuple[str, str]],
    breach_count: int,
    refused: int,
) -> None:
    from fieldservice import sla

    def span(seconds: float | None) -> str:
        # Whole minutes: the sketch is within 1 % anyway, and the column stays narrow.
        return (
            "-" if seconds is None else format_duration(dt.timedelta(minutes=round(seconds / 60)))
        )

    out.write(f"SLA report at {at:%Y-%m-%d %H:%M} ({std.timezone}), {orders} orders\n")
    if refused:
        out.write(f"  {refused} lines refused (see stderr)\n")
    # Widths grow with the largest number, and every column starts with a space:
    # numbers never run together, however many orders there are.
    counts = ("count", "running", "met", "breached")
    width = {k: max(len(k), *(len(str(r[k])) for r in rows)) if rows else len(k) for k in counts}
    width["count"] = max(width["count"], len("clocks"))
    head = f"  {'clock':<17}{'rule':<5}{'tier':<9}" + "".join(
        f" {('clocks' if k == 'count' else k):>{width[k]}}" for k in counts
    )
    out.write(head + f" {'met %':>6} {'median':>9} {'p95':>9}\n")
    for r in rows:
        share = "-" if r["met_share"] is None else f"{r['met_share']:.0%}"
        cells = "".join(f" {r[k]:>{width[k]}}" for k in counts)
        out.write(
            f"  {r['clock']:<17}{r['rule']:<5}{r['tier']:<9}{cells} {share:>6} "
            f"{span(r['median_elapsed_s']):>9} {span(r['p95_elapsed_s']):>9}\n"
        )
    out.write(
        f"  {breach_count} breached clocks"
        + (": " if breached else "")
        + ", ".join(f"{sla.shown_id(o)} {c}" for o, c in breached[:LISTED])
        + (" ..." if breach_count > LISTED else "")
        + "\n"
    )
