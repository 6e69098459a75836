"""The settings dialog: the clerk's name and office (stored with every change) and the language."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

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
        lay.addWidget(self._printing_box())
        note = QLabel(_("Your name and office are stored with every change you make, so that merged files show "
                        "who changed what. A new language takes effect when the program starts again."), self)
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _printing_box(self) -> QWidget:
        """Settings > Printing: the page margins (binding side and the others) and the paper of the
        weekly plan. Official practice is 30 mm on the binding side and 20 mm elsewhere."""
        from ...printing.render import MARGIN_RANGE_MM, PrintSettings
        ps = PrintSettings.load()
        from PySide6.QtWidgets import QGroupBox
        box = QGroupBox(_("Printing"), self)
        box.setObjectName("settings_printing")
        form = QFormLayout(box)
        self.binding_mm = QSpinBox(box)
        self.binding_mm.setObjectName("settings_binding_mm")
        self.other_mm = QSpinBox(box)
        self.other_mm.setObjectName("settings_other_mm")
        for spin, value in ((self.binding_mm, ps.binding_mm), (self.other_mm, ps.other_mm)):
            spin.setRange(*MARGIN_RANGE_MM)
            spin.setSuffix(" mm")
            spin.setValue(int(round(value)))
        self.landscape_binding = QComboBox(box)
        self.landscape_binding.setObjectName("settings_landscape_binding")
        self.landscape_binding.addItem(_("Left edge"), "left")
        self.landscape_binding.addItem(_("Top edge"), "top")
        self.landscape_binding.setCurrentIndex(max(0, self.landscape_binding.findData(ps.landscape_binding)))
        self.weekly_paper = QComboBox(box)
        self.weekly_paper.setObjectName("settings_weekly_paper")
        self.weekly_paper.addItem(_("A4 (a few months a page)"), "A4")
        self.weekly_paper.addItem(_("A3 (all months on one page)"), "A3")
        self.weekly_paper.setCurrentIndex(max(0, self.weekly_paper.findData(ps.weekly_paper)))
        form.addRow(_("Margin on the binding side"), self.binding_mm)
        form.addRow(_("Other margins"), self.other_mm)
        form.addRow(_("Landscape forms are bound at the"), self.landscape_binding)
        form.addRow(_("Paper of the weekly plan"), self.weekly_paper)
        return box

    def apply(self) -> dict[str, str]:
        from ...printing.render import PrintSettings
        page = PrintSettings(binding_mm=self.binding_mm.value(), other_mm=self.other_mm.value(),
                             landscape_binding=self.landscape_binding.currentData(),
                             weekly_paper=self.weekly_paper.currentData())
        values = {"clerk_name": self.clerk.text().strip(), "office": self.office.text().strip(),
                  "language": self.language.currentData(), **page.page_values()}
        try:
            qt_settings.set_values(values)
        except OSError as exc:
            raise UserError(_("The settings could not be saved: {error}").format(error=exc.strerror)) from exc
        self.window.apply_identity()
        from ...i18n import language
        if values["language"] != language():
            self.window.settings.offer_restart(values["language"])
        return values
