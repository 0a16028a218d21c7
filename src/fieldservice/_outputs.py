"""Where the command line writes: standard output, or a file put in place whole.

``fieldservice ... -o NAME`` must never leave half a report where last week's was, write
through a link someone planted, or end in a traceback when the disk fills or the reader
of a pipe goes away. Every failure to write becomes :class:`OutputFailed`, whose
``reason`` is the one line the command prints.

>>> import io
>>> out = io.StringIO()
>>> with opened_output("-", out) as dest:
...     _ = dest.write("装机")
>>> out.getvalue()
'装机'
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

from fieldservice import _validate
from fieldservice.errors import InvalidInput

__all__ = [
    "UNWRITABLE_NAME",
    "BinaryOut",
    "FileOutput",
    "OutputFailed",
    "StandardOutput",
    "cannot_write",
    "check_outputs",
    "destination",
    "failure",
    "open_output",
    "opened_output",
    "output_file",
]


class BinaryOut:
    """Bytes written to a text output: the calendar is ASCII-safe UTF-8 text."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        # The calendar comes in chunks of bytes, and a chunk may end inside a character.
        self._decode = codecs.getincrementaldecoder("utf-8")().decode

    def write(self, data: bytes) -> int:
        self._out.write(self._decode(data))
        return len(data)


def cannot_write(name: str, err: OSError) -> str:
    reason = err.strerror or type(err).__name__
    return f"cannot write {_validate.echo(name)}: {reason}; give a writable file path"


UNWRITABLE_NAME = "cannot write that output: give a file name in plain UTF-8, or - for stdout"


def destination(name: str) -> tuple[Path, os.stat_result | None]:
    """Where ``-o NAME`` goes: the real path of a file, or NAME itself for a FIFO or a device.

    Returns the path and, for an existing file, its status; ``None`` for a new name.
    A folder, a name ending in a slash and a name that cannot be looked up are refused.
    """
    try:
        found = os.stat(name)  # through links: a link to a FIFO is a FIFO
    except FileNotFoundError:
        found = None
    except OSError as err:  # a loop of links, a file used as a folder, no access
        raise OutputFailed(cannot_write(name, err)) from None
    except ValueError:  # a NUL in the name, or one the file system cannot encode
        raise OutputFailed(UNWRITABLE_NAME) from None
    if not name:
        msg = "cannot write that output: the name is empty; give a file name, or - for stdout"
        raise OutputFailed(msg)
    folder = found is not None and stat.S_ISDIR(found.st_mode)
    if folder or name.endswith(("/", os.sep)):
        msg = (
            f"cannot write that output: {_validate.echo(name)} names a folder; "
            "give a file name, or - for stdout"
        )
        raise OutputFailed(msg)
    if found is not None and not stat.S_ISREG(found.st_mode):
        return Path(name), found  # a FIFO, a device, a socket: written where it is
    # A link (even one to a file not made yet) is followed: the link stays a link.
    return Path(os.path.realpath(name)), found


def check_outputs(
    outputs: Iterable[tuple[str, str | None]],
    inputs: Iterable[tuple[str, str | None]] = (),
    *,
    beside: bool = True,
) -> None:
    """Refuse a run whose output is one of its inputs, or one of its other outputs.

    ``outputs`` and ``inputs`` are pairs of an option and the name typed for it,
    ``("-o", "report.txt")`` or ``("the orders", "orders.jsonl")``. Two names are one
    file when they reach the same file, through links symbolic or hard (the same device
    and inode); an output not made yet is one with another that has its real path. Not
    given (``None``) and ``-`` (standard input or output) are no file; an output that is
    a FIFO or a device (``/dev/null``, ``/dev/stdout`` on a pipe) is written in place and
    replaces nothing, and a name that cannot be looked up is left to the reader or the
    writer to report. ``beside``: the outputs go through :func:`output_file`, which
    first removes ``NAME.partial`` beside the real path, so an input or an output of that
    name is refused too.

    Called before a command reads its orders (``plan`` reads its team first, whose
    members name the calendars): a refused run writes and truncates nothing.

    Raises:
        InvalidInput: An output is an input or another output. The message names the two
            as ``_validate.echo`` shows names (G1), and says what to do.

    >>> check_outputs([("-o", "-")], [("the orders", "-")])  # stdin to stdout: no file
    """
    seen: list[tuple[str, str, _Place, bool]] = []  # option, name, place, is an output
    for option, name in inputs:
        place = _place(name, output=False)
        if name is not None and place is not None:
            seen.append((option, name, place, False))
    for option, name in outputs:
        place = _place(name, output=True)
        if name is None or place is None:
            continue
        for other_option, other, other_place, other_is_output in seen:
            other_named = _named(other_option, other)
            if place.key == other_place.key:
                why = f"it is the same file as {other_named}"
            elif beside and other_place.real == place.real + ".partial":
                why = f"it is written first to its .partial file, which is {other_named}"
            elif beside and other_is_output and place.real == other_place.real + ".partial":
                why = f"it is the .partial file {other_named} is written first to"
            else:
                continue
            msg = f"cannot write {_named(option, name)}: {why}; write the report to another file"
            raise InvalidInput(msg)
        seen.append((option, name, place, True))


class _Place(NamedTuple):
    """Where a name leads: the file's device and inode (its real path if not made yet)."""

    key: tuple[object, ...]
    real: str


