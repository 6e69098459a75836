"""Print menu: a preview of every form inside the program, printing, and saving the PDF.

The form is read from the open file in the GUI thread (fast), then laid out and written to a
temporary PDF in a worker thread with a cancellable progress dialog; a cancelled job leaves
no file. Pages are shown and printed through pypdfium2 (QtPdf is not part of
PySide6-Essentials): each page is rendered to a QImage.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QLabel, QMessageBox, QProgressDialog, QPushButton, QScrollArea,
                               QSpinBox, QVBoxLayout, QWidget)

from ...core.errors import UserError
from ...core.storage import devplan as dp
from ...i18n import _, ngettext
from ...printing.fonts import FONT_CHOICES
from ...printing.layout import Cancelled
from ...printing.render import MARGIN_RANGE_MM, PAPERS, PLAN_FORMS, PrintSettings, build, form_labels
from ...printing.forms import FormRequest
from ..common import file_places
from . import preview_view
from ..qt_util import translate_buttons


def _pdfium():
    import pypdfium2
    return pypdfium2


def page_image(pdf_path: str | Path, index: int, dpi: float) -> QImage:
    """One PDF page as a QImage at ``dpi``."""
    pdfium = _pdfium()
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[index]
        bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
        w, h, stride = bitmap.width, bitmap.height, bitmap.stride
        fmt = QImage.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format_RGBA8888
        img = QImage(bytes(bitmap.buffer), w, h, stride, fmt).copy()
        page.close()
        return img
    finally:
        doc.close()


def page_size(pdf_path: str | Path, index: int) -> tuple[float, float]:
    """A page's (width, height) in points."""
    doc = _pdfium().PdfDocument(str(pdf_path))
    try:
        page = doc[index]
        size = page.get_size()
        page.close()
        return float(size[0]), float(size[1])
    finally:
        doc.close()


def page_count(pdf_path: str | Path) -> int:
    doc = _pdfium().PdfDocument(str(pdf_path))
    try:
        return len(doc)
    finally:
        doc.close()


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(int, str)     # pages, error message ('' when fine; 'cancelled')

    def __init__(self, doc, out: Path, title: str):
        super().__init__()
        self.doc = doc
        self.out = out
        self.title = title
        self.cancel_flag = threading.Event()

    def run(self) -> None:
        try:
            n = self.doc.render(self.out, progress=lambda i, t: self.progress.emit(i, t),
                                cancelled=self.cancel_flag.is_set, title=self.title)
            self.finished.emit(n, "")
        except Cancelled:
            self.finished.emit(0, "cancelled")
        except UserError as exc:
            self.finished.emit(0, str(exc))
        except Exception as exc:  # a bug: shown, never a crash of the window
            import traceback
            traceback.print_exc()
            self.finished.emit(0, _("Printing failed: {error}").format(error=exc))


