"""The clerk's settings (name, office, language, print options) in one INI file.

The Qt layer reads and writes the same file through QSettings (IniFormat); the command line
and the core read it here, without Qt.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import settings_dir

SETTINGS_FILE = "settings.ini"
SECTION = "General"


def settings_path() -> Path:
    return settings_dir() / SETTINGS_FILE


_NEEDS_QUOTES = (",", '"', "\\", ";", "=")


def qt_quote(value: str) -> str:
    """Write a value as QSettings' INI format does, so a comma is not read back as a list."""
    value = str(value)
    if value != value.strip() or value.startswith("@") or any(c in value for c in _NEEDS_QUOTES):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def qt_unquote(value: str) -> str:
    """Read a value as QSettings writes it: quoted runs, and backslash escapes anywhere."""
    if '"' not in value and "\\" not in value:
        return value
    escapes = {"n": "\n", "t": "\t", "r": "\r"}
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == '"':
            i += 1
            continue
        if c == "\\" and i + 1 < len(value):
            out.append(escapes.get(value[i + 1], value[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def read_all() -> dict[str, str]:
    import configparser   # here, not at the top: the GUI reads the file through QSettings
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    path = settings_path()
    if path.exists():
        try:
            cp.read(path, encoding="utf-8")
        except configparser.Error:
            return {}
    return {k: qt_unquote(v) for k, v in cp[SECTION].items()} if cp.has_section(SECTION) else {}


def get(key: str, default: str = "") -> str:
    return read_all().get(key, default)


def set_values(values: dict[str, str]) -> None:
    import configparser
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    path = settings_path()
    if path.exists():
        try:
            cp.read(path, encoding="utf-8")
        except configparser.Error:
            cp = configparser.ConfigParser(interpolation=None)
            cp.optionxform = str
    if not cp.has_section(SECTION):
        cp.add_section(SECTION)
    for k, v in values.items():
        cp[SECTION][k] = qt_quote(v)
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
