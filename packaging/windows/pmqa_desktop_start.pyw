"""The Start-menu shortcut's script (run by pythonw.exe, no console): the program's window, or the
file Explorer passes when a .pmqa file is opened."""
import sys

from pmqa_desktop.cli import main

sys.exit(main())
