"""Sharing a file between offices: export, merge (preview, conflicts), backups and their restore,
the history of a cell and the recent changes; the automatic backups on open.

May use: the core (``core.sharing``), ``common``, the shell's helpers; never another feature.
"""
