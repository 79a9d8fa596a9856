"""The command line, end to end on the smoke profile, and its one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run_cli(*args, cwd=None, env_extra=None):
    """``python -m resizer_lab ...`` as a new user runs it: no TensorFlow log level chosen, and
    oneDNN forced on (as TensorFlow does by itself on Intel CPUs with AVX-512), so that its
    C++ log lines would show on any CPU if they came back."""
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "_RESIZER_TF_QUIET")}
    env |= {"TF_ENABLE_ONEDNN_OPTS": "1", "RESIZER_DATA": "synthetic"} | (env_extra or {})
    return subprocess.run([sys.executable, "-m", "resizer_lab", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


def assert_no_tensorflow_log_lines(*outputs: str) -> None:
    from resizer_lib.tf_logging import is_tensorflow_log_line

    noise = [ln for out in outputs for ln in out.splitlines() if is_tensorflow_log_line(ln)]
    assert noise == [], noise[:3]


def test_help_documents_every_flag():
    out = run_cli("compare", "--help").stdout
    for flag in ["--backbone", "--data", "--arms", "--epochs", "--seeds", "--image-size",
                 "--target-size", "--recipe", "--out", "--profile", "--augment", "--jit"]:
        assert flag in out
    assert run_cli("--help").returncode == 0


BAD_FLAGS = [
    (["compare", "--epochs", "zero"], "invalid value 'zero'"),
    (["compare", "--image-size", "12y"], "invalid size"),
    (["compare", "--frobnicate"], "unrecognized arguments"),
    (["compare", "--arms", "bilinear,sharpen", "--profile", "smoke"], "Unknown arm 'sharpen'"),
    (["compare", "--data", "/no/such/folder", "--profile", "smoke"], "/no/such/folder"),
    (["compare", "--backbone", "vgg99", "--profile", "smoke", "--epochs", "1"], "vgg99"),
    (["compare", "--seeds", ","], "argument --seeds: invalid seeds ',': the list is empty"),
    (["compare", "--seeds", "0,,0"], "seeds must be distinct"),
    (["compare", "--seeds", "0,x"], "invalid seeds '0,x'"),
    (["compare", "--arms", ","], "argument --arms: invalid arms ',': the list is empty"),
    (["compare", "--arms", " , "], "the list is empty"),
    (["compare", "--arms", "learned,learned"], "an arm is listed twice"),
]


def assert_one_line_error(stderr: str, message: str) -> None:
    assert message in stderr
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if "error" in ln.lower()]
    assert len(lines) == 1, stderr


@pytest.mark.parametrize("args, message", BAD_FLAGS)
def test_bad_flags_give_one_line_errors(args, message, tmp_path, monkeypatch, capsys):
    """In process (``main`` is what ``python -m resizer_lab`` calls): no interpreter start-up each."""
    from resizer_lab.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RESIZER_DATA", "synthetic")
    try:
        code = main([*args, "--out", str(tmp_path)])
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    assert code == 2
    assert_one_line_error(capsys.readouterr().err, message)


def test_bad_flag_in_a_real_process_is_one_line(tmp_path):
    """TensorFlow is imported before this error (the data folder is resolved): one line all the same."""
    result = run_cli(*BAD_FLAGS[4][0], "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert_one_line_error(result.stderr, BAD_FLAGS[4][1])
    assert result.stderr.count("\n") == 1, result.stderr


@pytest.mark.slow
def test_train_trains_one_arm_and_prints_its_accuracy(tmp_path, monkeypatch, capsys):
    from resizer_lab.cli import main

    monkeypatch.setenv("RESIZER_DATA", "synthetic")
    assert main(["train", "--profile", "smoke", "--arm", "learned", "--out", str(tmp_path)]) == 0
    assert "learned seed 0: val_accuracy" in capsys.readouterr().out


@pytest.mark.slow
def test_compare_smoke_end_to_end(tmp_path):
    """In a real process with oneDNN on. The learned arm's training graph used to make
    Grappler's remapper fail under oneDNN ("E0000 ... remapper failed"); now nothing of
    TensorFlow's C++ logging shows."""
    result = run_cli("compare", "--profile", "smoke", "--data", "synthetic", "--seeds", "1",
                     "--arms", "bilinear,learned", "--name", "cli_smoke", "--out", str(tmp_path / "res"),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_no_tensorflow_log_lines(result.stdout, result.stderr)
    assert "learned - bilinear" in result.stdout or "bilinear - learned" in result.stdout
    saved = json.loads((tmp_path / "res" / "cli_smoke.json").read_text())
    assert saved["config"]["arms"] == ["bilinear", "learned"]
    assert saved["provenance"]["dataset"] == "synthetic"
    assert "compare" in saved["provenance"]["command"]
    assert len(saved["runs"]) == 2
    assert (tmp_path / "res" / "cli_smoke.csv").read_text().count("\n") == 3
    assert (tmp_path / "res" / "cli_smoke.png").stat().st_size > 10_000


def test_num_train_all_lifts_the_profile_cap_on_real_data(tmp_path):
    from resizer_lab.cli import build_parser, config_from_args

    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
    parse = build_parser().parse_args
    capped = config_from_args(parse(["compare", "--profile", "quick", "--data", str(tmp_path)]))
    assert capped.num_train == 1024 and capped.num_val is None  # the quick profile's cap
    free = config_from_args(parse(["compare", "--profile", "quick", "--data", str(tmp_path),
                                   "--num-train", "ALL", "--num-val", "all"]))
    assert free.num_train is None and free.num_val is None
    assert config_from_args(parse(["compare", "--data", str(tmp_path), "--num-train", "50"])).num_train == 50


def test_report_prints_the_markdown_tables_of_a_results_file(tmp_path, capsys):
    from results_fixtures import fake_results

    from resizer_lab.cli import main

    path = tmp_path / "fake.json"
    path.write_text(json.dumps(fake_results({"bilinear": [0.6, 0.7], "learned": [0.8, 0.9]})))
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| learned − bilinear | 2 | +20.0 points |" in out and out.startswith("`fake`")


@pytest.mark.parametrize("content, message", [(None, "No results file"), ("not json", "not a results file"),
                                              ('{"name": "x"}', "missing field")])
def test_report_of_a_bad_file_is_one_line(tmp_path, capsys, content, message):
    from resizer_lab.cli import main

    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    assert main(["report", str(path)]) == 2
    assert_one_line_error(capsys.readouterr().err, message)


def test_report_of_a_runs_folder_prints_the_progress_grid(tmp_path, capsys):
    from results_fixtures import fake_results

    from resizer_lab.cli import main

    for r in fake_results({"bilinear": [0.6], "learned": [0.8]})["runs"]:
        (tmp_path / f"{r['arm']}_seed{r['seed']}.json").write_text(json.dumps(r))
    assert main(["report", str(tmp_path)]) == 0
    assert "| learned | 80.0 (30 min) | 1 | 80.0 % |" in capsys.readouterr().out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 2
    assert_one_line_error(capsys.readouterr().err, "holds no finished runs")


def test_the_library_module_runs_the_lab_in_a_checkout_and_says_where_it_is_elsewhere(tmp_path):
    """``python -m resizer_lib`` (the commands of version 0.1) runs the lab in a checkout; where
    the lab is absent (an installed library) it says in one line where the commands live."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=repo)
    here = subprocess.run([sys.executable, "-m", "resizer_lib", "--version"], capture_output=True,
                          text=True, cwd=repo, env=env, timeout=120)
    assert here.returncode == 0 and here.stdout.strip(), here.stderr
    # elsewhere: only the library on the path (a copy of the package, no site-packages, no lab)
    import shutil

    shutil.copytree(os.path.join(repo, "resizer_lib"), tmp_path / "resizer_lib")
    away = subprocess.run([sys.executable, "-S", "-m", "resizer_lib", "compare"], capture_output=True,
                          text=True, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(tmp_path)),
                          timeout=120)
    assert away.returncode == 1 and "python -m resizer_lab" in away.stderr
    assert len(away.stderr.strip().splitlines()) == 1


def test_the_fair_flags_reach_the_configuration():
    from resizer_lab.cli import build_parser, config_from_args

    parse = build_parser().parse_args
    plain = config_from_args(parse(["compare", "--profile", "smoke", "--augment"]))
    assert plain.shift == "bilinear" and plain.zero_init is False  # the studies before the fix
    fair = config_from_args(parse(["compare", "--profile", "smoke", "--augment", "--shift", "whole",
                                   "--zero-init"]))
    assert fair.shift == "whole" and fair.zero_init is True and fair.resizer_spec().zero_init
    warm = parse(["warm-start", "--profile", "smoke", "--warm-lr", "1e-4",
                  "--arms", "bilinear,learned_zero,learned_zero_slow,muller"])
    assert warm.warm_lr == 1e-4 and config_from_args(warm).arms == ("bilinear",)
    assert parse(["warm-start", "--profile", "smoke"]).warm_lr is None  # the first protocol
