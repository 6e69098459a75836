"""Printing a form to a PDF file: choosing the organisation/year/plan, building the form,
writing it through a temporary file (a cancelled or failed job leaves no broken file).

Used by the command line (``printing.cli``) and the GUI (``ui.printing.preview``)."""
from __future__ import annotations

import atexit
import gc
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import settings
from ..core.errors import UserError
from ..core.storage import planning
from ..core.storage.store import Store
from ..i18n import _
from . import forms, layout_helper
from .fonts import get_font
from .layout import BINDING_MM, OTHER_MM, Cancelled, FormDocument, Options

from .form_names import FORMS, PLAN_FORMS, form_labels  # noqa: F401  (re-exported)

_log = logging.getLogger(__name__)  # the log file (logfile.py)

SETTING_THAI_DIGITS = "print_thai_digits"
SETTING_FONT = "print_font"
SETTING_BINDING_MM = "print_margin_binding_mm"
SETTING_OTHER_MM = "print_margin_other_mm"
SETTING_LANDSCAPE_BINDING = "print_landscape_binding"
SETTING_WEEKLY_PAPER = "print_weekly_paper"
MARGIN_RANGE_MM = (10, 50)
BINDING_SIDES = ("left", "top")
WEEKLY_PAPERS = ("A4", "A3")
PAPERS = ("A4", "A3")
ORIENTATIONS = ("portrait", "landscape")
FORM_ORIENTATION = "landscape"      # every form is laid out across the page unless the clerk turns it


def _paper_key(form: str) -> str:
    # the weekly plan's paper is the one Settings > Printing chooses too (one value, two places)
    return SETTING_WEEKLY_PAPER if form == "weekly" else f"print_paper_{form}"


def _orientation_key(form: str) -> str:
    return f"print_orientation_{form}"


def _mm(text: str | None, default: float) -> float:
    """A margin from the settings file, kept within MARGIN_RANGE_MM (a hand-edited value cannot
    push the table off the page)."""
    try:
        v = float(text) if text not in (None, "") else default
    except ValueError:
        v = default
    lo, hi = MARGIN_RANGE_MM
    return min(hi, max(lo, v))


@dataclass
class PrintSettings:
    thai_digits: bool = False
    font: str = "auto"
    binding_mm: float = BINDING_MM
    other_mm: float = OTHER_MM
    landscape_binding: str = "left"
    weekly_paper: str = "A4"
    form: str = ""          # the form these settings print: its paper and orientation are remembered
    paper: str = ""         # "" = the form's own (A4; the weekly plan's from Settings > Printing)
    orientation: str = ""   # "" = the form's own (landscape)

    @classmethod
    def load(cls, form: str = "") -> "PrintSettings":
        """The saved settings; with ``form``, also the paper and orientation last chosen for it."""
        vals = settings.read_all()
        side = vals.get(SETTING_LANDSCAPE_BINDING, "left")
        paper = vals.get(SETTING_WEEKLY_PAPER, "A4")
        out = cls(thai_digits=vals.get(SETTING_THAI_DIGITS, "0") in ("1", "true", "yes"),
                  font=vals.get(SETTING_FONT, "auto") or "auto",
                  binding_mm=_mm(vals.get(SETTING_BINDING_MM), BINDING_MM),
                  other_mm=_mm(vals.get(SETTING_OTHER_MM), OTHER_MM),
                  landscape_binding=side if side in BINDING_SIDES else "left",
                  weekly_paper=paper if paper in WEEKLY_PAPERS else "A4", form=form)
        if form:
            paper = vals.get(_paper_key(form), "A4")
            turn = vals.get(_orientation_key(form), FORM_ORIENTATION)
            out.paper = paper if paper in PAPERS else "A4"      # a hand-edited value falls back
            out.orientation = turn if turn in ORIENTATIONS else FORM_ORIENTATION
        return out

    def save(self) -> None:
        """The print dialog's choices (digits, font, and the form's paper and orientation); the rest
        of the page set-up is saved by Settings."""
        values = {SETTING_THAI_DIGITS: "1" if self.thai_digits else "0", SETTING_FONT: self.font}
        if self.form and self.paper in PAPERS:
            values[_paper_key(self.form)] = self.paper
        if self.form and self.orientation in ORIENTATIONS:
            values[_orientation_key(self.form)] = self.orientation
        settings.set_values(values)

    def page_values(self) -> dict[str, str]:
        """The page set-up as settings-file values (Settings > Printing writes them)."""
        return {SETTING_BINDING_MM: f"{self.binding_mm:g}", SETTING_OTHER_MM: f"{self.other_mm:g}",
                SETTING_LANDSCAPE_BINDING: self.landscape_binding, SETTING_WEEKLY_PAPER: self.weekly_paper}

    def options(self) -> Options:
        return Options(font=get_font(self.font), thai_digits=self.thai_digits, binding_mm=self.binding_mm,
                       other_mm=self.other_mm, landscape_binding=self.landscape_binding,
                       weekly_paper=self.weekly_paper, paper=self.paper, orientation=self.orientation)


def prewarm(font: str = "auto") -> threading.Thread:
    """Load the word list and the print font in a background thread,
    while the caller opens and checks the file: SQLite's check runs without the GIL, so the
    two overlap. Harmless if the caller gets there first (it then simply waits for them).
    Also starts the helper process that wraps a large form's cells on the PC's other core
    (``layout_helper``)."""
    layout_helper.start(font)

    def work() -> None:
        try:
            from ..core.thai_text import line_breaks
            line_breaks("ทดสอบการตัดคำ")
            get_font(font)
        except Exception:  # a missing font or dictionary is reported by the print itself
            pass
    t = threading.Thread(target=work, name="print-prewarm", daemon=True)
    t.start()
    return t


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused():
    """Python's cycle collector off while a form is built and drawn: the job allocates
    hundreds of thousands of small objects (cells, lines, glyph runs) that are freed by
    reference counting anyway, and the collector, scanning them again and again, took about a
    tenth of the time. It is switched back on when the last job running ends."""
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                _set_aside_survivors()
                gc.enable()


