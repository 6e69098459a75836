"""Errors a user can act on, kept apart from bugs.

A ``UserError`` carries a message already translated for the screen; anything else that
escapes is a bug and is reported as one.
"""
from __future__ import annotations


class UserError(Exception):
    """Something the clerk can fix or must know: a bad file, a bad value."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message + (f"\n{self.detail}" if self.detail else "")


class FileProblem(UserError):
    """The database file cannot be used as asked."""


class NewerFileError(FileProblem):
    """Written by a newer version of the program: may be read, never written."""


class ForeignFileError(FileProblem):
    """Not a PMQA Desktop file."""


class DamagedFileError(FileProblem):
    """Fails SQLite's integrity check or is not SQLite at all."""


class ReadOnlyError(UserError):
    """An edit was tried on a file opened read-only."""


class ValidationError(UserError):
    """A value typed or imported is not acceptable."""


class ImportProblem(UserError):
    """An import could not be applied; nothing was changed."""
