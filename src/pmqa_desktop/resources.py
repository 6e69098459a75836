"""Where the program's own files live.

Fonts, seed documents, the icon and the word list are package data under ``pmqa_desktop/data/``,
so they travel with the package wherever it is installed (pip, a PyInstaller bundle, the Windows
installer). Translations are written as ``.po`` files in the repository's ``i18n/`` folder and
compiled into ``pmqa_desktop/data/locale/`` when the package is built (setup.py).
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent
_DATA: list[Path] = []


def data_dir() -> Path:
    """The package's data folder (a real folder: fonts are read by file name).

    It lies next to this module wherever the package is installed (pip, the bundles); only
    an unusual loader is asked through ``importlib.resources``, whose import costs the start
    ~20 ms (typing, tempfile, zipfile)."""
    if not _DATA:
        here = _PKG / "data"
        if here.is_dir():
            _DATA.append(here)
        else:
            from importlib.resources import files
            _DATA.append(Path(str(files(__package__) / "data")))
    return _DATA[0]


def resources_dir() -> Path:
    return data_dir()


def i18n_dir() -> Path:
    """The ``.po`` catalogs of a source checkout (absent in an installed package)."""
    return _PKG.parents[1] / "i18n"


def locale_dir() -> Path:
    """The compiled ``.mo`` catalogs of a built package."""
    return data_dir() / "locale"


def seed_path(name: str) -> Path:
    return data_dir() / "seeds" / name


def icon_path(suffix: str = "png") -> Path:
    return data_dir() / "icons" / f"pmqa-desktop.{suffix}"


SEED_CALENDAR_WEEKLY = "ratchaburi_2554_calendar_weekly.txt"
SEED_DEVPLAN = "rayong_2553_devplan_kpi72.txt"
SEED_CATALOG = "criteria_catalog_owners.txt"
