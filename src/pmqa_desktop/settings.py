"""The clerk's settings (name, office, language, print options) in one INI file.

The Qt layer reads and writes the same file through QSettings (IniFormat); the command line
and the core read it here, without Qt.
"""
from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path

from .paths import settings_dir

SETTINGS_FILE = "settings.ini"
SECTION = "General"


def settings_path() -> Path:
    return settings_dir() / SETTINGS_FILE


def read_all() -> dict[str, str]:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    path = settings_path()
    if path.exists():
        try:
            cp.read(path, encoding="utf-8")
        except configparser.Error:
            return {}
    return dict(cp[SECTION]) if cp.has_section(SECTION) else {}


def get(key: str, default: str = "") -> str:
    return read_all().get(key, default)


def set_values(values: dict[str, str]) -> None:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    path = settings_path()
    if path.exists():
        cp.read(path, encoding="utf-8")
    if not cp.has_section(SECTION):
        cp.add_section(SECTION)
    for k, v in values.items():
        cp[SECTION][k] = str(v)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        cp.write(fh)
    tmp.replace(path)


@dataclass
class Identity:
    clerk: str
    office: str


def identity() -> Identity:
    vals = read_all()
    return Identity(clerk=vals.get("clerk_name", ""), office=vals.get("office", ""))
