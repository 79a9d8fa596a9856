"""``python -m resizer_lib``: in a checkout of the course, runs ``python -m resizer_lab ...`` (the study commands
of version 0.1 keep working there); an installed ``resizer_lib`` (Colab, pip) has no lab: it says where it is."""

import importlib.util
import sys

if importlib.util.find_spec("resizer_lab") is None:
    sys.exit("resizer_lib has no command line of its own: the study commands (compare, train, report, ...) are "
             "`python -m resizer_lab ...`, run from a checkout of the course's repository (git clone it, then "
             "`make setup`).")
from resizer_lab.__main__ import *  # noqa: E402, F401, F403  (runs the lab's command line)
