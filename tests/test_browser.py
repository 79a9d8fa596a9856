"""End to end: the resize explorer in JupyterLab, in headless Chromium, as a learner would use it,
under ipywidgets 8 and under Colab's ipywidgets 7.7.

JupyterLab runs on 127.0.0.1 (free port, random token) over a temporary copy of notebooks/, so
no output is written into the repo; the kernel gets RESIZER_PROFILE=smoke. Under ipywidgets 8
the development environment's JupyterLab 4 and kernel open lesson 10. Under ipywidgets 7.7,
which JupyterLab 4's widget manager does not render, a JupyterLab 3 with ipywidgets 7's
extension (``bash tools/setup_browser.sh`` builds it in build/browser/jupyterlab3) opens a short
notebook (setup, then the explorer) in a kernel of the Colab stage's environment (Colab's pins,
the wheel installed: ``make colab`` builds it). Each runs all cells from the Run menu, waits for
the explorer (the cell starting ``# WIDGET-APP``), changes the interpolation dropdown and the
size slider, and checks that the picture changed and that no error showed. Screenshots go to
test-artifacts/browser/<variant>/.

Needs Debian's Chromium at /usr/bin/chromium (``bash tools/setup_browser.sh`` installs it) and
Playwright for Python; without them, or the two environments above, the test skips, except under
CI=true where it fails.
Run it with ``make browser`` (or ``pytest -m browser tests``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts" / "browser"
# the Colab stage's environment (tools/colab_stage.sh): Colab's pins, ipywidgets 7.7, the wheel
COLAB_PYTHON = Path(os.environ.get("RESIZER_BROWSER_COLAB_PYTHON",
                                   REPO / "build" / "colab" / "venv" / "bin" / "python"))
COLAB_KERNEL = "colab-ipywidgets7"
# JupyterLab 3 with jupyterlab_widgets 1.1, which renders ipywidgets 7 (tools/setup_browser.sh)
LAB3_PYTHON = Path(os.environ.get("RESIZER_BROWSER_LAB3_PYTHON",
                                  REPO / "build" / "browser" / "jupyterlab3" / "bin" / "python"))
IPYWIDGETS7_NOTEBOOK = "explorer_ipywidgets7.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP_MARKER = "# WIDGET-APP"
SERVER_START_S = 60
KERNEL_START_S = 60
RUN_ALL_START_S = 20  # from a click on "Run All Cells" until a cell is queued
RUN_ALL_S = 150  # from "Run All Cells" until every cell has run
RERENDER_S = 30
SIZE_STEPS = 4  # arrow-key presses on the size slider

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    """Skip with a one-line reason; under CI=true a missing prerequisite is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs the browser test to run, but {reason}", pytrace=False)
    pytest.skip(reason)


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium() -> Path:
    """The Chromium binary, after checking Playwright and JupyterLab are importable."""
    if not CHROMIUM.exists():
        _unavailable(f"no browser at {CHROMIUM} (run: bash tools/setup_browser.sh)")
    for module in ("playwright.sync_api", "jupyterlab", "ipywidgets"):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"{module} is not installed (pip install -e '.[lab,test]')")
    return CHROMIUM


@pytest.fixture(scope="module")
def notebook_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A temporary copy of notebooks/ (plus the short ipywidgets 7 notebook) and the name of
    lesson 10 in it.

    ``RESIZER_BROWSER_NOTEBOOK=path.ipynb`` tests that notebook instead (copied in beside them).
    """
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    override = os.environ.get("RESIZER_BROWSER_NOTEBOOK")
    if override:
        source = Path(override).expanduser().resolve()
        if not source.is_file():
            pytest.fail(f"RESIZER_BROWSER_NOTEBOOK={override!r} is not a file", pytrace=False)
        shutil.copy(source, root / source.name)
        return root, source.name
    found = sorted(root.glob("10_*.ipynb"))
    if not found:
        pytest.fail(f"no lesson 10 (10_*.ipynb) in {NOTEBOOKS}", pytrace=False)
    _write_ipywidgets7_notebook(root / IPYWIDGETS7_NOTEBOOK)
    return root, found[0].name


def _write_ipywidgets7_notebook(path: Path) -> None:
    """Setup, then the explorer (naive view), in the Colab environment's kernel."""
    import nbformat

    cells = [
        "from resizer_lib.course.notebook import setup\n\nPROFILE = setup()",
        f"{APP_MARKER}\nfrom resizer_lib.viz.widgets import enable_colab_widgets, resize_explorer\n\n"
        "enable_colab_widgets()  # Colab only (and there only for ipywidgets 8)\n"
        "app = resize_explorer(size=64, mode='naive')\napp",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": COLAB_KERNEL, "display_name": COLAB_KERNEL,
                                 "language": "python"}
    nbformat.write(nb, path)


