"""tools/run_notebooks.py, the notebook runner behind `make run`: outputs saved, errors in one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

RUNNER = Path(__file__).resolve().parents[1] / "tools" / "run_notebooks.py"

WIDGET_CELL = """import ipywidgets as w
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import display

def draw(x):
    fig = plt.figure(figsize=(2, 2)); plt.plot([0, x]); display(fig); plt.close(fig)

app = w.VBox([w.interactive_output(draw, {"x": w.IntSlider(value=v)}) for v in (1, 2, 3)])
app"""


def write_notebook(path: Path, *sources: str) -> Path:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def kernel_env(**extra) -> dict:
    """The environment of ``make run``. Without ``PYTEST_CURRENT_TEST``: ipykernel stops
    forwarding fd-level output into cell outputs when it sees that variable."""
    import os

    drop = ("PYTEST_CURRENT_TEST", "TF_CPP_MIN_LOG_LEVEL", "_RESIZER_TF_QUIET")
    return {k: v for k, v in os.environ.items() if k not in drop} | extra


def run(*args, cwd, env=None):
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600, env=env or kernel_env())


def test_runner_saves_outputs_of_widget_notebooks_without_waiting_for_the_timeout(tmp_path):
    nb = write_notebook(tmp_path / "ok.ipynb", "print(6 * 7)", WIDGET_CELL, "print('after the app')")
    start = time.perf_counter()
    result = run("--out", "out", "--timeout", "120", nb.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-1500:]
    assert time.perf_counter() - start < 110  # a missed reply would sit until the 120 s timeout
    done = nbformat.read(tmp_path / "out" / "ok.ipynb", as_version=4)
    assert done.cells[0].outputs[0]["text"] == "42\n"
    assert "after the app" in done.cells[2].outputs[0]["text"]
    assert "ok.ipynb:" in result.stdout and "all 1 notebooks" in result.stdout
    # quiet: the kernel runs over local sockets, so it has no "running over TCP" warning to give,
    # and it is shut down before the runner exits ("Parent appears to have exited" never shows)
    assert "IPKernelApp" not in result.stdout + result.stderr, result.stderr[-800:]
    assert not list(tmp_path.glob("kernel*")), "the kernel's sockets were left in the folder"


def test_runner_reports_a_failing_cell_in_one_line(tmp_path):
    nb = write_notebook(tmp_path / "bad.ipynb", "x = 1", "1 / 0")
    result = run("--out", "out", nb.name, cwd=tmp_path)
    assert result.returncode == 1
    errors = [ln for ln in result.stderr.splitlines() if "error" in ln.lower() and "run_notebooks" in ln]
    assert errors == ["run_notebooks: error in bad.ipynb: ZeroDivisionError: division by zero"]
    assert "\x1b[" not in result.stderr  # no terminal colour codes


def test_runner_checks_every_path_before_running_anything(tmp_path):
    nb = write_notebook(tmp_path / "fine.ipynb", "print(1)")
    result = run(nb.name, "missing.ipynb", cwd=tmp_path)
    assert result.returncode == 2 and "no notebook at missing.ipynb" in result.stderr
    assert "running" not in result.stdout


def test_runner_names_a_timeout_and_how_to_raise_it(tmp_path):
    nb = write_notebook(tmp_path / "slow.ipynb", "import time; time.sleep(30)")
    result = run("--out", "out", "--timeout", "3", nb.name, cwd=tmp_path)
    assert result.returncode == 1
    assert "run_notebooks: error in slow.ipynb: a cell ran longer than --timeout 3 s" in result.stderr


TRAIN_CELL = """import numpy as np
from resizer_lib.models import build_classifier
model = build_classifier("tiny_cnn", (32, 32), (16, 16), "learned", seed=0)
model.compile("adam", "sparse_categorical_crossentropy", jit_compile=False)
x = np.random.default_rng(0).integers(0, 256, (8, 32, 32, 3)).astype("uint8")
model.train_on_batch(x, np.arange(8) % 2)
print("trained")"""


def test_a_notebook_that_trains_the_resizer_shows_no_tensorflow_log_lines(tmp_path):
    """What a learner sees in a kernel (which forwards fd-level stderr into cell outputs) on
    an Intel CPU, where TensorFlow turns oneDNN on: forced on here, so any CPU can check it."""
    nb = write_notebook(tmp_path / "train.ipynb",
                        "from resizer_lib.course.notebook import setup\nPROFILE = setup('smoke')", TRAIN_CELL,
                        "import time\ntime.sleep(1)")  # fd-level output arrives asynchronously
    result = run("--out", "out", nb.name, cwd=tmp_path,
                 env=kernel_env(TF_ENABLE_ONEDNN_OPTS="1", KERAS_BACKEND="tensorflow"))
    assert result.returncode == 0, result.stderr[-2000:]
    done = nbformat.read(tmp_path / "out" / "train.ipynb", as_version=4)
    assert "trained" in done.cells[1].outputs[-1]["text"]


def test_the_runner_fails_a_notebook_whose_outputs_hold_tensorflow_log_lines(tmp_path):
    line = "E0000 00:00:1796113796.140922    2744 cuda_platform.cc:52] failed call to cuInit"
    # fd-level output reaches the notebook asynchronously: a later cell makes sure it has
    nb = write_notebook(tmp_path / "noisy.ipynb", f"import os\nos.write(2, b'{line}\\n')",
                        "import time\ntime.sleep(1)")
    result = run("--out", "out", nb.name, cwd=tmp_path)
    assert result.returncode == 1
    assert "error in noisy.ipynb: 1 TensorFlow C++ log line(s)" in result.stderr
    assert "cell 1: E0000" in result.stderr


def test_workers_run_every_notebook_and_name_each_failure(tmp_path):
    """``--workers 2`` (the Colab stage): two kernels at a time; a failing notebook does not stop
    the others, and each failure is named in one line."""
    good = [write_notebook(tmp_path / f"good{i}.ipynb", f"print({i} * 7)") for i in range(2)]
    bad = write_notebook(tmp_path / "bad.ipynb", "1 / 0")
    result = run("--workers", "2", "--out", "out", bad.name, *(p.name for p in good), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "run_notebooks: error in bad.ipynb: ZeroDivisionError: division by zero"
    for i in range(2):
        assert nbformat.read(tmp_path / "out" / f"good{i}.ipynb", as_version=4).cells[0].outputs[0]["text"] == f"{i * 7}\n"
    assert run("--workers", "0", good[0].name, cwd=tmp_path).returncode == 2
