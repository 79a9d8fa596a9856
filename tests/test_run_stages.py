"""``tools/run_stages.sh``: stages one after another, "+" joins stages that run side by side."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MAKEFILE = """\
slow:
\t@sleep 2; echo slow-output
also_slow:
\t@sleep 2; echo also-slow-output
fast:
\t@echo fast-output
broken:
\t@echo broken-output; exit 3
"""


def run(tmp_path: Path, *stages: str) -> subprocess.CompletedProcess:
    (tmp_path / "Makefile").write_text(MAKEFILE)
    env = {"PATH": "/usr/bin:/bin", "MAKE": f"make -f {tmp_path / 'Makefile'}",
           "STAGE_LOGS": str(tmp_path / "logs")}
    return subprocess.run(["bash", str(REPO / "tools" / "run_stages.sh"), *stages], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)


def test_joined_stages_run_side_by_side_and_print_their_whole_logs(tmp_path):
    result = run(tmp_path, "fast", "slow+also_slow+fast")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.count("also-slow-output") == 1 and out.count("fast-output") == 2
    assert "==== slow (run beside: slow, also_slow, fast) ====\nslow-output" in out
    group = next(line for line in out.splitlines() if "side by side" in line)
    assert group.startswith("  slow + also_slow + fast, side by side: ")
    assert int(group.split(": ")[1].split()[0]) < 4  # two 2-second stages at once, not one after the other
    assert out.rstrip().splitlines()[-1].startswith("  all: ")


def test_a_failing_stage_fails_the_run_after_its_group_and_is_named(tmp_path):
    result = run(tmp_path, "broken+slow", "fast")
    assert result.returncode == 1
    assert "broken-output" in result.stdout and "slow-output" in result.stdout
    assert "fast-output" not in result.stdout  # nothing after the failing group
    assert "    broken: " in result.stdout and "(failed)" in result.stdout
    result = run(tmp_path, "fast", "broken", "slow")
    assert result.returncode == 1 and "  broken: 0 s (failed)" in result.stdout
    assert "slow-output" not in result.stdout