def _set_aside_survivors() -> None:
    """Put what the jobs left alive (the print's caches: measured pieces, word cuts, shaped
    texts, tens of thousands of small objects after a large calendar) straight into the
    collector's oldest generation, unscanned, as collections would after two passes. Left in the
    youngest one, they were all scanned by the first collection after the form (~20 ms after
    the large calendar, ~6 ms after the weekly plan), to find nothing: a job leaves no garbage
    cycles (the form is freed by reference counting before this). The oldest generation is
    scanned at the collector's next full collection, as before. Only where nothing is frozen
    (the window sets its start-up objects aside with ``gc.freeze``; unfreezing would put them
    back)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _skip_final_collection() -> None:
    """At the program's exit, after a print: the interpreter's last collection scanned every
    object still alive (fonts, word list, the print's caches; ~30 ms of a large print's
    process) to find cycles it would only free as the process ends. Everything alive is set
    aside from it (``gc.freeze``); objects are still freed by reference counting as the modules
    are emptied, the log and the output streams are flushed and closed as before (by their own
    exit functions, not the collector), and the program's files are written and closed before
    (a PDF is complete when ``print_to_pdf`` returns)."""
    gc.freeze()


atexit.register(_skip_final_collection)


def orgs_with_year(store: Store, year_be: int) -> list[tuple[dict, dict]]:
    out = []
    for org in planning.organisations(store):
        y = planning.find_year(store, org["id"], year_be)
        if y:
            out.append((org, y))
    return out


def resolve(store: Store, form: str, year_be: int, org_name: str | None = None, plan_id: str | None = None,
            round_: int | None = None) -> forms.FormRequest:
    """The organisation and fiscal year to print, with clear messages when they cannot be found."""
    if form not in FORMS:
        raise UserError(_("Unknown form '{form}'; choose one of: {forms}.").format(form=form, forms=", ".join(FORMS)))
    if org_name:
        org = planning.find_organisation(store, org_name)
        if org is None:
            names = ", ".join(o["name"] for o in planning.organisations(store))
            raise UserError(_("No organisation named '{name}' in this file. Organisations: {names}.").format(
                name=org_name, names=names or "-"))
        year = planning.find_year(store, org["id"], year_be)
        if year is None:
            have = ", ".join(str(y["year_be"]) for y in planning.fiscal_years(store, org["id"]))
            raise UserError(_("{org} has no fiscal year {year}. Years in the file: {years}.").format(
                org=org["name"], year=year_be, years=have or "-"))
    else:
        found = orgs_with_year(store, year_be)
        if not found:
            raise UserError(_("No organisation in this file has fiscal year {year}.").format(year=year_be))
        if len(found) > 1:
            raise UserError(_("Several organisations have fiscal year {year}; choose one with --org: {names}.").format(
                year=year_be, names=", ".join(o["name"] for o, _y in found)))
        org, year = found[0]
    if form == "progress" and round_ is None:
        round_ = 12
    if plan_id and form in PLAN_FORMS:
        from .plan_forms import check_plan
        check_plan(store, year, plan_id)
    return forms.FormRequest(form, org, year, plan_id=plan_id, round=round_)


def build(store: Store, req: forms.FormRequest, opts: Options) -> FormDocument:
    if req.form == "owners":
        return forms.build_owners(store, req, opts)
    if req.form == "calendar":
        return forms.build_calendar(store, req, opts)
    if req.form == "weekly":
        return forms.build_weekly(store, req, opts)
    from . import plan_forms
    return {"devplan": plan_forms.build_devplan, "kpi72": plan_forms.build_kpi72,
            "progress": plan_forms.build_progress}[req.form](store, req, opts)


def print_to_pdf(store: Store, req: forms.FormRequest, out: str | os.PathLike, opts: Options,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None, missing: set[str] | None = None) -> int:
    """Write the form to ``out``; returns the page count. ``progress(done, total)`` is called
    per page; ``cancelled()`` returning True stops the job (``Cancelled``) and nothing is left.
    Characters the font cannot draw (left out of the page) are added to ``missing``."""
    out = Path(out)
    if out.is_dir():
        raise UserError(_("{path} is a folder; give a file name for the PDF.").format(path=out))
    if not out.parent.exists():
        raise UserError(_("The folder {path} does not exist.").format(path=out.parent))
    title = form_labels().get(req.form, req.form) + " - " + req.org["name"] + f" {req.year['year_be']}"
    _log.info("print %s to %s", title, out)
    with _gc_paused():
        return _build_and_render(store, req, opts, out, progress, cancelled, title, missing)


def missing_message(chars) -> str:
    """The sentence telling the clerk which characters the font could not print."""
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(chars))
    return _("The print font cannot draw these characters; they were left out of the page: {chars}").format(
        chars=shown)


def _build_and_render(store, req, opts, out, progress, cancelled, title, missing=None) -> int:
    # a function of its own so that the form is freed before the collector is back on
    doc = build(store, req, opts)
    try:
        n = doc.render(out, progress=progress, cancelled=cancelled, title=title)
        if missing is not None:
            missing.update(doc.missing)
        return n
    except PermissionError as exc:
        raise UserError(_("Cannot write {path}: it may be open in another program.").format(path=out),
                        str(exc)) from exc


__all__ = ["FORMS", "PLAN_FORMS", "PrintSettings", "resolve", "build", "print_to_pdf", "Cancelled"]
