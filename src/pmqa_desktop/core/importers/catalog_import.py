"""The criteria catalog from the owners form (seed 002): หมวด P, 1-7, sub-headings, criteria."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...i18n import _, ngettext
from ..storage import planning
from ..storage.store import Store
from .document_year import years_named
from .text_tables import Line, Problem, as_lines

CATEGORY_RE = re.compile(r"^หมวด\s*([P1-7])\s+(.+)$")
CRITERION_RE = re.compile(r"^(LD|SP|CS|IT|HR|PM|RM)\s*(\d{1,2})\s+(.+)$", re.S)


@dataclass
class CriterionIn:
    code: str
    full_text: str
    group_title: str
    line: int
    owner: dict[str, str] = field(default_factory=dict)   # the owners form's columns, when the file has them


@dataclass
class CategoryIn:
    code: str
    name: str
    criteria: list[CriterionIn] = field(default_factory=list)


@dataclass
class CatalogPreview:
    categories: list[CategoryIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    year_be: int | None = None
    province: str | None = None
    named_years: list[int] = field(default_factory=list)   # named by the owners form's title

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def criteria(self) -> list[CriterionIn]:
        return [c for cat in self.categories for c in cat.criteria]


def parse_catalog(text: "str | list[Line]") -> CatalogPreview:
    prev = CatalogPreview()
    group = ""
    last: CriterionIn | None = None
    for ln in as_lines(text):
        filled = [c for _i, c in ln.filled]
        if not filled:
            continue
        cell = " ".join(filled)
        if cell in ("หมวด", "e-mail"):
            continue
        m = CATEGORY_RE.match(cell)
        if m:
            prev.categories.append(CategoryIn(m.group(1), m.group(2).strip()))
            group, last = "", None
            continue
        m = CRITERION_RE.match(cell)
        first_at, first = ln.filled[0]
        own = CRITERION_RE.match(first)
        if own and prev.categories and len(ln.filled) > 1:
            # the owners form: the criterion, then its owner's name, position, unit, phone, e-mail
            values = {f: (ln.cells[first_at + 1 + k] if first_at + 1 + k < len(ln.cells) else "")
                      for k, f in enumerate(planning.OWNER_FIELDS)}
            last = CriterionIn(own.group(1) + own.group(2), re.sub(r"\s+", " ", own.group(3)).strip(), group,
                               ln.number, {k: v for k, v in values.items() if v})
            prev.categories[-1].criteria.append(last)
            continue
        if m and prev.categories:
            last = CriterionIn(m.group(1) + m.group(2), re.sub(r"\s+", " ", m.group(3)).strip(), group, ln.number)
            prev.categories[-1].criteria.append(last)
            continue
        if not prev.categories:
            prev.named_years += years_named(cell)   # the title above the first หมวด
            prev.problems.append(Problem(ln.number, _("Text before the first หมวด: {t}").format(t=cell[:60]), "warning"))
            continue
        if last is not None and len(ln.cells) == 1:
            # a criterion's text that Word wrapped onto a row of its own
            last.full_text = (last.full_text + " " + cell).strip()
            continue
        group, last = cell, None
    if not any(c.criteria for c in prev.categories):
        prev.problems.append(Problem(0, _("No criteria catalog (หมวด headings with criteria such as LD1) was found.")))
    return prev


def apply_catalog(store: Store, preview: CatalogPreview, year_id: str | None = None) -> int:
    """Add the file's categories and criteria the catalog lacks, and the owners it names (for
    ``year_id``), in one transaction. Criteria already in the catalog keep their wording."""
    from ..errors import ImportProblem
    if preview.errors:
        raise ImportProblem(ngettext("The import was not applied: {n} row could not be read.",
                                    "The import was not applied: {n} rows could not be read.",
                                    len(preview.errors)).format(n=len(preview.errors)))
    n = 0
    with store.transaction():
        if catalog_is_empty(store):
            n += load_catalog(store, preview)
        else:
            cats = {c["code"]: c for c in planning.categories(store)}
            by_code = planning.criteria_by_code(store)
            for k, cat in enumerate(preview.categories):
                if cat.code not in cats:
                    cid = store.insert("category", {"code": cat.code, "name": cat.name,
                                                    "sort_key": store.next_sort_key("category", {})})
                    cats[cat.code] = store.get("category", cid)
                for cr in cat.criteria:
                    if cr.code not in by_code:
                        planning.add_criterion(store, cats[cat.code]["id"], cr.code, derive_short_name(cr.full_text),
                                               cr.full_text, cr.group_title)
                        n += 1
        if year_id:
            by_code = planning.criteria_by_code(store)
            for cr in preview.criteria:
                if cr.owner and cr.code in by_code:
                    planning.set_owner(store, year_id, by_code[cr.code]["id"], cr.owner)
                    n += 1
    return n


def load_catalog(store: Store, preview: CatalogPreview, short_names: dict[str, str] | None = None) -> int:
    """Fill an empty catalog; returns the number of criteria written."""
    short_names = short_names or {}
    n = 0
    with store.transaction():
        for k, cat in enumerate(preview.categories):
            cid = store.insert("category", {"code": cat.code, "name": cat.name, "sort_key": float(k)})
            rows = []
            for j, cr in enumerate(cat.criteria):
                rows.append({"category_id": cid, "code": cr.code, "full_text": cr.full_text,
                             "short_name": short_names.get(cr.code) or derive_short_name(cr.full_text),
                             "group_title": cr.group_title, "sort_key": float(j + 1), "retired": 0})
            store.insert_many("criterion", rows)
            n += len(rows)
    return n


def derive_short_name(full_text: str, limit: int = 40) -> str:
    """A short name cut at a word boundary, for criteria the weekly plan does not name."""
    from ..thai_text import words
    out = ""
    for w in words(full_text):
        if len(out) + len(w) > limit:
            break
        out += w
    return out.strip() or full_text[:limit]


def catalog_is_empty(store: Store) -> bool:
    return not planning.categories(store)
