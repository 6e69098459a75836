"""The core never imports Qt, and printing never imports the widgets."""
import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pmqa_desktop"


def _imports(path: Path) -> set[str]:
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            names.add(("." * node.level) + mod)
    return names


def _offenders(folder: str, banned) -> list[str]:
    bad = []
    for path in (SRC / folder).rglob("*.py"):
        for name in _imports(path):
            if banned(name):
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    return bad


def test_core_never_imports_qt():
    assert _offenders("core", lambda n: n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")
                      or ".ui" in n or n.startswith("pmqa_desktop.ui")) == []


def test_printing_never_imports_the_widgets():
    assert _offenders("printing", lambda n: n.split(".")[0] in ("PySide6", "shiboken6")
                      or n.startswith("pmqa_desktop.ui") or n.startswith("..ui")) == []


def test_core_import_leaves_qt_unloaded():
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, %r); import pmqa_desktop.core.demo, pmqa_desktop.core.storage.planning; "
            "import pmqa_desktop.core.importers.schedule_import; "
            "print(any(m.startswith('PySide6') for m in sys.modules))") % str(SRC.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
