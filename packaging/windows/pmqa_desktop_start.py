"""The command line's script (pmqa-desktop.cmd runs it with python.exe): its exit code is the program's."""
import sys

from pmqa_desktop.cli import main

sys.exit(main())
