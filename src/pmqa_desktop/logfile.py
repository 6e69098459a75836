"""The program's log file: ``pmqa-desktop.log`` in the data folder, kept to a few small files.

What is written: each start (version, system, command line), files opened, merges, imports,
prints, and every error with its details, so that IT support can read what happened on a
clerk's PC. Modules write through ``logging.getLogger(__name__)``; this module only says where
it goes. A log that cannot be written (a full or read-only disk) never stops the program.
"""
from __future__ import annotations

import logging
import logging.handlers
import platform
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


class _Handler(logging.handlers.RotatingFileHandler):
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
                platform.python_version(), f"{platform.system()} {platform.release()}", " ".join(argv if argv is not None else sys.argv[1:]))
    return path


def log_error(what: str, exc_info=None) -> None:
    """An unexpected error with its traceback (``exc_info`` as ``sys.exc_info()`` gives it)."""
    logger.error(what, exc_info=exc_info or True)