def _place(name: str | None, *, output: bool) -> _Place | None:
    """The file ``name`` reaches; ``None`` for no file, or one the command cannot harm."""
    if name is None or name == "-" or not name or name.endswith(("/", os.sep)):
        return None  # stdin or stdout; an empty name or a folder's, which the writer refuses
    try:
        found: os.stat_result | None = os.stat(name)  # through links, as the file is opened
    except FileNotFoundError:
        found = None
    except (OSError, ValueError):  # no access, a loop of links, a NUL: reported in its place
        return None
    try:
        real = os.path.realpath(name)
    except (OSError, ValueError):
        return None
    if found is None:
        # An input not there is the reader's to report; an output not made yet is its path.
        return _Place(("path", real), real) if output else None
    if output and not stat.S_ISREG(found.st_mode):
        return None  # a FIFO or a device, written in place, or a folder, which is refused
    return _Place(("file", found.st_dev, found.st_ino), real)


def _named(option: str, name: str) -> str:
    """``-o 'report.txt'``: the option, and the name as typed if it cannot be personal (G1)."""
    shown = _validate.echo(name)
    return f"{option} {shown}" if shown.startswith("'") else option


@contextlib.contextmanager
def output_file(name: str, *, text: bool) -> Iterator[Any]:
    """``-o NAME`` opened to write: the file appears, whole, only when the block ends well.

    A regular file is written beside its real path (``NAME.partial``) and renamed over
    it at the end, keeping its permissions; a refused or failed run leaves it as it
    was. A FIFO or a device cannot be replaced: it is written in place, as the output
    comes. Every failure to write, flush or rename is :class:`OutputFailed`.
    """
    path, found = destination(name)
    in_place = found is not None and not stat.S_ISREG(found.st_mode)
    if found is not None and not in_place and not os.access(path, os.W_OK):
        # A read-only file is refused, as writing it in place would be: not replaced.
        raise OutputFailed(cannot_write(name, PermissionError(13, os.strerror(13))))
    partial = path if in_place else path.with_name(path.name + ".partial")
    if not in_place:  # one a killed run left: made anew, never followed if it is a link
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    try:
        try:
            handle = open_output(partial, text=text, fresh=not in_place)
        except PermissionError:
            if in_place or found is None:
                raise
            # A folder we may not add to, a file we may write: written in place, as before.
            in_place, partial = True, path
            handle = open_output(partial, text=text, fresh=False)
    except OSError as err:
        raise OutputFailed(cannot_write(name, err)) from None
    except ValueError:  # a name the file system cannot encode
        raise OutputFailed(UNWRITABLE_NAME) from None
    placed = False
    try:
        try:
            yield FileOutput(handle, name)
        except BaseException:
            with contextlib.suppress(Exception):
                handle.close()
            raise
        try:
            handle.close()  # the last of the output is flushed here: a full disk shows now
            if not in_place:
                # The file replaced keeps who may read it; a new one gets the usual mode.
                mode = new_file_mode() if found is None else stat.S_IMODE(found.st_mode)
                with contextlib.suppress(OSError):
                    os.chmod(partial, mode)
                partial.replace(path)
        except OSError as err:
            raise write_failed(name, err) from None
        placed = True
    finally:
        if not placed and not in_place:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)


def open_output(path: Path, *, text: bool, fresh: bool) -> IO[Any]:
    """``path`` opened to write; ``fresh``: a new file only the owner reads until it is placed.

    ``O_EXCL`` and ``O_NOFOLLOW``: a partial file someone else put there, a link above
    all, is never written through.
    """
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | (os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) if fresh else os.O_TRUNC)
    )
    descriptor = os.open(path, flags, 0o600 if fresh else 0o666)
    if text:
        return os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")
    return os.fdopen(descriptor, "wb")


def new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class FileOutput:
    """An output file as the commands write it: a failed write is :class:`OutputFailed`."""

    def __init__(self, handle: IO[Any], name: str) -> None:
        self._handle = handle
        self._name = name

    def write(self, data: Any) -> int:
        try:
            return self._handle.write(data)
        except OSError as err:
            raise write_failed(self._name, err) from None
        except UnicodeEncodeError:  # text the input carried that UTF-8 cannot hold
            msg = f"cannot write {_validate.echo(self._name)}: the text is not valid Unicode"
            raise OutputFailed(msg) from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as err:
            raise write_failed(self._name, err) from None


def write_failed(name: str, err: OSError) -> OutputFailed:
    if isinstance(err, BrokenPipeError):  # a FIFO whose reader went away: stop quietly
        return OutputFailed("the reader closed the pipe", gone=True)
    return OutputFailed(cannot_write(name, err))


@contextlib.contextmanager
def opened_output(name: str, out: TextIO) -> Iterator[TextIO]:
    """``-o FILE`` as a text stream (see :func:`output_file`); ``-`` is standard output."""
    if name == "-":
        yield out
        return
    with output_file(name, text=True) as handle:
        yield handle


class OutputFailed(Exception):
    """Writing to standard output failed; ``reason`` says how, for one line on stderr."""

    def __init__(self, reason: str, *, gone: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.gone = gone  # the reader went away (a closed pipe): stop quietly


class StandardOutput:
    """Standard output as the commands write it: every failure becomes :class:`OutputFailed`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except Exception as err:  # any failure of the stream is a failure to write
            raise failure(err, self._stream) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except Exception as err:  # as in write()
            raise failure(err, self._stream) from None


def failure(err: BaseException, stream: TextIO) -> OutputFailed:
    if isinstance(err, BrokenPipeError):
        return OutputFailed("the reader closed the pipe", gone=True)
    if isinstance(err, UnicodeEncodeError):
        encoding = getattr(stream, "encoding", None) or "unknown"
        return OutputFailed(
            f"the output's encoding ({encoding}) cannot write the Chinese labels; "
            "set PYTHONIOENCODING=utf-8"
        )
    if isinstance(err, OSError):
        return OutputFailed(f"cannot write the output: {err.strerror or type(err).__name__}")
    return OutputFailed(f"cannot write the output ({type(err).__name__})")
