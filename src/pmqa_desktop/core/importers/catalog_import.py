"""The criteria catalog from the owners form (seed 002): หมวด P, 1-7, sub-headings, criteria."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...i18n import _
from ..storage import planning
from ..storage.store import Store
from .text_tables import Line, Problem, as_lines

CATEGORY_RE = re.compile(r"^หมวด\s*([P1-7])\s+(.+)$")
CRITERION_RE = re.compile(r"^(LD|SP|CS|IT|HR|PM|RM)\s*(\d{1,2})\s+(.+)$", re.S)


@dataclass
class CriterionIn:
    code: str
    full_text: str
    group_title: str
    line: int


@dataclass
class CategoryIn:
    code: str
    name: str
    criteria: list[CriterionIn] = field(default_factory=list)


@dataclass
class CatalogPreview:
    categories: list[CategoryIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
        if m and prev.categories:
            last = CriterionIn(m.group(1) + m.group(2), re.sub(r"\s+", " ", m.group(3)).strip(), group, ln.number)
            prev.categories[-1].criteria.append(last)
            continue
        if not prev.categories:
            prev.problems.append(Problem(ln.number, _("Text before the first หมวด: {t}").format(t=cell[:60]), "warning"))
            continue
        if last is not None and len(ln.cells) == 1:
            # a criterion's text that Word wrapped onto a row of its own
            last.full_text = (last.full_text + " " + cell).strip()
            continue
        group, last = cell, None
    return prev


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
