#!/usr/bin/env bash
# Refresh the translation catalogs from the source:
#   1. extract every _() / ngettext() msgid from src/ into i18n/pmqa_desktop.pot
#   2. create (first time) or update i18n/{th,en}/LC_MESSAGES/pmqa_desktop.po, keeping
#      existing translations and never guessing "fuzzy" ones from similar strings.
# The .mo files are not kept in the repository: pmqa_desktop.i18n compiles the .po in memory.
# Afterwards translate the new empty Thai entries and run tests/test_i18n.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PYBABEL:-}" ]; then :
elif [ -x /work/venv/bin/pybabel ]; then PYBABEL=/work/venv/bin/pybabel
elif [ -x .venv/bin/pybabel ]; then PYBABEL=.venv/bin/pybabel
else PYBABEL=pybabel; fi
DOMAIN=pmqa_desktop
POT=i18n/$DOMAIN.pot
# Entries whose msgid left the source are kept as "#~" (obsolete) so a translator can reuse
# them; run with I18N_KEEP_OBSOLETE=0 to drop them.
OBSOLETE=""; [ "${I18N_KEEP_OBSOLETE:-1}" = 0 ] && OBSOLETE=--ignore-obsolete

VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
"$PYBABEL" extract -F i18n/babel.cfg -k _ -k ngettext:1,2 \
    --project="PMQA Desktop" --version="${VERSION:-0}" --copyright-holder="PMQA Desktop contributors" \
    --msgid-bugs-address="" --sort-by-file --width=100 -o "$POT" src 2>/dev/null

for lang in th en; do
  po=i18n/$lang/LC_MESSAGES/$DOMAIN.po
  if [ -f "$po" ]; then
    "$PYBABEL" update -D "$DOMAIN" -i "$POT" -d i18n -l "$lang" \
        --no-fuzzy-matching $OBSOLETE --width=100 2>/dev/null
  else
    "$PYBABEL" init -D "$DOMAIN" -i "$POT" -d i18n -l "$lang" --width=100 2>/dev/null
  fi
done

# Report how much of the Thai catalog is still untranslated.
PYTHON=${PYTHON:-$(dirname "$PYBABEL")/python}
[ -x "$PYTHON" ] || PYTHON=python3
"$PYTHON" - <<'PY'
from babel.messages.pofile import read_po
for lang in ("th", "en"):
    with open(f"i18n/{lang}/LC_MESSAGES/pmqa_desktop.po", "rb") as fh:
        cat = read_po(fh, locale=lang)
    msgs = [m for m in cat if m.id]
    empty = [m for m in msgs if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    print(f"{lang}: {len(msgs)} msgids, {len(msgs) - len(empty)} translated, {len(empty)} empty")
PY
