"""Layout that stays put: the widths a clerk gave the tree, the panes and each grid's columns,
and each grid's zoom, are remembered (in the program's settings) and come back next time.

Values are JSON under keys ``layout_<name>`` in the same settings file as the rest."""
from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QSplitter

from .. import qt_settings

SAVE_DELAY_MS = 400     # a drag writes once, when it stops


def _key(name: str) -> str:
    return f"layout_{name}"


def load(name: str, default: Any = None) -> Any:
    try:
        raw = qt_settings.get(_key(name), "")
        return json.loads(raw) if raw else default
    except (ValueError, OSError):
        return default


def save(name: str, value: Any) -> None:
    """Keep ``value`` under ``name`` now (a choice, not a drag)."""
    try:
        qt_settings.set_values({_key(name): json.dumps(value)})
    except OSError:
        pass   # a settings file that cannot be written: the layout is simply not kept


class _Saver(QObject):
    """Writes a value a little after its last change."""

    def __init__(self, parent: QObject, name: str, value):
        super().__init__(parent)
        self.name, self.value = name, value
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)

    def later(self) -> None:
        self.timer.start()

    def save(self) -> None:
        self.timer.stop()
        save(self.name, self.value())


def remember_splitter(splitter: QSplitter, name: str) -> None:
    """The sizes the clerk drags the splitter to come back (when they still fit its panes)."""
    sizes = load(name)
    if isinstance(sizes, list) and len(sizes) == splitter.count() and all(isinstance(s, int) and s >= 0
                                                                        for s in sizes) and any(sizes):
        splitter.setSizes(sizes)
    saver = _Saver(splitter, name, splitter.sizes)
    splitter.splitterMoved.connect(lambda *_a: saver.later())


def remember_columns(view: Any, name: str, key: Callable[[int], str | None] | None = None) -> dict[str, int]:
    """Column widths the clerk sets on ``view`` (a grid with ``column_width``) come back.

    Widths are kept under ``key(col)``: what the column is ("remark", "month-03"), not where it
    stands, so a month added or a span moved does not hand a width to another column; a column
    whose key is None is not remembered (the Gantt's months: the zoom sets them)."""
    key = key or str
    saved = {k: int(v) for k, v in (load(name, {}) or {}).items()
             if isinstance(k, str) and not k.isdigit()      # (widths kept by position before: not trusted)
             and isinstance(v, int) and 8 <= v <= 3000}
    base = view.column_width

    def column_width(col: int) -> int:
        k = key(col)
        return (saved.get(k) if k else None) or base(col)
    view.column_width = column_width
    frozen = getattr(view, "frozen", None)
    if frozen is not None:
        frozen.overlay.column_width = column_width
    saver = _Saver(view, name, lambda: dict(saved))

    def resized(col: int, _old: int, new: int) -> None:
        if getattr(view, "applying_zoom", False):   # the Gantt's zoom, not the clerk's width
            return
        k = key(col)
        if k and new > 0 and saved.get(k) != new:
            saved[k] = new
            saver.later()
    view.horizontalHeader().sectionResized.connect(resized)
    if view.model() is not None:
        view.apply_column_widths()
    view.layout_saver = saver
    return saved


def remember_zoom(view: Any, name: str) -> None:
    """The grid's zoom (Ctrl+wheel, Ctrl+0) comes back."""
    zoom = load(name)
    if isinstance(zoom, (int, float)) and zoom != 100:
        view.set_zoom(int(zoom))
    saver = _Saver(view, name, lambda: view.zoom)
    view.zoomChanged.connect(lambda *_a: saver.later())
    view.zoom_saver = saver


def remember_grid(view: Any, name: str, key: Callable[[int], str | None] | None = None) -> None:
    remember_columns(view, f"{name}_widths", key)   # (a new name: "_columns" held widths by position)
    remember_zoom(view, f"{name}_zoom")
