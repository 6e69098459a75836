"""What a criterion owner's contact details must look like (shared by the owner form, find and
replace, and the importers); no storage here, so anything in the core may use it."""
from __future__ import annotations

import re

from ...i18n import _
from ..errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9๐-๙][0-9๐-๙\s\-().,/]{3,}(?:\s*(?:ต่อ|ext\.?|x)\s*[0-9๐-๙]+)?$")

OWNER_FIELDS = ("name", "position", "unit", "phone", "email")


def validate_owner(values: dict[str, str]) -> None:
    email = (values.get("email") or "").strip()
    if email and not EMAIL_RE.match(email):
        raise ValidationError(_("'{value}' is not an e-mail address (example: name@moi.go.th).").format(value=email))
    phone = (values.get("phone") or "").strip()
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(_("'{value}' is not a phone number (example: 0 3232 1234 ต่อ 12).").format(value=phone))
