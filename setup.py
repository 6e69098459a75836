"""Compile the translation catalogs (i18n/*/LC_MESSAGES/*.po) into the built package as .mo files,
so an installed program never compiles them itself. Everything else is in pyproject.toml."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DOMAIN = "pmqa_desktop"


class BuildPyWithCatalogs(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        root = Path(__file__).resolve().parent
        for po in sorted((root / "i18n").glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            lang = po.parent.parent.name
            out = Path(self.build_lib) / "pmqa_desktop" / "data" / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=lang)
            with open(out, "wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
