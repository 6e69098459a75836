"""Tools > Settings (the clerk's name and office, the language) and the offer to restart in a new language.

May use: the core, ``common``, the shell's helpers; never another feature.
"""
