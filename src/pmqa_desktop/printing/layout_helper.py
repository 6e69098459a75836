"""A helper process that does part of a large print's work on the PC's second core, which sat
idle while the print kept one core busy: it wraps the form's cells ahead of the layout, and
compresses the finished pages while the next ones are drawn.

* Wrapping. Laying out the large calendar (finding where its Thai texts may break between
  words, measuring the pieces, filling the lines) took ~0.3 s of its ~0.6 s. Wrapping a cell
  (``FormDocument._wrap_cell``) depends only on its text and look, its width, and the font and
  digits chosen. The print hands the helper every cell it will lay out, in order (``ask``); the
  helper wraps them from the last one back and sends its results in small batches, which the
  print takes in (``poll``) and files in the document's table of wrapped texts; the print wraps from
  the first one forward, taking from that table what has arrived, until the two meet.
* Compressing. The finished pages' content streams go to the helper (``compress``), which
  makes the same ``zlib.compress`` call ReportLab would make when the file is written; the
  result waits in the document's Flate filter (``layout._Flate``) for that moment.

Nothing waits for the helper: a cell or a page it has not done yet is done by the print itself,
with the same code, so the file is the same, byte for byte, whether the helper is fast, slow,
absent or dead; only the time differs. The helper runs at the lowest priority, so on a busy PC
it takes no time from the print (which then does everything itself, as before).

The helper is a fresh interpreter (``sys.executable``, as Windows would spawn one anyway) running
``layout_helper_process.serve``, started by the print's warm-up (``render.prewarm``) while the
program opens its file: it imports the layout code, loads the word list and the print font,
then waits. It ends when the program closes its input (``stop``, registered for the program's
exit). Not started in a frozen build (there ``sys.executable`` is the program itself), nor
where the PC has one core.

Messages are length-prefixed ``marshal`` data (plain tuples, lists, strings, bytes, numbers).
To the helper: ``("wrap", job, font, thai_digits, cells)`` (no cells: stop that job) and
``("zip", number, level, [data, ...])``. From it: ``("ready",)``, ``("wrap", job, index, results)``,
the results of cells ``index``, ``index - 1``, ... in turn, and ``("zip", number, [compressed, ...])``.
"""
from __future__ import annotations

import atexit
import marshal
import os
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path

BATCH = 48             # cells per message back (~5 ms of work: results arrive steadily, and rarely
#                        enough that, on Windows, the program's thread filing them seldom takes Python's lock)
_HEAD = struct.Struct("<I")

_lock = threading.Lock()
_proc: subprocess.Popen | None = None
_job = 0
_cells: list = []       # the current job's cells (results come back by index) ...
_table: dict = {}       # ... and the document's table their results go to
_sent = 0
_streams: dict[int, tuple[list[str], dict]] = {}   # groups of page streams sent to be compressed, by number
_pending: list[str] = []   # page streams of the group not sent yet
_ready = False          # the helper has loaded what it needs
_outbox: queue.SimpleQueue = queue.SimpleQueue()
PAGES_A_MESSAGE = 8
MAX_GROUPS_OUT = 3
# Where pipes can be read and written without waiting (not Windows' before Python 3.12), the print
# itself reads and writes them, at moments it chooses (``poll``): no thread of the program wakes
# for each message, and so none takes Python's lock from the print (on a busy PC each such switch
# could keep the print waiting for a few milliseconds). Elsewhere two threads do it.
_POLLED = sys.platform != "win32" and hasattr(os, "set_blocking")
_poll_lock = threading.Lock()
_rbuf = bytearray()            # (polled) bytes read from the helper, not a whole message yet
_wbuf: deque = deque()         # (polled) messages, or what is left of them, not written yet


def wanted() -> bool:
    """True where a helper can be started: a plain interpreter and more than one core."""
    return not getattr(sys, "frozen", False) and (os.cpu_count() or 1) > 1 and bool(sys.executable)