class PreviewDialog(QDialog):
    """Choose plan/round/digits/font, see the pages, print them or save the PDF."""

    def __init__(self, window, form: str, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.form = form
        self.setObjectName(f"print_preview_{form}")
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setWindowTitle(_("Print preview: {form}").format(form=form_labels()[form]))
        self.resize(1000, 760)
        self._tmpdir = tempfile.TemporaryDirectory(prefix="pmqa-print-")
        self.pdf_path: Path | None = None
        self.pages = 0
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.last_error = ""
        self._progress: QProgressDialog | None = None
        self.settings = PrintSettings.load(form)
        self.missing: set[str] = set()

        lay = QVBoxLayout(self)
        opts = QHBoxLayout()
        self.plan_box = QComboBox()
        self.plan_box.setObjectName("print_plan")
        self.round_box = QComboBox()
        self.round_box.setObjectName("print_round")
        for r in (6, 9, 12):
            self.round_box.addItem(ngettext("{n} month", "{n} months", r).format(n=r), r)
        self.round_box.setCurrentIndex(2)
        self.digits_box = QCheckBox(_("Thai digits"))
        self.digits_box.setObjectName("print_thai_digits")
        self.digits_box.setChecked(self.settings.thai_digits)
        self.font_box = QComboBox()
        self.font_box.setObjectName("print_font")
        for key, label in zip(FONT_CHOICES, (_("Automatic"), _("TH Sarabun New"), _("Laksaman (bundled)"))):
            self.font_box.addItem(label, key)
        self.font_box.setCurrentIndex(max(0, FONT_CHOICES.index(self.settings.font)
                                          if self.settings.font in FONT_CHOICES else 0))
        if form in PLAN_FORMS:
            opts.addWidget(QLabel(_("Plan:")))
            opts.addWidget(self.plan_box, 1)
            self._fill_plans()
        if form == "progress":
            opts.addWidget(QLabel(_("Round:")))
            opts.addWidget(self.round_box)
        opts.addWidget(self.digits_box)
        opts.addWidget(QLabel(_("Font:")))
        opts.addWidget(self.font_box)
        # the margins of this print, from Settings > Printing (which keeps the usual ones)
        self.binding_spin = QSpinBox()
        self.binding_spin.setObjectName("print_binding_mm")
        self.other_spin = QSpinBox()
        self.other_spin.setObjectName("print_other_mm")
        for spin, value in ((self.binding_spin, self.settings.binding_mm), (self.other_spin, self.settings.other_mm)):
            spin.setRange(*MARGIN_RANGE_MM)
            spin.setSuffix(" mm")
            spin.setValue(int(round(value)))
            spin.setToolTip(_("For this print; Tools > Settings > Printing keeps the usual margins."))
        # the page set-up of this print, as Word's print preview has it: paper, orientation, margins
        page_row = QHBoxLayout()
        self.paper_box = QComboBox()
        self.paper_box.setObjectName("print_paper")
        for paper in PAPERS:
            self.paper_box.addItem(paper, paper)
        self.paper_box.setCurrentIndex(max(0, self.paper_box.findData(self.settings.paper)))
        self.orientation_box = QComboBox()
        self.orientation_box.setObjectName("print_orientation")
        self.orientation_box.addItem(_("Portrait"), "portrait")
        self.orientation_box.addItem(_("Landscape"), "landscape")
        self.orientation_box.setCurrentIndex(max(0, self.orientation_box.findData(self.settings.orientation)))
        for label, box in ((_("Paper:"), self.paper_box), (_("Orientation:"), self.orientation_box)):
            box.setToolTip(_("Kept for this form the next time it is printed."))
            page_row.addWidget(QLabel(label))
            page_row.addWidget(box)
        page_row.addWidget(QLabel(_("Margin on the binding side")))
        page_row.addWidget(self.binding_spin)
        page_row.addWidget(QLabel(_("Other margins")))
        page_row.addWidget(self.other_spin)
        page_row.addStretch(1)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setObjectName("print_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.hide()     # options apply at once (see _option_changed)
        opts.addWidget(self.refresh_button)
        self._again = QTimer(self)
        self._again.setSingleShot(True)
        self._again.setInterval(250)   # a burst of changes builds the pages once
        self._again.timeout.connect(self.refresh)
        self._pending = False
        self.digits_box.toggled.connect(self._option_changed)
        self.font_box.currentIndexChanged.connect(self._option_changed)
        self.plan_box.currentIndexChanged.connect(self._option_changed)
        self.round_box.currentIndexChanged.connect(self._option_changed)
        self.binding_spin.valueChanged.connect(self._option_changed)
        self.other_spin.valueChanged.connect(self._option_changed)
        self.paper_box.currentIndexChanged.connect(self._option_changed)
        self.orientation_box.currentIndexChanged.connect(self._option_changed)
        if form not in PLAN_FORMS:
            opts.addStretch(1)
        lay.addLayout(opts)
        lay.addLayout(page_row)

        nav = QHBoxLayout()
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("print_page")
        self.page_spin.setMinimum(1)
        self.page_spin.valueChanged.connect(self._show_page)
        self.page_label = QLabel("")
        nav.addWidget(QLabel(_("Page:")))
        nav.addWidget(self.page_spin)
        nav.addWidget(self.page_label)
        nav.addStretch(1)
        self.zoom = preview_view.ZoomBox(self)
        self.zoom.changed.connect(lambda: self._show_page(self.page_spin.value()))
        nav.addWidget(QLabel(_("Zoom:")))
        nav.addWidget(self.zoom)
        lay.addLayout(nav)
        self.missing_label = QLabel("")   # characters the font cannot draw, said here, not boxed on the page
        self.missing_label.setObjectName("print_missing")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color: #a00000")
        self.missing_label.hide()
        lay.addWidget(self.missing_label)

        self.view = QLabel()
        self.view.setObjectName("print_page_view")
        self.view.setAlignment(Qt.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        self.scroll = scroll
        preview_view.zoom_with_wheel(scroll, self.zoom)
        self.thumbs = preview_view.Thumbnails(self)
        self.thumbs.pageChosen.connect(self.page_spin.setValue)
        middle = QHBoxLayout()
        middle.addWidget(self.thumbs)
        middle.addWidget(scroll, 1)
        lay.addLayout(middle, 1)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ActionRole)
        self.print_button.setObjectName("print_print")
        self.save_button = buttons.addButton(_("Save PDF…"), QDialogButtonBox.ActionRole)
        self.save_button.setObjectName("print_save")
        close = buttons.addButton(QDialogButtonBox.Close)
        close.clicked.connect(self.reject)
        translate_buttons(buttons)
        self.print_button.clicked.connect(lambda: self.print_pages())
        self.save_button.clicked.connect(lambda: self.save_as())
        # the same form as an editable Excel or Word file (office_export), chosen beside the Save button
        self.format_box = QComboBox()
        self.format_box.setObjectName("print_format")
        for ext, label in ((".pdf", _("PDF")), (".xlsx", _("Excel (.xlsx)")), (".docx", _("Word (.docx)"))):
            self.format_box.addItem(label, ext)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel(_("Save as:")))
        out_row.addWidget(self.format_box)
        out_row.addWidget(buttons, 1)
        lay.addLayout(out_row)
        self._set_ready(False)

    # ------------------------------------------------------------ data
    def _fill_plans(self) -> None:
        self.plan_box.clear()
        self.plan_box.addItem(_("All plans of the year"), None)
        year_id = self.window.current_year_id()
        if year_id and self.window.store is not None:
            for p in dp.plans(self.window.store, year_id):
                self.plan_box.addItem(p["title"] or p["policy"] or p["id"], p["id"])

    def request(self) -> FormRequest:
        store = self.window.store
        year_id = self.window.current_year_id()
        if store is None or not year_id:
            raise UserError(_("Choose a fiscal year in the tree first."))
        year = store.get("fiscal_year", year_id)
        org = store.get("organisation", year["org_id"])
        plan_id = self.plan_box.currentData() if self.form in PLAN_FORMS else None
        rnd = self.round_box.currentData() if self.form == "progress" else None
        return FormRequest(self.form, org, year, plan_id=plan_id, round=rnd)

    def _current_settings(self) -> PrintSettings:
        ps = PrintSettings.load(self.form)   # the rest of the page set-up comes from Settings > Printing
        ps.paper, ps.orientation = self.paper_box.currentData(), self.orientation_box.currentData()
        ps.thai_digits, ps.font = self.digits_box.isChecked(), self.font_box.currentData() or "auto"
        ps.binding_mm, ps.other_mm = float(self.binding_spin.value()), float(self.other_spin.value())
        return ps

    # ------------------------------------------------------------ rendering
    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.page_spin.setEnabled(ready)

    def refresh(self, wait: bool = False) -> None:
        """Build the form and write it to a temporary PDF in a worker thread."""
        self._again.stop()
        if self._thread is not None:
            return
        self.settings = self._current_settings()
        try:
            self.settings.save()
            req = self.request()
            doc = build(self.window.store, req, self.settings.options())
        except UserError as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, _("Print"), str(exc))
            return
        self._set_ready(False)
        out = Path(self._tmpdir.name) / f"{self.form}.pdf"
        # the old preview goes: what is shown is always the job that finished last
        self.pdf_path = None
        self.pages = 0
        self.view.clear()
        try:
            out.unlink()
        except FileNotFoundError:
            pass
        title = form_labels()[self.form] + " - " + req.org["name"] + f" {req.year['year_be']}"
        self._progress = QProgressDialog(_("Preparing the pages…"), _("Cancel"), 0, 0, self)
        self._progress.setObjectName("print_progress")
        self._progress.setWindowModality(Qt.WindowModal)
        self._progress.setMinimumDuration(400)
        self._worker = _Worker(doc, out, title)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._progress.canceled.connect(self._worker.cancel_flag.set)
        self._thread.start()
        if wait:
            self.wait_done()

    def _option_changed(self, *_args) -> None:
        """An option changed: the pages are built again (once a running build has finished)."""
        if self._thread is not None:
            self._pending = True
        else:
            self._again.start()

    def cancel(self) -> None:
        self._pending = False
        self._again.stop()
        if self._worker is not None:
            self._worker.cancel_flag.set()

    def wait_done(self, timeout_ms: int = 60000) -> None:
        from PySide6.QtCore import QCoreApplication, QElapsedTimer
        t = QElapsedTimer()
        t.start()
        while self._thread is not None and t.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThread.msleep(5)

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setMaximum(total)
            self._progress.setValue(done)

    def _on_finished(self, pages: int, error: str) -> None:
        thread, self._thread = self._thread, None
        worker, self._worker = self._worker, None
        if thread is not None:
            thread.quit()
            thread.wait()
        if worker is not None:
            worker.deleteLater()
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.last_error = error
        if error:
            if error != "cancelled":
                QMessageBox.warning(self, _("Print"), error)
            self.pdf_path = None
            self.pages = 0
            self.view.clear()
            self.page_label.setText(_("Cancelled.") if error == "cancelled" else "")
            return
        self.pdf_path = Path(self._tmpdir.name) / f"{self.form}.pdf"
        self.pages = pages
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, pages))
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self._set_ready(True)
        self.thumbs.fill(self.pdf_path, pages, page_image)
        self._show_page(1)
        self.missing = set(worker.doc.missing) if worker is not None else set()
        from ...printing.render import missing_message
        self.missing_label.setText(missing_message(self.missing) if self.missing else "")
        self.missing_label.setVisible(bool(self.missing))
        if self._pending:
            self._pending = False
            self._again.start()

    def _show_page(self, number: int) -> None:
        if not self.pdf_path or not self.pages:
            return
        dpi = self.zoom.dpi(page_size(self.pdf_path, number - 1), self.scroll.viewport().size())
        img = page_image(self.pdf_path, number - 1, dpi)
        self.view.setPixmap(QPixmap.fromImage(img))
        self.page_label.setText(_("of {n}").format(n=self.pages))
        self.thumbs.set_current(number)

    # ------------------------------------------------------------ output
    def _format_changed(self) -> None:
        ext = self.format_box.currentData()
        self.save_button.setText(_("Save PDF…") if ext == ".pdf" else _("Save {kind}…").format(
            kind=self.format_box.currentText()))

    def save_as(self, path: str | None = None) -> Path | None:
        """Save in the chosen format; a name typed with .xlsx, .docx or .pdf decides the format."""
        ext = self.format_box.currentData()
        asked = path is None
        if path is None and ext != ".pdf":
            filters = {".xlsx": _("Excel workbooks (*.xlsx)"), ".docx": _("Word documents (*.docx)")}
            path, _filter = QFileDialog.getSaveFileName(self, _("Save"), str(self.suggested_file_path(ext)),
                                                        filters[ext])
            if not path:
                return None
        if path is not None:
            typed = Path(path).suffix.lower()
            ext = typed if typed in (".pdf", ".xlsx", ".docx") else ext
            if not typed:
                path += ext
        if ext == ".pdf":
            return self.save_pdf(path)
        from ...printing.office_export import export_form
        try:
            export_form(self.window.store, self.request(), self._current_settings().options(), path)
        except UserError as exc:
            QMessageBox.warning(self, _("Save"), str(exc))
            return None
        self.window.show_message(_("Saved {path}").format(path=path))
        if asked:   # where it went, and a way there
            self.saved_box = file_places.saved_notice(self, Path(path))
        return Path(path)

    def save_pdf(self, path: str | None = None) -> Path | None:
        if not self.pdf_path:
            return None
        asked = path is None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save PDF"), str(self.suggested_file_path()),
                                                        _("PDF files (*.pdf)"))
            if not path:
                return None
        dest = Path(path)
        tmp = dest.with_name(dest.name + ".part")
        try:
            shutil.copyfile(self.pdf_path, tmp)
            os.replace(tmp, dest)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            QMessageBox.warning(self, _("Save PDF"), _("Cannot write {path}: {error}").format(path=dest, error=exc))
            return None
        self.window.show_message(_("Saved {path}").format(path=dest))
        if asked:   # where it went, and a way there
            self.saved_box = file_places.saved_notice(self, dest)
        return dest

    def suggested_file_path(self, ext: str = "pdf") -> Path:
        """``ปฏิทินการดำเนินงาน_จังหวัดราชบุรี_2554.pdf`` (or .xlsx, .docx) in Documents."""
        try:
            req = self.request()
            parts = (form_labels()[self.form], req.org["name"], req.year["year_be"])
        except UserError:
            parts = (form_labels()[self.form],)
        return file_places.suggested_path(*parts, ext=ext)

    def print_pages(self, printer=None) -> bool:
        """Send the pages to a printer (the print dialog unless a QPrinter is given)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        if not self.pdf_path:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.HighResolution)
            dlg = QPrintDialog(printer, self)
            if dlg.exec() != QDialog.Accepted:
                return False
        dpi = min(300, max(72, printer.resolution()))
        progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, self.pages, self)
        progress.setWindowModality(Qt.WindowModal)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Print"), _("The printer could not be started."))
            return False
        try:
            for i in range(self.pages):
                if progress.wasCanceled():
                    printer.abort() if hasattr(printer, "abort") else None
                    return False
                if i:
                    printer.newPage()
                img = page_image(self.pdf_path, i, dpi)
                target = painter.viewport()
                size = img.size().scaled(target.size(), Qt.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(img.rect())
                painter.drawImage(0, 0, img)
                painter.setViewport(target)
                progress.setValue(i + 1)
        finally:
            painter.end()
            progress.deleteLater()
        return True

    def done(self, result: int) -> None:
        self.cancel()
        self.wait_done(10000)
        super().done(result)
        self._tmpdir.cleanup()


def open_preview(window, form: str, show: bool = True) -> PreviewDialog | None:
    if window.store is None or not window.current_year_id():
        window.show_message(_("Choose a fiscal year in the tree first."), error=True)
        return None
    dlg = PreviewDialog(window, form)
    if show:
        dlg.show()
        dlg.refresh()
    return dlg
