"""Where the program keeps its files: the user's data folder, unless told otherwise."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "PMQA Desktop"
DEFAULT_DB_NAME = "pmqa.db"


def data_dir() -> Path:
    env = os.environ.get("PMQA_DATA_DIR")
    if env:
        base = Path(env)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / APP_DIR_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "pmqa-desktop"
    base.mkdir(parents=True, exist_ok=True)
    return base


def settings_dir() -> Path:
    env = os.environ.get("PMQA_SETTINGS_DIR")
    base = Path(env) if env else data_dir()
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def backups_dir() -> Path:
    d = data_dir() / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def cache_dir() -> Path:
    """Files the program can rebuild (compiled catalogs, which files passed their check)."""
    env = os.environ.get("PMQA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pmqa-desktop"


def keep_compiled_modules() -> None:
    """Keep the compiled modules in the cache folder where none may be written next to the
    sources (see ``cli._keep_compiled_modules``; ``python -m pmqa_desktop`` calls it before it
    imports ``cli``, so that cli.py too starts from its compiled form)."""
    if not sys.dont_write_bytecode or sys.pycache_prefix is not None:
        return
    try:
        sys.pycache_prefix = str(cache_dir() / "pycache")
        sys.dont_write_bytecode = False
    except Exception:   # a cache is an optimisation; never stop the program for it
        pass
