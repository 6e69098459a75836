"""Storage: all SQL of the program lives in this package (the store, the versioned schema and its
check, the change sets behind undo, the planning and development-plan tables).

May use: the rest of the core below it (errors, Thai calendar and text) and ``i18n``; never
``core.sharing``, which is built on it.
"""
from .store import Actor, Change, Store, new_id, now_iso  # noqa: F401
