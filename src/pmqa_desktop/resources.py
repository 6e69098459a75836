"""Where bundled files live: the repository's resources/ and i18n/ folders."""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _root() -> Path:
    # src layout, installed editable: <repo>/src/pmqa_desktop -> <repo>
    for cand in (_PKG.parents[1], _PKG / "_data"):
        if (cand / "resources").is_dir():
            return cand
    return _PKG.parents[1]


def resources_dir() -> Path:
    return _root() / "resources"


def i18n_dir() -> Path:
    return _root() / "i18n"


def seed_path(name: str) -> Path:
    return resources_dir() / "seeds" / name


SEED_CALENDAR_WEEKLY = "ratchaburi_2554_calendar_weekly.txt"
SEED_DEVPLAN = "rayong_2553_devplan_kpi72.txt"
SEED_CATALOG = "criteria_catalog_owners.txt"