def start(font: str = "auto") -> bool:
    """Start the helper process unless it runs already (it loads ``font``, a
    ``fonts.get_font`` choice, while it waits). False when it cannot be started, or the PC is
    busy (``idle_core``)."""
    global _proc, _outbox, _ready
    with _lock:
        if _proc is not None and _proc.poll() is None:
            return True
        _ready = False
        if not wanted() or _busy():   # (a busy PC has no core for it; the next print's warm-up tries again)
            return False
        package_parent = str(Path(__file__).resolve().parents[2])
        # at the lowest priority: it takes only a core nothing else wants (on a busy PC it would
        # take time from the print itself, which does the helper's share anyway)
        code = ("import os, sys\nif hasattr(os, 'nice'): os.nice(19)\nsys.path.insert(0, %r)\n"
                "from pmqa_desktop.printing.layout_helper_process import serve; serve(%r)" % (package_parent, font))
        env = dict(os.environ)
        if sys.pycache_prefix:   # the compiled modules where this program keeps them (paths.py)
            env["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        flags = 0
        if sys.platform == "win32":
            flags = subprocess.CREATE_NO_WINDOW | subprocess.IDLE_PRIORITY_CLASS
        try:
            proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=env, creationflags=flags)
        except OSError:
            return False
        _proc = proc
        if _POLLED:
            _rbuf.clear()
            _wbuf.clear()
            for f in (proc.stdin, proc.stdout):
                os.set_blocking(f.fileno(), False)
                try:   # (Linux) room for a whole job in the pipe: the helper gets it at once
                    import fcntl
                    fcntl.fcntl(f.fileno(), 1031, 1 << 20)   # F_SETPIPE_SZ
                except (ImportError, OSError):
                    pass
            return True
        _outbox = queue.SimpleQueue()
    threading.Thread(target=_read, args=(proc,), name="print-layout-helper", daemon=True).start()
    threading.Thread(target=_write, args=(proc, _outbox), name="print-layout-helper-input", daemon=True).start()
    return True


def running() -> bool:
    return _proc is not None and _proc.poll() is None


# the PC counts as busy when its load average (where the system gives one) is above its cores less this
BUSY_MARGIN = 0.25


def idle_core() -> bool:
    """True when the helper can have a core to itself: it runs and the PC is not busy with other
    work (load average over the last minute below the number of cores, less ``BUSY_MARGIN``:
    about one core free). On a busy PC the print does everything itself, as without a helper: the
    helper would get little time at its low priority, and talking to it would only cost the print."""
    return running() and not _busy()


def _busy() -> bool:
    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1) - BUSY_MARGIN
    except (AttributeError, OSError):   # (Windows: no load average; the helper's priority decides)
        return False


def font_key(font) -> tuple:
    """What the helper needs to make the same ``fonts.ThaiFont``: label, key, scale, face files."""
    return (font.label, font.key, font.scale, str(font.faces[False].path), str(font.faces[True].path))


def ask(font, thai_digits: bool, cells: list[tuple], table: dict) -> bool:
    """Hand the helper the cells a print will wrap, in the order it will wrap them: each as
    ``(text, bold, size, pad, min_lines, width, grid size)``, the key of ``table`` (the document's
    wrapped texts) its result ``(lines, nominal size)`` is filed under. No cells: stop the
    current job. Returns False when no helper runs (nothing is sent)."""
    global _job, _cells, _table
    if not running():
        return False
    with _lock:
        _job += 1
        _cells, _table = cells, table
        try:
            data = marshal.dumps(("wrap", _job, font_key(font) if cells else None, thai_digits, cells))
        except ValueError:   # a value marshal cannot write (the print wraps everything itself)
            return False
        _send(data)
    return True


def compress(stream: str, level: int, into: dict) -> bool:
    """Have the helper compress a finished page's content stream (``zlib.compress(stream as UTF-8,
    level)``); the result is filed as ``into[stream]`` when it comes back. Pages go in groups of
    ``PAGES_A_MESSAGE`` (each message wakes a thread of the program: few of them, few switches).
    False, and nothing kept, when no helper runs, it is not ready yet, or it is behind
    (``MAX_GROUPS_OUT`` groups sent and not back: on a busy PC it gets little time, and the print
    compresses the pages itself when the file is written, as before)."""
    global _sent
    poll()
    if not _ready or len(_streams) >= MAX_GROUPS_OUT or not running():
        return False
    _pending.append(stream)
    if len(_pending) >= PAGES_A_MESSAGE:
        with _lock:
            _sent += 1
            group = _pending[:]
            _pending.clear()
            _streams[_sent] = (group, into)
            _send(marshal.dumps(("zip", _sent, level, [s.encode("utf8") for s in group])))
    return True


def forget_streams() -> None:
    """Streams not sent yet or not back yet are not wanted any more (their document is written:
    the print compressed them itself)."""
    _pending.clear()
    _streams.clear()


