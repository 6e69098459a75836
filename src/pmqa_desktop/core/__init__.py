"""Qt-free core: domain, Thai calendar, scoring, storage, import/export and merge.

May use: the standard library, sqlite-utils, Babel, PyThaiNLP, and the top-level ``i18n``,
``resources``, ``paths`` and ``settings`` modules. Never Qt, ``printing`` nor ``ui`` (the
import-linter contracts in pyproject.toml, run by tests/test_architecture.py).
"""
