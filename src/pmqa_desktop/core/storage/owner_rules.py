"""What a criterion owner's contact details must look like (shared by the owner form, find and
replace, and the importers); no storage here, so anything in the core may use it."""
from __future__ import annotations

import re
from functools import lru_cache

from ...i18n import _
from ..errors import ValidationError

_PATTERNS = {
    "EMAIL_RE": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "PHONE_RE": r"^[0-9๐-๙][0-9๐-๙\s\-().,/]{3,}(?:\s*(?:ต่อ|ext\.?|x)\s*[0-9๐-๙]+)?$",
}


@lru_cache(maxsize=None)
def _pattern(name: str) -> re.Pattern:
    return re.compile(_PATTERNS[name])


def __getattr__(name: str) -> re.Pattern:
    """``EMAIL_RE`` and ``PHONE_RE``, compiled when first used (~0.9 ms that the program's
    start, which imports this module and checks no owner, need not spend)."""
    if name in _PATTERNS:
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

OWNER_FIELDS = ("name", "position", "unit", "phone", "email")


def validate_owner(values: dict[str, str]) -> None:
    email = (values.get("email") or "").strip()
    if email and not _pattern("EMAIL_RE").match(email):
        raise ValidationError(_("'{value}' is not an e-mail address (example: name@moi.go.th).").format(value=email))
    phone = (values.get("phone") or "").strip()
    if phone and not _pattern("PHONE_RE").match(phone):
        raise ValidationError(_("'{value}' is not a phone number (example: 0 3232 1234 ต่อ 12).").format(value=phone))
