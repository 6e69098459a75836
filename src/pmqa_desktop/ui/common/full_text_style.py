"""The application's style with menu items wide enough for their whole text.

Qt's Fusion style draws a menu item's text in a box narrower than the width it asked the menu
for (it always takes the shortcut column off, and its margins differ), then cuts what does not
fit in the middle: long Thai items came out as "ยกข้อมูลไปปีงบ…มาณใหม่". Asking for the missing
width here keeps every item whole."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOptionMenuItem

#: the margins Fusion's drawing takes off beyond what its size asked for (pixels, at 96 dpi)
DRAW_MARGIN_SLACK = 12


class FullTextStyle(QProxyStyle):
    def sizeFromContents(self, kind, option, size, widget=None):  # noqa: N802
        result = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_MenuItem and isinstance(option, QStyleOptionMenuItem) \
                and option.text and option.menuItemType != QStyleOptionMenuItem.MenuItemType.Separator:
            extra = DRAW_MARGIN_SLACK * max(1.0, (widget.logicalDpiX() / 96.0) if widget is not None else 1.0)
            if "\t" not in option.text:   # the shortcut column is taken off every item when drawn
                extra += option.reservedShortcutWidth
            result.setWidth(result.width() + int(extra))
        return result


def install() -> None:
    """Use this style for the whole program (once; later calls do nothing)."""
    app = QApplication.instance()
    if app is None or isinstance(app.style(), FullTextStyle):
        return
    app.setStyle(FullTextStyle(app.style().name()))
