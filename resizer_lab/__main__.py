"""``python -m resizer_lab``: the study commands (see ``resizer_lab.cli``)."""

import os
import sys

from resizer_lab.cli import main

try:
    raise SystemExit(main())
except BrokenPipeError:  # e.g. `... report ... | head`: the reader left, not an error of ours
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(1) from None
