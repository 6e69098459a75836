"""A clerk's comforts, plugged into the main window (see ``ui/extensions.py``): saving shown in
the status bar, and the window's layout remembered."""
from __future__ import annotations

from typing import Any

from . import full_text_style, save_notice
from .layout_memory import remember_splitter


def install(window: Any) -> None:
    full_text_style.install()
    save_notice.install(window)
    remember_splitter(window.splitter, "main_split")    # the tree's width