def _send(data: bytes) -> None:
    """Send a message. The print never waits on the pipe: what
    the helper has not read yet is written later (``poll``), or by the writing thread."""
    if not _POLLED:
        _outbox.put(data)
        return
    proc = _proc
    _wbuf.append(memoryview(_HEAD.pack(len(data)) + data))
    _flush(proc)


def _flush(proc) -> None:
    if proc is None:
        return
    try:
        fd = proc.stdin.fileno()
        while _wbuf:
            n = os.write(fd, _wbuf[0])
            if n < len(_wbuf[0]):
                _wbuf[0] = _wbuf[0][n:]
                return
            _wbuf.popleft()
    except BlockingIOError:
        return
    except (OSError, ValueError):   # the helper has ended
        _wbuf.clear()


def poll() -> None:
    """Write what waits for the helper and take in what it sent back (polled mode; elsewhere the
    threads do it). Cheap: the print calls it every few rows and after each page."""
    proc = _proc
    if not _POLLED or proc is None or not _poll_lock.acquire(blocking=False):
        return   # (another thread of the program is taking them in: it will file them)
    try:
        _take_in(proc)
    finally:
        _poll_lock.release()


def _take_in(proc) -> None:
    global _ready
    with _lock:   # (the writing side: ask and compress write under it too)
        _flush(proc)
    try:
        fd = proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                _ready = False
                break
            _rbuf.extend(chunk)
    except BlockingIOError:
        pass
    except (OSError, ValueError):
        _ready = False
    pos, end = 0, len(_rbuf)
    try:
        while end - pos >= 4:
            (n,) = _HEAD.unpack_from(_rbuf, pos)
            if end - pos - 4 < n:
                break
            msg = marshal.loads(_rbuf[pos + 4:pos + 4 + n])
            pos += 4 + n
            _take(msg)
    except (ValueError, EOFError, IndexError, TypeError, struct.error):
        _ready = False   # not the helper's messages: nothing more is taken from it
        stop(wait=0)
    del _rbuf[:pos]


def _take(msg) -> None:
    """File one of the helper's messages."""
    global _ready
    kind = msg[0]
    if kind == "zip":
        got = _streams.pop(msg[1], None)
        if got is not None:
            into = got[1]
            for stream, data in zip(got[0], msg[2]):
                into[stream] = data
    elif kind == "ready":
        _ready = True
    else:
        _kind, job, first, results = msg
        cells, table = _cells, _table
        if job == _job:   # (else a stopped job's results: not needed any more)
            for i, r in enumerate(results):
                table.setdefault(cells[first - i], r)


def _write(proc: subprocess.Popen, outbox: queue.SimpleQueue) -> None:
    """(Threaded mode) the writing thread."""
    pipe = proc.stdin
    try:
        while True:
            data = outbox.get()
            if data is None:
                break
            pipe.write(_HEAD.pack(len(data)))
            pipe.write(data)
            if outbox.empty():
                pipe.flush()
    except (OSError, ValueError):
        pass
    try:
        pipe.close()
    except OSError:
        pass


def _read(proc: subprocess.Popen) -> None:
    """(Threaded mode) the reading thread: files the helper's results in the document's tables."""
    global _ready
    out = proc.stdout
    try:
        while True:
            head = out.read(4)
            if len(head) < 4:
                return
            (n,) = _HEAD.unpack(head)
            _take(marshal.loads(out.read(n)))
    except (OSError, ValueError, EOFError, IndexError, TypeError):
        return
    finally:
        if _proc is proc:   # (a helper stopped earlier: its reader ends late, after a new one is ready)
            _ready = False


def stop(wait: float = 2.0) -> None:
    """Close the helper's input: it ends as soon as it reads that. Waits up to ``wait`` seconds
    for it (then ends it), unless ``wait`` is 0."""
    global _proc, _ready
    with _lock:
        proc, _proc = _proc, None
        _ready = False
        if not _POLLED:
            _outbox.put(None)
        else:
            _wbuf.clear()
            try:
                if proc is not None:
                    proc.stdin.close()
            except OSError:
                pass
    if proc is None or not wait:
        return
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _at_exit() -> None:
    """At the program's exit the helper is only told to end, not waited for: at its low priority,
    on a busy PC, it could take a second to get the time to do so."""
    stop(wait=0)


atexit.register(_at_exit)
