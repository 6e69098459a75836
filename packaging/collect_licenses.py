"""Copy the licence of everything an installer carries into one folder: the program's own GPL,
every Python distribution installed beside it (from its dist-info), Qt's LGPL for PySide6, the
fonts' and the Thai word list's.

    python packaging/collect_licenses.py SITE_PACKAGES OUT_DIR
"""
from __future__ import annotations

import shutil
import sys
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS")
# Qt for Python wheels carry no licence file; they are offered under the LGPL 3 (which builds on the GPL 3)
LGPL_FOR = {"PySide6_Essentials", "pyside6_essentials", "shiboken6", "PySide6-Essentials"}
DEBIAN_LICENSES = Path("/usr/share/common-licenses")


def collect(site: Path, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "LICENSE", out / "PMQA-Desktop-LICENSE-GPL-3.0.txt")
    shutil.copy2(ROOT / "packaging" / "THIRD-PARTY.md", out / "THIRD-PARTY.md")
    done = []
    for dist in distributions(path=[str(site)]):
        name = dist.metadata["Name"]
        if name.lower().replace("_", "-") in ("pip", "setuptools", "wheel", "pmqa-desktop"):
            continue
        dst = out / f"{name}-{dist.version}"
        files = [f for f in (dist.files or []) if f.parts[0].endswith(".dist-info")
                 and any(part.upper().startswith(LICENCE_NAMES) for part in f.parts[1:])]
        for f in files:
            src = Path(dist.locate_file(f))
            if src.is_file():
                target = dst.joinpath(*f.parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)
        if name in LGPL_FOR or name.lower().startswith(("pyside6", "shiboken6")):
            dst.mkdir(parents=True, exist_ok=True)
            shutil.copy2(DEBIAN_LICENSES / "LGPL-3", dst / "LGPL-3.0.txt")
        lic = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        dst.mkdir(parents=True, exist_ok=True)
        (dst / "METADATA-LICENSE.txt").write_text(f"{name} {dist.version}\nLicense: {lic[:500]}\n", encoding="utf-8")
        done.append(name)
    fonts = ROOT / "src" / "pmqa_desktop" / "data" / "fonts"
    for f in ("Laksaman-COPYRIGHT.txt", "COPYING-GPL-2.txt", "README.txt"):
        (out / "fonts-tlwg-laksaman").mkdir(exist_ok=True)
        shutil.copy2(fonts / f, out / "fonts-tlwg-laksaman" / f)
    # the Thai word list is the program's own package data, built from ICU's, the Royal Society's and
    # PyThaiNLP's lists: its LICENSE.txt says which and under which terms
    (out / "thai-word-list").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "src" / "pmqa_desktop" / "data" / "words" / "LICENSE.txt", out / "thai-word-list" / "LICENSE.txt")
    return done


if __name__ == "__main__":
    names = collect(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"licences of {len(names)} distributions in {sys.argv[2]}")
