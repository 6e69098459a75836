"""The program's log file: ``pmqa-desktop.log`` in the data folder, kept to a few small files.

What is written: each start (version, system, command line), files opened, merges, imports,
prints, and every error with its details, so that IT support can read what happened on a
clerk's PC. Modules write through ``logging.getLogger(__name__)``; this module only says where
it goes. A log that cannot be written (a full or read-only disk) never stops the program.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from . import __version__

LOG_NAME = "pmqa-desktop.log"
MAX_BYTES = 1_000_000
KEEP = 3              # pmqa-desktop.log.1 .. .3 besides the current one

logger = logging.getLogger("pmqa_desktop")


def log_path() -> Path:
    from .paths import data_dir
    return data_dir() / LOG_NAME


class _Handler(logging.FileHandler):
    """The log file, kept to ``backupCount`` older files of ``maxBytes`` each as
    ``logging.handlers.RotatingFileHandler`` keeps it (that module, which brings socket and
    pickle, cost every start ~7 ms)."""

    def __init__(self, filename, maxBytes: int = 0, backupCount: int = 0, encoding=None,   # noqa: N803
                 delay: bool = False):
        super().__init__(filename, mode="a", encoding=encoding, delay=delay)
        self.maxBytes = maxBytes
        self.backupCount = backupCount

    def emit(self, record):
        try:
            if self.shouldRollover(record):
                self.doRollover()
            logging.FileHandler.emit(self, record)
        except Exception:
            self.handleError(record)

    def shouldRollover(self, record) -> bool:   # noqa: N802 - the name RotatingFileHandler gives it
        if self.stream is None:   # (delay: opened at the first record)
            self.stream = self._open()
        if self.maxBytes > 0:
            pos = self.stream.tell()
            if not pos:
                return False
            if pos + len("%s\n" % self.format(record)) >= self.maxBytes:
                # (a special file, /dev/null say, is never rolled over)
                return not (os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename))
        return False

    def doRollover(self) -> None:   # noqa: N802
        if self.stream:
            self.stream.close()
            self.stream = None
        if self.backupCount > 0:
            for i in range(self.backupCount - 1, 0, -1):
                sfn, dfn = f"{self.baseFilename}.{i}", f"{self.baseFilename}.{i + 1}"
                if os.path.exists(sfn):
                    if os.path.exists(dfn):
                        os.remove(dfn)
                    os.rename(sfn, dfn)
            dfn = self.baseFilename + ".1"
            if os.path.exists(dfn):
                os.remove(dfn)
            if os.path.exists(self.baseFilename):
                os.rename(self.baseFilename, dfn)
        if not self.delay:
            self.stream = self._open()

    def handleError(self, record):   # noqa: N802 - a log that cannot be written is not an error to show
        pass


def start_logging(argv: list[str] | None = None) -> Path | None:
    """Send the program's log to the data folder (once per folder) and note the start."""
    try:
        path = log_path()
    except OSError:
        return None
    for h in list(logger.handlers):
        if isinstance(h, _Handler):
            if Path(h.baseFilename) == path.resolve():
                return path
            logger.removeHandler(h)
            h.close()
    try:
        handler = _Handler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.info("start PMQA Desktop %s, Python %s on %s, command line: %s", __version__,
                sys.version.split()[0], _system(), " ".join(argv if argv is not None else sys.argv[1:]))
    return path


def _system() -> str:
    """The system and its release as ``platform.system()`` and ``platform.release()`` give them.
    Where ``os.uname`` exists they are its fields (what ``platform`` reads too), so the start
    does not import ``platform`` (~3 ms of regular expressions) for one log line."""
    if hasattr(os, "uname"):
        u = os.uname()
        return f"{u.sysname} {u.release}"
    import platform
    return f"{platform.system()} {platform.release()}"


def log_error(what: str, exc_info=None) -> None:
    """An unexpected error with its traceback (``exc_info`` as ``sys.exc_info()`` gives it)."""
    logger.error(what, exc_info=exc_info or True)
