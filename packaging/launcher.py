"""The program's start for a frozen build: the same entry point as ``pmqa-desktop``, its exit code
passed through."""
import sys

from pmqa_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
