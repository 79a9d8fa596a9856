"""Execute notebooks top to bottom and save them with their outputs (used by `make run`).

    python tools/run_notebooks.py --out build/notebooks notebooks/*.ipynb

Why not `jupyter nbconvert --execute`: with the current jupyter_client / pyzmq, nbclient can
miss the wake-up for a cell's reply on the shell channel after an ipywidgets app renders a
figure (lesson 10's explorer), and then sits idle until the cell timeout (it was 30 minutes
in `make run`) although the cell finished in a second. This runner is nbclient with one change:
it polls the shell channel in half-second slices, so a reply already waiting is picked up.
It also prints each notebook's wall time and stops at the first failing notebook with one line.
A notebook whose outputs contain TensorFlow's C++ log lines (``I0000 ... port.cc:153] oneDNN
...``, ``E0000 ... remapper failed``) fails too: the course keeps them out of every output
(``resizer_lib.tf_logging``), and this is where that is checked end to end.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from resizer_lib.tf_logging import is_tensorflow_log_line

POLL_SECONDS = 0.5


def _sliced(get_msg):
    """Wrap ``shell_channel.get_msg`` so that one long wait becomes many short polls."""

    async def get_msg_sliced(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=min(POLL_SECONDS, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg_sliced


def _patch_shell_channel(client: NotebookClient) -> None:
    client.kc.shell_channel.get_msg = _sliced(client.kc.shell_channel.get_msg)


def execute(path: Path, out_dir: Path, timeout: int) -> float:
    """Run one notebook in a fresh kernel (cwd: its folder); write it to ``out_dir``; seconds."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as sockets:
        class LocalKernel(AsyncKernelManager):
            """A kernel over local sockets (IPC), not TCP: it has nothing to warn about."""

            def __init__(self, **kwargs):
                super().__init__(transport="ipc", ip=str(Path(sockets) / "kernel"), **kwargs)

        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", kernel_manager_class=LocalKernel,
                                resources={"metadata": {"path": str(path.parent)}})
        client.on_notebook_start = lambda notebook: _patch_shell_channel(client)
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / path.name)
    return seconds


def tensorflow_log_lines(nb) -> list[str]:
    """Every TensorFlow C++ log line in the outputs of ``nb``, as ``cell N: line``."""
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            found += [f"cell {index}: {ln}" for ln in text.splitlines() if is_tensorflow_log_line(ln)]
    return found


def _describe(err: Exception, timeout: int) -> str:
    """One line for a failed notebook: the cell's exception, a timeout, or a dead kernel."""
    if isinstance(err, CellTimeoutError):
        return f"a cell ran longer than --timeout {timeout} s (raise it for slow machines)"
    if isinstance(err, CellExecutionError) and getattr(err, "ename", None):
        return re.sub(r"\x1b\[[0-9;]*m", "", f"{err.ename}: {err.evalue}")
    lines = re.sub(r"\x1b\[[0-9;]*m", "", str(err)).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def record_time(path: Path, stem: str, seconds: float) -> None:
    """Add one notebook's wall time to the JSON file ``path``, with where and how it was measured."""
    import datetime
    import json
    import os

    from resizer_lib.runtime import device_description, software_description

    old = json.loads(path.read_text()) if path.is_file() else {"notebooks": {}}
    record = {
        "what": "wall time of each notebook run top to bottom in a fresh kernel (tools/run_notebooks.py)",
        "profile": os.environ.get("RESIZER_PROFILE", "quick"),
        "device": device_description(),
        "software": software_description(),
        "date": datetime.date.today().isoformat(),
        "notebooks": old.get("notebooks", {}) | {stem: round(seconds, 1)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def run_one(path: Path, out_dir: Path, timeout: int, times: Path | None = None) -> tuple[float, str]:
    """Execute one notebook and check its outputs: ``(seconds, "")``, or ``(seconds, error line)``."""
    try:
        seconds = execute(path, out_dir, timeout)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        return 0.0, _describe(err, timeout)
    print(f"{path.name}: {seconds:.0f} s -> {out_dir / path.name}", flush=True)
    if times:
        record_time(times, path.stem, seconds)
    noise = tensorflow_log_lines(nbformat.read(out_dir / path.name, as_version=4))
    if noise:
        return seconds, (f"{len(noise)} TensorFlow C++ log line(s) in its outputs, first "
                         f"{noise[0][:200]!r}")
    return seconds, ""


def _run_in_parallel(args: argparse.Namespace) -> int:
    """``--workers N``: N kernels at a time, in the order given; every notebook runs, and each
    failure is named in one line at the end."""
    import concurrent.futures

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        runs = {path: pool.submit(run_one, path, args.out, args.timeout) for path in args.notebooks}
        errors = [f"run_notebooks: error in {path}: {error}" for path, run in runs.items()
                  if (error := run.result()[1])]
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    print(f"all {len(args.notebooks)} notebooks, {args.workers} at a time: "
          f"{(time.perf_counter() - start) / 60:.1f} min")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/notebooks"))
    parser.add_argument("--timeout", type=int, default=10800,
                        help="seconds per cell (10800: under `full`, a lesson may train ten networks in one cell)")
    parser.add_argument("--times", type=Path,
                        help="also record each notebook's wall time in this JSON file (with the "
                             "profile, machine and date), merged with the times it holds")
    parser.add_argument("--workers", type=int, default=1,
                        help="kernels at a time (times are recorded only with 1: alone on the machine)")
    args = parser.parse_args(argv)
    if args.workers < 1 or (args.workers > 1 and args.times):
        parser.error(f"--workers must be 1 or more, and 1 with --times; got {args.workers}")
    from resizer_lib.tf_logging import install

    install()  # recording the machine imports TensorFlow here too: no C++ log lines
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"run_notebooks: error: no notebook at {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.workers > 1:
        return _run_in_parallel(args)
    total = 0.0
    for path in args.notebooks:
        print(f"{path.name}: running ...", flush=True)
        seconds, error = run_one(path, args.out, args.timeout, args.times)
        if error:
            print(f"run_notebooks: error in {path}: {error}", file=sys.stderr)
            return 1
        total += seconds
    print(f"all {len(args.notebooks)} notebooks: {total / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
