import sys

from .paths import keep_compiled_modules

keep_compiled_modules()   # (a real start of the program: see cli._keep_compiled_modules)

from .cli import main  # noqa: E402 - compiled modules kept first

sys.exit(main())
