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
from array import array
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, TextIO

from fieldservice import _workers
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.standard import ServiceStandard, format_duration


def read_json(line: bytes) -> Any:
    """The data of one JSON line, or :data:`NOT_JSON` when it is not JSON (or nested too deeply).

    The rule for both readers of :func:`clock_reader`: nesting deeper than
    :data:`DEEPEST` is refused, and a number of any length is read (one too long
    for an int becomes a float), so whether a line is read never depends on the
    stack depth or on the interpreter's digit limit.

    An object that holds a key twice is refused too: readers differ on which value
    wins, so a second ``"id"`` or ``"kind"`` could pass one reader and fool another.

    >>> read_json(b'{"id": "WO-1", "events": []}')
    {'id': 'WO-1', 'events': []}
    >>> read_json(b'{"id": "WO-1", "id": "WO-2", "events": []}') is NOT_JSON
    True
    """
    if _too_deep(line):
        return NOT_JSON
    try:
        # As json.loads reads bytes (UTF-8, -16 or -32, lone surrogates kept), by a decoder
        # made once: json.loads would make one per line for its keyword arguments.
        return _DECODE(line.decode(json.detect_encoding(line), "surrogatepass"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and a key given twice too
        return NOT_JSON


NOT_JSON = object()


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    if len(made) != len(pairs):
        raise ValueError  # caught by read_json: the key is not repeated in any message
    return made


DEEPEST = 256
"""The deepest nesting of arrays and objects a line may hold (an order holds about six)."""


def _whole(digits: str) -> int | float:
    # Past the interpreter's int digit limit json.loads would refuse the whole line,
    # where msgspec skips the number unread: both now read it, as a float.
    try:
        return int(digits)
    except ValueError:
        return float(digits)


_DECODE: Callable[[str], Any] = json.JSONDecoder(
    parse_int=_whole, object_pairs_hook=_unique_keys
).decode


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
    """What :func:`read_json` reads of one line, by the fastest decoder here.

    With the ``fast`` extra, msgspec decodes the line (the whole of it: quicker than
    ``json``, and it checks the UTF-8 of every text). A line msgspec refuses is read
    again by :func:`read_json`, which then decides, and both apply its nesting rule
    first, so both accept the same lines and word a refusal the same way.

    msgspec keeps the last value of a key given twice, where :func:`read_json` refuses
    the line; so a line is taken from msgspec only once it is shown to hold each key
    once, by :func:`_each_key_once`, and read by :func:`read_json` otherwise.
    """
    try:
        import msgspec
    except ImportError:
        return read_json

    decode = msgspec.json.Decoder().decode
    encode = msgspec.json.encode

    def read(line: bytes) -> Any:
        if _too_deep(line):
            return NOT_JSON
        try:
            data = decode(line)
            again = encode(data)
        except (ValueError, msgspec.MsgspecError, RecursionError):  # invalid UTF-8 too
            return read_json(line)
        if not _each_key_once(line, again):
            return read_json(line)  # a key may be given twice: json decides
        return data

    return read


def _each_key_once(line: bytes, again: bytes) -> bool:
    r"""Whether the JSON ``line`` holds each key once in each object, shown cheaply.

    ``again`` is the line's data as msgspec decodes it (keeping a key given twice once,
    with its last value) and encodes it again. A line that starts with ``again`` (as
    ``WorkOrder.to_json`` writes it, msgspec nearly always writes it too) is ``again``
    itself, whose keys are those of the data.

    Otherwise the colons are counted. Outside its texts, JSON holds one colon per key
    and value; inside them, the colons the texts hold (no byte of a UTF-8 sequence and
    no escape is a colon), unless a text spells one as ``\u003a``: then this says
    False, and :func:`read_json` decides. ``again`` holds one colon per key and value
    kept, and the colons of the texts kept; so as many colons as ``line`` when every
    key was kept, and fewer when a key was given twice.

    It refuses no line itself: False only sends the line to :func:`read_json`, and a
    line of distinct keys (and no such escape) is never sent there for this.

    >>> import msgspec
    >>> def check(line): return _each_key_once(line, msgspec.json.encode(msgspec.json.decode(line)))
    >>> check(b'{"at":"10:00","data":{"at":"11:00"}}\n'), check(b'{"at": "10:00"}')
    (True, True)
    >>> check(b'{"a":":","a":":"}'), check(b'{"a": ":", "a": ":"}')
    (False, False)
    >>> check(b'{"at": "10\\u003a00"}')  # a colon spelled as an escape: json decides
    False
    """
    if line.startswith(again):
        return True  # the common case, decided by one comparison in C
    return b"\\u003" not in line and again.count(b":") == line.count(b":")


KEY_TWICE = (
    "the order is not valid JSON, or an object in it holds a key twice; "
    "write it with WorkOrder.to_json"
)
"""The refusal of a line that holds a key twice: as :meth:`WorkOrder.from_json
<fieldservice.workflow.WorkOrder.from_json>` words it."""


def refusal_of(line: bytes) -> FieldServiceError | None:
    """Why a line the reader did not read was refused: a key twice, or None (not JSON).

    None when the line is not JSON (or nested too deeply), which the caller words.

    >>> refusal_of(b'{"id": "WO-1", "id": "WO-2"}').message  # doctest: +ELLIPSIS
    'the order is not valid JSON, or an object in it holds a key twice; ...'
    >>> refusal_of(b'{"id": "WO-1", "id": ') is None
    True
    """
    if _too_deep(line):
        return None
    try:
        _DECODE_ANY_KEYS(line.decode(json.detect_encoding(line), "surrogatepass"))
    except (ValueError, RecursionError):
        return None  # not JSON, whatever its keys
    return InvalidInput(KEY_TWICE)  # JSON, refused by read_json for a key given twice


_DECODE_ANY_KEYS: Callable[[str], Any] = json.JSONDecoder(parse_int=_whole).decode


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
    judged: list[tuple[int, str]]
    """The line and order ID of each order counted: the tally checks none is given twice."""


def judge_chunk(
    judge: Any, clocks: tuple[Any, ...], chunk: Chunk, repeated: Mapping[int, int] | None = None
) -> Part:
    """Judge one chunk; the lines in ``repeated`` (line -> the line first read) are refused."""
    from fieldservice import sla

    summary = sla.SlaSummary(clocks=clocks)
    wanted = [list(sla.ClockName).index(c) for c in clocks]
    breached: list[tuple[str, int]] = []
    refused: list[tuple[int, FieldServiceError | None]] = []
    judged: list[tuple[int, str]] = []
    read = clock_reader()
    for number, line in zip(chunk.numbers, chunk.lines, strict=True):
        data = read(line)
        if data is NOT_JSON:
            refused.append((number, refusal_of(line)))
            continue
        try:
            row = judge.judge(data)
        except FieldServiceError as err:
            refused.append((number, err))
            continue
        if repeated and number in repeated:
            refused.append((number, given_again(row.id, repeated[number])))
            continue
        judged.append((number, row.id))
        summary.add_clocks(row.state, row.tier, row.elapsed)
        state = row.state
        # 4 is BREACHED's index in ClockState, the code OrderClocks keeps.
        breached.extend((row.id, i) for i in wanted if state[i] == 4)
    return Part(summary, breached, refused, judged)


def given_again(order_id: str, first: int) -> InvalidInput:
    """The refusal of an order read again, naming the line of the first (0: no line)."""
    from fieldservice import sla

    where = f" (first on line {first})" if first else ""
    return InvalidInput(
        f"order {sla.shown_id(order_id)} is given again{where}; pass each order once"
    )


class SeenOrders:
    """The orders a report has counted, so that an order given twice is counted once.

    A dict of a million IDs and their lines would hold some 150 MB; this holds the
    64-bit hash of each ID and the line it was read from in an open-addressing
    table, 12 bytes a slot, 18 to 36 bytes an order, about a microsecond each. The
    hash is Python's own for text (SipHash, keyed afresh each run unless
    ``PYTHONHASHSEED`` fixes it), so no input can be made to collide; two IDs share
    one by chance with odds of about n² / 2⁶⁵ (3 in 100 million for a million orders).

    >>> seen = SeenOrders()
    >>> seen.first_line("WO-1", 3), seen.first_line("WO-2", 4), seen.first_line("WO-1", 9)
    (None, None, 3)
    """

    def __init__(self) -> None:
        self._digests = array("Q", [0]) * _FIRST_SLOTS
        self._lines = array("I", [0]) * _FIRST_SLOTS
        self._count = 0

    def first_line(self, order_id: str, number: int) -> int | None:
        """Record ``order_id`` as read on line ``number``; if it was read before, that line.

        A line past 2³² - 1 is kept as 0, which names no line.
        """
        key = hash(order_id) & _64_BITS or 1  # 0 marks an empty slot
        digests = self._digests
        mask = len(digests) - 1
        slot = key & mask
        while True:
            found = digests[slot]
            if found == 0:
                break
            if found == key:
                return self._lines[slot]
            slot = (slot + 1) & mask
        digests[slot] = key
        self._lines[slot] = number if number < 2**32 else 0
        self._count += 1
        if 3 * self._count > 2 * len(digests):  # linear probing stays short up to 2/3 full
            self._grow()
        return None

    def _grow(self) -> None:
        old_digests, old_lines = self._digests, self._lines
        size = 2 * len(old_digests)
        digests = array("Q", [0]) * size
        lines = array("I", [0]) * size
        mask = size - 1
        for key, number in zip(old_digests, old_lines, strict=True):
            if key:
                slot = key & mask
                while digests[slot]:
                    slot = (slot + 1) & mask
                digests[slot] = key
                lines[slot] = number
        self._digests, self._lines = digests, lines


_FIRST_SLOTS = 1 << 12
_64_BITS = (1 << 64) - 1


class Tally:
    """The report so far: chunks are added in file order, whichever process judged them."""

    def __init__(
        self,
        summary: Any,
        *,
        keep_all: bool,
        refuse: Callable[[int, FieldServiceError | None], None],
        judge: Any,
    ) -> None:
        self.summary = summary
        self._refuse = refuse
        self._judge = judge
        self._seen = SeenOrders()
        self.keep_all = keep_all
        self.breached: list[tuple[str, str]] = []
        self.breach_count = 0
        self.refused = 0

    def add(self, part: Part, chunk: Chunk) -> None:
        """Add one judged chunk; its refused lines go to ``refuse`` (line number, error).

        An order given again (in this chunk or an earlier one) is refused, and the
        chunk judged again here without it: rare, and the workers' summaries cannot
        take an order back out.
        """
        from fieldservice import sla

        repeated: dict[int, int] = {}
        for number, order_id in part.judged:
            first = self._seen.first_line(order_id, number)
            if first is not None:
                repeated[number] = first
        if repeated:
            part = judge_chunk(self._judge, part.summary.clocks, chunk, repeated)
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
) -> Iterator[tuple[Part, Chunk]]:
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
    return ((part, chunk) for chunk, part in judged)


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
