"""The README's apt-get line and scripts/test.sh install every system library Qt's xcb platform
plugin (the one the program runs on under X11) links to: on a minimal Debian/Ubuntu the program
does not start without them."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 libraries: Linux only")


def debian_package(soname: str) -> str:
    """Debian's name for the package of a shared library (policy 8.1): libxcb-cursor.so.0 ->
    libxcb-cursor0, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0."""
    name, version = re.match(r"^(.*)\.so\.(\d+)", soname).groups()
    name = name.lower()
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def xcb_libraries() -> set[str]:
    import PySide6
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file(), plugin
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0] for line in out.splitlines() if "=>" in line}
    return {n for n in names if n.startswith(("libxcb", "libX11-xcb", "libxkbcommon"))}


def test_debian_names():
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libX11-xcb.so.1") == "libx11-xcb1"


@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_readme_and_test_script_install_what_the_xcb_plugin_needs():
    libs = xcb_libraries()
    wanted = {debian_package(n) for n in libs}
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= wanted
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    apt_line = next(line for line in readme.splitlines() if "apt-get install" in line)
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    script_packages = set(" ".join(re.findall(r'DEB_PACKAGES="([^"]*)"', script)).split())
    assert wanted <= set(apt_line.split()), wanted - set(apt_line.split())
    assert wanted <= script_packages, wanted - script_packages


@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_every_library_the_plugin_needs_is_found_here():
    import PySide6
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    assert "not found" not in out, out
