"""The settings dialog: the clerk's name and office (stored with every change) and the language."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ...core.errors import UserError
from ...i18n import _
from .. import qt_settings
from ..common.forms import _CheckedDialog

if TYPE_CHECKING:
    from ..features import Window as MainWindow


class SettingsDialog(_CheckedDialog):
    def __init__(self, window: "MainWindow"):
        super().__init__(window, _("Settings"))
        vals = qt_settings.read_all()
        form = QFormLayout()
        self.clerk = QLineEdit(vals.get("clerk_name", ""), self)
        self.clerk.setObjectName("settings_clerk")
        self.office = QLineEdit(vals.get("office", ""), self)
        self.office.setObjectName("settings_office")
        self.office.setPlaceholderText(_("for example สำนักงานจังหวัดราชบุรี"))
        self.language = QComboBox(self)
        self.language.setObjectName("settings_language")
        self.language.addItem("ไทย", "th")
        self.language.addItem("English", "en")
        from ...i18n import language
        self.language.setCurrentIndex(max(0, self.language.findData(vals.get("language") or language())))
        form.addRow(_("Your name"), self.clerk)
        form.addRow(_("Office"), self.office)
        form.addRow(_("Language"), self.language)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        note = QLabel(_("Your name and office are stored with every change you make, so that merged files show "
                        "who changed what. A new language takes effect when the program starts again."), self)
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def apply(self) -> dict[str, str]:
        values = {"clerk_name": self.clerk.text().strip(), "office": self.office.text().strip(),
                  "language": self.language.currentData()}
        try:
            qt_settings.set_values(values)
        except OSError as exc:
            raise UserError(_("The settings could not be saved: {error}").format(error=exc.strerror)) from exc
        self.window.apply_identity()
        from ...i18n import language
        if values["language"] != language():
            self.window.settings.offer_restart(values["language"])
        return values
