"""``python -m resizer_lib``: see ``resizer_lib.cli``."""

import os
import sys

from resizer_lib.cli import main

try:
    raise SystemExit(main())
except BrokenPipeError:  # e.g. `... report ... | head`: the reader left, not an error of ours
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(1) from None