def _colab_kernelspec(data_dir: Path) -> None:
    """A kernel of the Colab stage's environment (ipywidgets 7.7), with its Colab stub off (a
    JupyterLab page is not Colab) and the package from its wheel, not from a PYTHONPATH."""
    folder = data_dir / "kernels" / COLAB_KERNEL
    folder.mkdir(parents=True)
    spec = {
        "argv": [str(COLAB_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Colab's pins, ipywidgets 7)",
        "language": "python",
        "env": {"RESIZER_COLAB_STUB": "0", "PYTHONPATH": "", "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }
    (folder / "kernel.json").write_text(json.dumps(spec))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lab_env(home: Path) -> dict[str, str]:
    """The server's (and so the kernel's) environment: smoke profile, private Jupyter dirs, and
    the inline matplotlib backend a learner gets (a test-run MPLBACKEND=Agg would hide figures)."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(
        RESIZER_PROFILE="smoke",
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_PATH=os.pathsep.join(filter(None, [str(home / "data"), env.get("JUPYTER_PATH")])),
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def _lab_settings(home: Path) -> Path:
    """User settings that keep JupyterLab quiet offline: no news prompt, no update check."""
    folder = home / "settings" / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True)
    (folder / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    return home / "settings"


def _wait_until_up(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited ({proc.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer in {SERVER_START_S}s; log:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and its kernels (its own process group), politely first."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # jupyter server: shuts kernels down, then exits
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything left in the group (kernels)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@dataclass
class Lab:
    """A running JupyterLab: the notebook's URL (with the token), its log, its start time."""

    url: str
    log: Path
    startup_s: float


def _serve(python: str | Path, root: Path, name: str, home: Path, lab4: bool = True) -> Iterator[Lab]:
    """JupyterLab (of ``python``'s environment: 4, or 3 where not ``lab4``) on 127.0.0.1 over
    the notebooks' copy, opening ``name``. Always stopped, kernels included."""
    port, token = _free_port(), secrets.token_hex(16)
    log = home / "jupyter.log"
    cmd = [
        str(python), "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={_lab_settings(home)}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    if lab4:  # options JupyterLab 3 does not know (an unknown one voids all the LabApp options)
        cmd += [
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
    if os.geteuid() == 0:  # CI runs as root
        cmd.append("--allow-root")
    start = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=root, env=_lab_env(home), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(proc, f"{base}/api/status?token={token}", log)
        startup_s = time.monotonic() - start
        yield Lab(f"{base}/lab/tree/{name}?token={token}&reset", log, startup_s)
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def lab(
    chromium: Path, notebook_copy: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    """This environment's JupyterLab 4 and kernel (ipywidgets 8), on lesson 10."""
    root, name = notebook_copy
    yield from _serve(sys.executable, root, name, tmp_path_factory.mktemp("jupyter-home"))


@pytest.fixture(scope="module")
def lab3(
    chromium: Path, notebook_copy: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    """JupyterLab 3 with ipywidgets 7's extension (JupyterLab 4's renders ipywidgets 8 only) and
    a kernel of the Colab stage's environment (ipywidgets 7.7.1), on the short notebook."""
    for path, fix in ((LAB3_PYTHON, "bash tools/setup_browser.sh"), (COLAB_PYTHON, "make colab")):
        if not path.exists():
            _unavailable(f"no {path} (run: {fix})")
    root, _ = notebook_copy
    home = tmp_path_factory.mktemp("jupyter3-home")
    _colab_kernelspec(home / "data")
    yield from _serve(LAB3_PYTHON, root, IPYWIDGETS7_NOTEBOOK, home, lab4=False)


# -- page helpers --------------------------------------------------------------------------------
def _image(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"), dtype=np.int16)


def _changed_fraction(before: Path, after: Path) -> float:
    """The fraction of pixels that differ (by more than a little) between two screenshots."""
    a, b = _image(before), _image(after)
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a - b).max(axis=-1) > 8))


def _accept_dialog(page) -> None:
    """Accept a JupyterLab dialog if one is open (e.g. "Select Kernel": the default is right)."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        dialog.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        dialog.first.wait_for(state="detached")


_KERNEL_READY_JS = """() => {
    const _app = () => window.jupyterapp || window.jupyterlab;  // JupyterLab 4, 3
    const panel = _app() && _app().shell.currentWidget;
    const context = panel && panel.sessionContext;
    const kernel = context && context.session && context.session.kernel;
    const status = context && (context.kernelDisplayStatus || kernel && kernel.status);
    return !!kernel && kernel.connectionStatus === 'connected' && status === 'idle';
}"""  # JupyterLab 3 has no kernelDisplayStatus: the kernel's own status there


def _wait_kernel_ready(page, timeout_s: float) -> None:
    """Wait until the notebook's kernel is connected and idle. (The toolbar's idle indicator shows
    before the kernel's websocket is up; cells run then are silently dropped.)"""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _accept_dialog(page)
        if page.evaluate(_KERNEL_READY_JS):
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"the kernel was not connected and idle after {timeout_s}s")


def _run_all_cells(page) -> None:
    """Run > Run All Cells, from the menu bar, as a learner would."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").get_by_text(
        "Run All Cells", exact=True
    ).click()


_BUSY_JS = """() => {
    const _app = () => window.jupyterapp || window.jupyterlab;
    const panel = _app() && _app().shell.currentWidget;
    const context = panel && panel.sessionContext;
    const kernel = context && context.session && context.session.kernel;
    const status = context && (context.kernelDisplayStatus || kernel && kernel.status);
    const queued = [...document.querySelectorAll('.jp-InputPrompt')]
        .some(p => p.textContent.includes('*'));
    return status !== 'idle' || queued;
}"""


_STARTED_JS = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .some(p => /[*0-9]/.test(p.textContent))"""  # queued, running or run (the copy has no outputs)


def _wait_started(page, timeout_s: float) -> bool:
    """Whether a code cell was queued or ran within ``timeout_s`` of Run All Cells."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(_STARTED_JS):
            return True
        page.wait_for_timeout(250)
    return False


def _wait_idle(page, timeout_s: float) -> None:
    """Wait until no cell is queued or running and the kernel has been idle for a second (so the
    widget messages from a change are all handled and shown)."""
    deadline = time.monotonic() + timeout_s
    quiet = 0
    while quiet < 4:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the notebook was still busy after {timeout_s}s")
        _accept_dialog(page)
        quiet = 0 if page.evaluate(_BUSY_JS) else quiet + 1
        page.wait_for_timeout(250)


def _wait_picture(page, output, timeout_s: float = 10) -> None:
    """Wait until the explorer's Output holds one fully loaded figure."""
    page.wait_for_function(
        """(el) => {
            const img = el.querySelectorAll('img');
            return img.length === 1 && img[0].complete && img[0].naturalWidth > 0;
        }""",
        arg=output.element_handle(timeout=timeout_s * 1000),
        timeout=timeout_s * 1000,
    )
    page.wait_for_timeout(200)  # let the layout settle before the screenshot


_MODEL_ERRORS_JS = r"""() => {
    const _app = () => window.jupyterapp || window.jupyterlab;
    const found = [];
    const cells = _app().shell.currentWidget.content.model.cells;
    for (let c = 0; c < cells.length; c++) {
        const cell = cells.get(c);
        const where = `cell ${c + 1} (${cell.sharedModel.getSource().split('\n')[0]}):\n`;
        for (let o = 0; cell.outputs && o < cell.outputs.length; o++) {
            const out = cell.outputs.get(o).toJSON();
            const text = [].concat(out.text || []).join('');
            if (out.output_type === 'error') {
                const trace = (out.traceback || []).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
                found.push(where + (trace.slice(-1500) || `${out.ename}: ${out.evalue}`));
            } else if (out.name === 'stderr' && /Traceback|Error/.test(text)) {
                found.push(where + text.slice(-1500));
            }
        }
    }
    return found;
}"""


_WIDGETS_LINE_JS = r"""() => {
    const _app = () => window.jupyterapp || window.jupyterlab;
    const cells = _app().shell.currentWidget.content.model.cells;
    for (let c = 0; c < cells.length; c++) {
        const outputs = cells.get(c).outputs;
        for (let o = 0; outputs && o < outputs.length; o++) {
            const text = [].concat(outputs.get(o).toJSON().text || []).join('');
            const line = text.split('\n').find(l => l.startsWith('widgets: ipywidgets '));
            if (line) return line;
        }
    }
    return '';
}"""  # setup()'s line on the widgets, from the notebook's model (cells off screen included)


def _error_outputs(page) -> list[str]:
    """Outputs that show an error: tracebacks and errors on stderr in the notebook's model (every
    cell, on screen or not), then the same or a widget failure in the page's output areas."""
    texts = page.locator(".jp-OutputArea-output").all_text_contents()
    stderr = page.locator(
        '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
    ).all_text_contents()
    bad = [t for t in texts if "Traceback" in t or "Error displaying widget" in t]
    bad += [t for t in stderr if "Error" in t or "Traceback" in t]
    return page.evaluate(_MODEL_ERRORS_JS) + bad


def _assert_no_errors(page, when: str) -> None:
    errors = _error_outputs(page)
    if errors:
        pytest.fail(f"error output {when}:\n{errors[0][-1500:]}")


def _screenshot(locator, path: Path) -> Path:
    locator.screenshot(path=str(path))
    return path


# -- the test ------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["ipywidgets8", "ipywidgets7"])
def test_explorer_widgets_in_jupyterlab(
    chromium: Path, variant: str, request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ipywidgets8: lesson 10 in the development environment's JupyterLab 4 and kernel;
    ipywidgets7: the explorer in JupyterLab 3, in a kernel of Colab's pins (ipywidgets 7.7.1)."""
    from playwright.sync_api import sync_playwright

    lab: Lab = request.getfixturevalue("lab3" if variant == "ipywidgets7" else "lab")
    url, version = lab.url, variant.removeprefix("ipywidgets") + "."
    shots = ARTIFACTS / variant
    shots.mkdir(parents=True, exist_ok=True)
    for old in [*shots.glob("*.png"), *shots.glob("*.log")]:
        old.unlink()
    start = time.monotonic()
    laps = [f"server {lab.startup_s:.0f}s"]

    def lap(name: str) -> None:
        laps.append(f"{name} {time.monotonic() - start:.0f}s")

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            console: list[str] = []  # the page's console: where a widget's JavaScript error shows
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            try:
                _drive(page, url, lap, shots, version)
            except BaseException:
                page.screenshot(path=str(shots / "failure_page.png"), full_page=True)
                shutil.copy(lab.log, shots / "failure_jupyter.log")
                (shots / "failure_console.log").write_text("\n".join(console))
                raise
            finally:
                browser.close()
    finally:
        with capsys.disabled():  # shown even when pytest captures output
            print(f"\nbrowser test ({variant}): screenshots in {shots} ({', '.join(laps)})")


def _drive(page, url: str, lap: Callable[[str], None], folder: Path, version: str) -> None:
    """Open the notebook, run all cells, check the kernel's ipywidgets (``version``, as setup()
    prints it), then move the explorer's dropdown and slider."""
    _open_and_run_all(page, url, lap)
    said = page.evaluate(_WIDGETS_LINE_JS)
    assert said.startswith(f"widgets: ipywidgets {version}"), f"not the kernel meant: {said!r}"
    app, output = _explorer(page, folder)
    shots = [_screenshot(output, folder / "01_rendered.png")]
    status = app.locator(".widget-html").first

    select = (
        app.locator(".widget-dropdown select")
        .filter(has=page.locator("option", has_text="bicubic"))
        .first
    )
    assert select.input_value() != "bicubic", "the explorer should not start on bicubic"
    select.select_option(label="bicubic")
    _wait_rendered(page, output)
    shots.append(_screenshot(output, folder / "02_interpolation.png"))
    assert "bicubic" in status.inner_text(), f"status ignores the dropdown: {status.inner_text()}"

    slider = app.locator(".widget-hslider").filter(has=page.locator("label", has_text="size"))
    readout = slider.locator(".widget-readout").first
    size = int(readout.inner_text()) - SIZE_STEPS
    # ipywidgets 8 draw the slider with noUiSlider, ipywidgets 7 with jQuery UI
    slider.locator(".noUi-handle, .ui-slider-handle").first.focus()
    for _ in range(SIZE_STEPS):
        page.keyboard.press("ArrowLeft")
    _wait_rendered(page, output)
    shots.append(_screenshot(output, folder / "03_size.png"))
    _screenshot(app, folder / "03_app.png")
    assert int(readout.inner_text()) == size, "the size slider did not follow the arrow keys"
    assert f"{size}x{size}" in status.inner_text(), (
        f"status ignores the slider: {status.inner_text()}"
    )

    for before, after in zip(shots, shots[1:], strict=False):
        changed = _changed_fraction(before, after)
        assert changed > 0.01, (
            f"{after.name}: only {changed:.2%} of pixels changed vs {before.name}"
        )
    _assert_no_errors(page, "after moving the widgets")
    lap("widgets")


def _open_and_run_all(page, url: str, lap: Callable[[str], None]) -> None:
    """Open the notebook, wait for its kernel, Run All Cells, wait until all ran, check errors."""
    page.set_default_timeout(30_000)
    page.goto(url, wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    lap("page")
    _wait_kernel_ready(page, KERNEL_START_S)
    lap("kernel")
    _run_all_cells(page)
    if not _wait_started(page, RUN_ALL_START_S):
        # a click lost while the menu opened (seen on a loaded machine): nothing queued, nothing
        # ran, so clicking again cannot run a cell twice
        _run_all_cells(page)
        if not _wait_started(page, RUN_ALL_START_S):
            raise TimeoutError(f"Run All Cells queued no cell in 2 x {RUN_ALL_START_S}s")
    _wait_idle(page, RUN_ALL_S)
    lap("run all")
    _assert_no_errors(page, "after Run All Cells")


def _explorer(page, folder: Path):
    """The explorer app (the ``# WIDGET-APP`` cell's VBox) and its Output, in the naive view."""
    cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text=APP_MARKER)
    )
    assert cell.count() == 1, f"expected one cell starting {APP_MARKER!r}, found {cell.count()}"
    app = cell.locator(".jp-OutputArea-output .widget-vbox").first
    output = app.locator(".widget-output").first
    _wait_picture(page, output)
    naive = app.locator(".widget-toggle-button", has_text="naive").first
    if naive.count() and "mod-active" not in (naive.get_attribute("class") or ""):
        naive.click()  # the size slider only acts in the naive view
        _wait_rendered(page, output)
    app.scroll_into_view_if_needed()
    _screenshot(app, folder / "01_app.png")
    return app, output


def _wait_rendered(page, output) -> None:
    """After a widget change: wait until the kernel handled it and the new figure is shown."""
    _wait_idle(page, RERENDER_S)
    _wait_picture(page, output)
