"""``python -m resizer_lib``: see ``resizer_lib.cli``."""

from .cli import main

raise SystemExit(main())
