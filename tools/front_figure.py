"""The README's figure: the learnable resizer's block diagram (``make figures``).

Drawn by ``resizer_lib.course.anatomy.draw_resizer_diagram`` at the paper's 2x setting
(300 -> 150 px); no photo is involved.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

OUT = Path(__file__).resolve().parents[1] / "notebooks" / "figures" / "resizer.png"


def main() -> int:
    import matplotlib.pyplot as plt

    from resizer_lib.course.anatomy import draw_resizer_diagram

    fig = draw_resizer_diagram((300, 300), (150, 150), figsize=(7.5, 9.0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=72, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
