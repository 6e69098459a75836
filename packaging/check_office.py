"""Check Word/Excel files a built program wrote: each opens as a zip and holds the form's Thai heading.

    python packaging/check_office.py FILE.docx FILE.xlsx ...
"""
import sys
import zipfile

for name in sys.argv[1:]:
    with zipfile.ZipFile(name) as z:
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    if "ผู้รับผิดชอบ" not in text:
        sys.exit(f"{name}: the form's Thai text is missing")
