"""The helper process of ``layout_helper`` (started by it as ``python -c``): it imports the
layout code, loads the word list and the print font, then wraps the cells and compresses the
page streams the program sends it, and ends when the program closes its input."""
from __future__ import annotations

import marshal
import os
import sys
import threading
import zlib
from collections import deque
from pathlib import Path

from ..core.thai_text import line_breaks
from . import fonts
from .layout import Cell, FormDocument, Options
from .layout_helper import BATCH, _HEAD, font_key


def serve(font: str = "auto") -> None:
    """The helper's main loop: page streams to compress first, as they come; else the newest
    wrapping job's cells, from the last one back, in batches."""
    inp = sys.stdin.buffer
    # the messages get the output pipe to themselves: anything printed goes where errors go
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    try:
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):   # (no error output: pythonw.exe)
        pass
    cond = threading.Condition()
    latest: list = [None]    # the wrapping job received and not started yet
    zips: deque = deque()    # streams to compress
    closed = [False]

    def receive() -> None:
        try:
            while True:
                head = inp.read(4)
                if len(head) < 4:
                    break
                (n,) = _HEAD.unpack(head)
                msg = marshal.loads(inp.read(n))
                with cond:
                    if msg[0] == "zip":
                        zips.append(msg)
                    else:
                        latest[0] = msg
                    cond.notify()
        except Exception:
            pass
        with cond:
            closed[0] = True
            cond.notify()

    def send(msg) -> None:
        data = marshal.dumps(msg)
        out.write(_HEAD.pack(len(data)) + data)
        out.flush()

    def compress_waiting() -> None:
        while zips:
            _kind, n, level, group = zips.popleft()
            send(("zip", n, [zlib.compress(data, level) for data in group]))

    threading.Thread(target=receive, daemon=True).start()
    line_breaks("ทดสอบการตัดคำ")    # the word list, before the first job comes
    made: dict[tuple, fonts.ThaiFont] = {}
    try:
        f = fonts.get_font(font)
        made[font_key(f)] = f
    except Exception:   # the print reports a missing font itself
        pass
    docs: dict[tuple, FormDocument] = {}
    send(("ready",))
    try:
        while True:
            with cond:
                while latest[0] is None and not zips and not closed[0]:
                    cond.wait()
                if closed[0]:
                    break
                job = latest[0]
                latest[0] = None
            compress_waiting()
            if job is None or not job[4]:
                continue
            _kind, job, key, thai_digits, cells = job
            doc = docs.get((key, thai_digits))
            if doc is None:
                f = made.get(key)
                if f is None:
                    label, fkey, scale, regular, bold = key
                    f = made[key] = fonts.ThaiFont(label, {False: Path(regular), True: Path(bold)}, fkey,
                                                   force_scale=scale)
                doc = docs[(key, thai_digits)] = FormDocument(Options(font=f, thai_digits=thai_digits))
            i = len(cells) - 1
            while i >= 0 and latest[0] is None and not closed[0]:
                compress_waiting()
                j = max(-1, i - BATCH)
                results = []
                for k in range(i, j, -1):
                    text, bold, size, pad, min_lines, width, grid_size = cells[k]
                    cell = Cell(text, bold=bold, size=size, pad=pad, min_lines=min_lines)
                    results.append(doc._wrap_cell(cell, width, grid_size))
                send(("wrap", job, i, results))
                i = j
    except OSError:
        pass
    os._exit(0)   # at once: taking the word list and the fonts apart would only delay the exit
