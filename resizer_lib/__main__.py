"""``python -m resizer_lib``: the study commands live in the lab beside the course library.

In a checkout of the course, ``python -m resizer_lib ...`` runs ``python -m resizer_lab ...``
(the commands of version 0.1 keep working there). An installed ``resizer_lib`` (Colab, pip)
has no lab: the message says where to find it.
"""

import importlib.util
import sys

if importlib.util.find_spec("resizer_lab") is None:
    sys.exit("resizer_lib has no command line of its own: the study commands (compare, train, "
             "report, ...) are `python -m resizer_lab ...`, run from a checkout of the course's "
             "repository (git clone it, then `make setup`).")
from resizer_lab.__main__ import *  # noqa: E402, F401, F403  (runs the lab's command line)
