"""The command line of the factor map: ``map-report`` and ``warm-start``."""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from pathlib import Path

import pytest
from test_factor_map import LABELS, write_study

from resizer_lab.cli import _seeds, build_parser, main

REPO = Path(__file__).resolve().parents[2]


def labelled_study(root: Path, name: str, **kw) -> Path:
    """A fake factor study whose summary holds the validation labels."""
    study = write_study(root, name, **kw)
    (root / f"{name}.json").write_text(json.dumps({"val_labels": LABELS.tolist()}))
    return study


def test_the_help_lists_the_study_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "map-report" in text and "warm-start" in text
    args = build_parser().parse_args(["warm-start", "--seeds", "0,2", "--extra-epochs", "3"])
    assert args.arms == ("bilinear", "learned", "muller", "more_layers") and args.extra_epochs == 3


def test_map_report_writes_the_three_files_and_labels_a_partial_map(tmp_path, capsys):
    a = labelled_study(tmp_path, "s_128to64")
    b = labelled_study(tmp_path, "s_128to32", skip={("learned", 1)})
    out = tmp_path / "out" / "map"
    rc = main(["map-report", "--studies", str(a), str(b) + "/runs", "--out", str(out), "--seeds", "3",
               "--resamples", "200", "--script", str(tmp_path / "no_script.sh")])
    assert rc == 0
    text = capsys.readouterr().out
    assert "**Partial**" in text and "seed 1: learned" in text
    result = json.loads(out.with_suffix(".json").read_text())
    assert [f["seeds_used"] for f in result["factors"]] == [[0, 1, 2], [0, 2]]
    assert result["factors"][0]["comparisons"][0]["moving"]["per_photo"]["available"]
    assert result["provenance"]["command"].startswith("python -m resizer_lab map-report --studies")
    assert out.with_suffix(".png").is_file() and out.with_suffix(".md").is_file()


def test_map_report_without_labels_leaves_the_per_photo_part_out(tmp_path, capsys):
    study = write_study(tmp_path, "s_128to64")
    rc = main(["map-report", "--studies", str(study), "--out", str(tmp_path / "map"), "--resamples", "200",
               "--script", str(tmp_path / "none.sh")])
    assert rc == 0
    assert "the per-photo tests are left out; pass --data" in capsys.readouterr().err
    result = json.loads((tmp_path / "map.json").read_text())
    assert not result["factors"][0]["comparisons"][0]["moving"]["per_photo"]["available"]


def test_map_report_takes_the_commands_from_the_map_study_script(tmp_path):
    runs = tmp_path / "map_small_cnn_128to32"
    labelled_study(tmp_path, "map_small_cnn_128to32")
    rc = main(["map-report", "--studies", str(runs), "--out", str(tmp_path / "map"), "--resamples", "200",
               "--script", str(REPO / "resizer_lab" / "scripts" / "map_study.sh"), "--data", str(tmp_path / "absent")])
    assert rc == 0
    prov = json.loads((tmp_path / "map.json").read_text())["provenance"]
    assert list(prov["commands"]) == ["32"] and "--target-size 32" in prov["commands"]["32"]


