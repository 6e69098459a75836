"""The GUI's settings through QSettings, on the same INI file the command line reads
(``pmqa_desktop.settings``; values are written in QSettings' own quoting there too)."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from ..settings import settings_path


def _qsettings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def read_all() -> dict[str, str]:
    qs = _qsettings()
    out = {}
    for key in qs.allKeys():
        value = qs.value(key)
        out[key] = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    return out


def get(key: str, default: str = "") -> str:
    return read_all().get(key, default)


def set_values(values: dict[str, str]) -> None:
    qs = _qsettings()
    for key, value in values.items():
        qs.setValue(key, str(value))
    qs.sync()
    if qs.status() != QSettings.Status.NoError:
        raise OSError(0, "QSettings could not write " + str(settings_path()))
