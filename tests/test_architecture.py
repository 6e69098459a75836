"""The layering holds: the import-linter contracts in pyproject.toml (the core never imports Qt nor
the widgets, printing never imports the widgets, the Qt features never import each other), and no
module imports another that imports it back."""
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pmqa_desktop"


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_every_qt_feature_is_held_to_independence():
    """A new package under ui/ is a feature: it must be in the independence contract and the layers,
    else nothing would stop it importing another feature (``common`` is what they share)."""
    import tomllib
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    independent = {m.rsplit(".", 1)[-1] for c in contracts if c["type"] == "independence"
                   for m in c["modules"] if m.startswith("pmqa_desktop.ui.")}
    layered = {name.strip() for c in contracts if c.get("containers") == ["pmqa_desktop.ui"]
               for layer in c["layers"] for name in layer.replace("|", ":").split(":")}
    packages = {p.parent.name for p in (SRC / "ui").glob("*/__init__.py")}
    assert packages - {"common"} == independent
    assert packages <= layered


def import_cycles(graph) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a ring (Tarjan's strongly connected
    components); every import counts, at the top, inside a function or under TYPE_CHECKING."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph("pmqa_desktop", cache_dir=None)
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_ring_through_a_function_level_import(tmp_path, monkeypatch):
    pkg = tmp_path / "ringpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("from . import c\n")
    (pkg / "c.py").write_text("def later():\n    from . import a\n")
    (pkg / "d.py").write_text("from . import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("ringpkg", cache_dir=None)
    assert import_cycles(graph) == [["ringpkg.a", "ringpkg.b", "ringpkg.c"]]


def test_core_import_leaves_qt_unloaded():
    code = ("import sys; sys.path.insert(0, %r); import pmqa_desktop.core.demo, pmqa_desktop.core.storage.planning; "
            "import pmqa_desktop.core.importers.schedule_import; "
            "print(any(m.startswith('PySide6') for m in sys.modules))") % str(SRC.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