@pytest.mark.parametrize("make, match", [
    (lambda root: [root / "notes"], "is not a study's runs folder"),
    (lambda root: [labelled_study(root, "a_128to64"), labelled_study(root, "b_96to48")], "both at factor 2x"),
])
def test_map_report_bad_studies_end_with_one_line(tmp_path, capsys, make, match):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.txt").write_text("x")
    studies = [str(p) for p in make(tmp_path)]
    rc = main(["map-report", "--studies", *studies, "--out", str(tmp_path / "map"),
               "--script", str(tmp_path / "none.sh")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and match in err[-1] and err[-1].startswith("python -m resizer_lab map-report: error:")


def test_map_report_bad_pairs_are_refused(tmp_path, capsys):
    rc = main(["map-report", "--studies", str(tmp_path), "--out", str(tmp_path / "m"), "--pairs", "learned"])
    assert rc == 2 and "invalid comparison 'learned'" in capsys.readouterr().err


def test_warm_start_refuses_weights_inside_the_repository(tmp_path, capsys):
    rc = main(["warm-start", "--data", "synthetic", "--profile", "smoke", "--out", str(tmp_path),
               "--weights-dir", str(REPO / "build" / "weights")])
    assert rc == 2
    assert "inside the repository" in capsys.readouterr().err
    assert not (REPO / "build" / "weights").exists()


@pytest.mark.slow  # trains a bilinear model and two arms (graph mode on TensorFlow)
@pytest.mark.multibackend
def test_warm_start_trains_and_then_reuses_the_arms_asked_for(tmp_path, capsys):
    """The command's wiring; every arm's training is test_warm_start's (in process)."""
    flags = ["warm-start", "--arms", "bilinear,muller", "--data", "synthetic", "--profile", "smoke", "--image-size", "16",
             "--target-size", "8", "--backbone", "tiny_cnn", "--filters", "2", "--epochs", "1",
             "--extra-epochs", "1", "--num-train", "32", "--num-val", "16", "--batch-size", "16",
             "--seeds", "0,", "--jit", "off", "--verbose", "0", "--name", "tiny_16to8",
             "--out", str(tmp_path / "results"), "--weights-dir", str(tmp_path / "weights")]
    assert main(flags) == 0
    runs = tmp_path / "results" / "warm_start_tiny_16to8" / "runs"
    assert sorted(p.name for p in runs.glob("*.json")) == ["bilinear_seed0.json", "muller_seed0.json"]
    assert (tmp_path / "weights" / "bilinear_seed0.weights.h5").is_file()
    capsys.readouterr()
    assert main(flags) == 0
    out = capsys.readouterr().out
    assert out.count("reusing finished run") == 2 and "training arm=" not in out


def _parsed(command: str):
    """The parsed flags of a ``python -m resizer_lab ...`` command line."""
    return build_parser().parse_args(shlex.split(command)[3:])


def test_the_warm_start_script_trains_with_the_map_studys_flags():
    from resizer_lab.factor_map import script_commands

    warm = script_commands(REPO / "resizer_lab" / "scripts" / "warm_start_study.sh", [64, 32, 16])
    cold = script_commands(REPO / "resizer_lab" / "scripts" / "map_study.sh", [64, 32, 16])
    shared = ("data", "image_size", "target_size", "backbone", "epochs", "batch_size", "recipe", "lr",
              "num_train", "num_val", "augment", "filters", "res_blocks", "interpolation", "jit", "name")
    for target in ("64", "32", "16"):
        w, c = _parsed(warm[target]), _parsed(cold[target])
        assert w.command == "warm-start" and c.command == "compare"
        assert {k: getattr(w, k) for k in shared} == {k: getattr(c, k) for k in shared}
        assert w.extra_epochs == 6 and not str(w.weights_dir).startswith(("results", "build"))


def test_the_warm_start_script_refuses_a_factor_it_does_not_run():
    out = subprocess.run(["bash", str(REPO / "resizer_lab" / "scripts" / "warm_start_study.sh"), "3x"],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PY": "/bin/false"})
    assert out.returncode == 2 and "must be 4x or 8x" in out.stderr


def _launched(tmp_path, script: str, *args: str, busy: str = "") -> dict[str, list[tuple[int, int]]]:
    """The jobs a study script starts, by core: ``{core: [(target, seed), ...]}`` in order,
    read from a stand-in ``taskset`` (nothing is trained; ``pgrep`` finds only a process whose
    pattern contains ``busy``, when given)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "launched.txt"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "taskset").write_text(f'#!/bin/bash\necho "$2 $5" >> {log}\n')  # -c CORE bash -c JOBS
    found = f'[[ -n "{busy}" && "$*" == *"{busy}"* ]] && exit 0\n' if busy else ""
    (bin_dir / "pgrep").write_text(f"#!/bin/bash\n{found}exit 1\n")
    for tool in ("taskset", "pgrep"):
        (bin_dir / tool).chmod(0o755)
    log.unlink(missing_ok=True)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PY": "python", "DATA": str(tmp_path)}
    out = subprocess.run(["bash", str(REPO / "resizer_lab" / "scripts" / script), *args], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    for _ in range(50):  # the script starts them in the background
        if log.exists() and len(log.read_text().splitlines()) == (1 if busy else 2):
            break
        time.sleep(0.1)
    jobs: dict[str, list[tuple[int, int]]] = {}
    for line in log.read_text().splitlines():
        core, command = line.split(" ", 1)
        for part in command.split("&&"):
            words = shlex.split(part)
            target = int(words[words.index("--target-size") + 1])
            seeds = _seeds(words[words.index("--seeds") + 1])  # as the CLI reads them: "4" is a count
            jobs.setdefault(core, []).extend((target, s) for s in seeds)
    return jobs


@pytest.mark.parametrize("script, args, targets", [
    ("map_study.sh", (), (64, 32, 16)),
    ("warm_start_study.sh", (), (64, 16)),  # 8x by default
    ("warm_start_study.sh", ("4x",), (64, 32)),
])
def test_the_study_scripts_give_every_run_to_exactly_one_core(tmp_path, script, args, targets):
    jobs = _launched(tmp_path, script, *args)
    assert sorted(jobs) == ["0", "1"]
    every = [job for core in jobs.values() for job in core]
    assert sorted(every) == sorted((t, s) for t in targets for s in range(5))  # each once, none twice


def test_a_busy_core_is_left_alone_and_the_free_one_started(tmp_path):
    jobs = _launched(tmp_path, "warm_start_study.sh", "8x", busy="warm_start_study core 0;")
    assert list(jobs) == ["1"] and (16, 0) in jobs["1"] and (64, 3) in jobs["1"]
