"""Qt-free core: domain, Thai calendar, scoring, storage, import/export and merge.

Nothing under this package may import Qt (tests/test_architecture.py checks it).
"""
