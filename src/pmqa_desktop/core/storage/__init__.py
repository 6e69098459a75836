"""Storage: all SQL of the program lives in this package."""
from .store import Actor, Change, Store, new_id, now_iso  # noqa: F401
