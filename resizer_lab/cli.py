"""The lab's command line: ``python -m resizer_lab {compare,train,report,info,map-report,warm-start}``.

The profile (``--profile`` or ``RESIZER_PROFILE``) sets sizes, counts and epochs; any flag given
explicitly wins. Bad flags and values end with one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

__all__ = ["main", "build_parser", "config_from_args"]

EXAMPLES = """examples:
  python -m resizer_lab compare --profile smoke
  python -m resizer_lab compare --backbone densenet121 --data cats_vs_dogs \\
      --arms bilinear,learned,more_layers --epochs 10 --seeds 5
  python -m resizer_lab compare --data ../shared/datasets/cats_vs_dogs --image-size 128 --target-size 64
  python -m resizer_lab train --arm learned --seed 0 --save resizer_model.keras
  python -m resizer_lab report results/synthetic_quick.json
  python -m resizer_lab report results/synthetic_quick/runs
"""


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _size(text: str) -> tuple[int, int]:
    parts = text.lower().replace("x", ",").split(",")
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid size {text!r}: use 128 or 128x96") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or min(values) < 1:
        raise argparse.ArgumentTypeError(f"invalid size {text!r}: use positive integers, 128 or 128x96")
    return values


def _items(text: str, what: str, example: str) -> list[str]:
    """The comma-separated items of ``text``; an error when there are none (``,`` or ``""``)."""
    items = [p.strip() for p in text.split(",") if p.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f"invalid {what} {text!r}: the list is empty; give at "
                                         f"least one, e.g. {example}")
    return items


def _seeds(text: str) -> tuple[int, ...]:
    """A count (``5``: seeds 0-4) or a list (``0,1,2``, ``3,``) of distinct seeds >= 0."""
    listed = "," in text
    items = _items(text, "seeds", "0,1,2 or a count such as 3") if listed else [text]
    try:
        values = tuple(int(s) for s in items)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seeds {text!r}: a count (5) or a list (0,1,2)") from None
    if not listed:
        if values[0] < 1:
            raise argparse.ArgumentTypeError(f"invalid seeds {text!r}: need at least 1")
        return tuple(range(values[0]))
    if min(values) < 0 or len(set(values)) != len(values):
        raise argparse.ArgumentTypeError(f"invalid seeds {text!r}: seeds must be distinct integers >= 0")
    return values


def _arms(text: str) -> tuple[str, ...]:
    """Comma-separated arm names, at least one, none twice (checked by name later)."""
    arms = tuple(_items(text, "arms", "bilinear,learned"))
    if len(set(arms)) != len(arms):
        raise argparse.ArgumentTypeError(f"invalid arms {text!r}: an arm is listed twice")
    return arms


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a positive integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a positive integer")
    return value


def _count_or_all(text: str) -> int | str:
    """A positive integer, or ``all`` (real data: no cap)."""
    return "all" if text.strip().lower() == "all" else _positive(text)


def _cap(value: int | str | None, default: int | None) -> int | None:
    return None if value == "all" else (value or default)


def _add_experiment_flags(p: argparse.ArgumentParser) -> None:
    from resizer_lib.models.spec import ResizerSpec  # Keras-free: --help stays quick

    g = p.add_argument_group("experiment")
    g.add_argument("--profile", choices=["smoke", "quick", "colab", "full"],
                   help="sizes and epochs preset (default: $RESIZER_PROFILE or quick)")
    g.add_argument("--backbone", help="small_cnn, small_cnn5, densenet121, resnet50, mobilenetv2, "
                   "efficientnetb0, convmixer")
    g.add_argument("--data", help="synthetic, cats_vs_dogs (tfds) or a folder path "
                   "(default: $RESIZER_DATA, else the offline synthetic set)")
    g.add_argument("--image-size", type=_size, help="input size, e.g. 300 or 300x200")
    g.add_argument("--target-size", type=_size, help="backbone size after resizing, e.g. 150")
    g.add_argument("--epochs", type=_positive, help="training epochs per run")
    g.add_argument("--batch-size", type=_positive, help="batch size")
    g.add_argument("--recipe", choices=["adamw_cosine", "keras_io"], default="adamw_cosine",
                   help="optimizer recipe (default adamw_cosine; keras_io = SGD defaults)")
    g.add_argument("--lr", type=float, help="peak learning rate (default: the recipe's)")
    g.add_argument("--num-train", type=_count_or_all,
                   help="training examples (synthetic: generated; else a cap, 'all' for none)")
    g.add_argument("--num-val", type=_count_or_all,
                   help="validation examples (synthetic: generated; else a cap, 'all' for none)")
    g.add_argument("--augment", action="store_true", help="random flips and shifts during training")
    g.add_argument("--shift", choices=["bilinear", "whole"], default="bilinear",
                   help="with --augment: 'whole' shifts by whole pixels (keeps the finest detail); "
                   "'bilinear' interpolates fractional shifts, which blurs it (default, as in the "
                   "studies before the fix)")
    spec = ResizerSpec  # the resizer's defaults, declared once (class attributes: no check, no Keras)
    g.add_argument("--filters", type=_positive, default=spec.filters,
                   help=f"resizer width (default {spec.filters})")
    g.add_argument("--res-blocks", type=_positive, default=spec.num_res_blocks,
                   help=f"resizer residual blocks (default {spec.num_res_blocks})")
    g.add_argument("--interpolation", default=spec.interpolation,
                   help=f"resizer interpolation (default {spec.interpolation})")
    g.add_argument("--zero-init", action="store_true",
                   help="start the resizer's last convolution at zero: its output is the plain "
                   "resize until the first training step")
    g.add_argument("--mixed-precision", choices=["mixed_float16", "mixed_bfloat16"], help="dtype policy")
    g.add_argument("--jit", choices=["auto", "on", "off"], default="auto", help="XLA compilation")
    g.add_argument("--out", default="results", help="output folder (default: results/)")
    g.add_argument("--name", help="study name: files are <out>/<name>.json/.csv/.png")
    g.add_argument("--tensorboard", action="store_true", help="also write TensorBoard logs")
    g.add_argument("--verbose", choices=["auto", "0", "1", "2"], default="auto",
                   help="Keras verbosity (auto: bars when interactive, one line per epoch otherwise)")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m resizer_lab",
        description="Learning to Resize: train classifiers with and without the learnable resizer.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_OneLineParser)
    c = sub.add_parser("compare", help="paired study: every arm, several seeds, 95%% CIs",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES)
    c.add_argument("--arms", type=_arms, default=("bilinear", "learned", "more_layers"),
                   help="comma-separated arms: bilinear (or any interpolation), antialiased, learned, more_layers, muller, full_res")
    c.add_argument("--seeds", type=_seeds, help="number of seeds (5) or a list (0,1,2)")
    _add_experiment_flags(c)
    t = sub.add_parser("train", help="train one arm with one seed")
    t.add_argument("--arm", default="learned", help="learned, more_layers, muller, full_res, antialiased or an interpolation")
    t.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    t.add_argument("--save", help="save the trained model to this .keras file")
    _add_experiment_flags(t)
    r = sub.add_parser("report", help="a study's tables as Markdown, or its finished runs (no training)")
    r.add_argument("results", help="a results JSON written by compare, e.g. results/synthetic_quick.json, "
                   "or a study's runs folder (e.g. results/<name>/runs) for a grid of its finished runs")
    sub.add_parser("info", help="versions, backend, device and the profiles")
    _add_study_parsers(sub)
    return parser


def _add_study_parsers(sub) -> None:
    """The sub-commands of the factor map: ``map-report`` (reads runs) and ``warm-start``."""
    m = sub.add_parser("map-report", help="paired differences per downsampling factor, from the "
                       "finished runs of several factor studies (no training)")
    m.add_argument("--studies", nargs="+", required=True,
                   help="one study folder per factor, e.g. results/map_small_cnn_128to64 ...")
    m.add_argument("--out", required=True, help="output name without extension: writes "
                   "<out>.json, <out>.md and <out>.png (e.g. results/map_small_cnn)")
    m.add_argument("--pairs", default="learned-bilinear,learned-antialiased,learned-more_layers,muller-bilinear",
                   help="comparisons a-b, comma-separated (default: the four of the map)")
    m.add_argument("--seeds", type=_seeds, default=tuple(range(5)),
                   help="the seeds a finished study has: count (5) or list (default 0-4)")
    m.add_argument("--data", help="the studies' image folder, for the per-photo tests' labels "
                   "(default: the --data of the script's command)")
    m.add_argument("--data-seed", type=int, default=0, help="the studies' data seed (default 0)")
    m.add_argument("--script", default="resizer_lab/scripts/map_study.sh",
                   help="the study script whose commands go into the provenance (default resizer_lab/scripts/map_study.sh)")
    m.add_argument("--resamples", type=_positive, default=10_000, help="bootstrap resamples (default 10000)")
    w = sub.add_parser("warm-start", help="the paper's protocol: a resizer inserted in front of a "
                       "backbone trained with bilinear, trained jointly for more epochs")
    w.add_argument("--arms", type=_arms, default=("bilinear", "learned", "muller", "more_layers"),
                   help="bilinear (the continued control), learned, muller, more_layers (default: "
                   "these four), learned_zero (the resizer inserted with its last convolution at "
                   "zero), learned_zero_slow (the same, the backbone at a tenth of the resizer's "
                   "rate; needs --warm-lr)")
    w.add_argument("--seeds", type=_seeds, help="number of seeds (5) or a list (0,1,2)")
    w.add_argument("--extra-epochs", type=_positive, default=6,
                   help="epochs trained after the insertion (default 6)")
    w.add_argument("--weights-dir", help="where the trained bilinear weights go, outside the "
                   "repository (default ../weights/<name> beside the checkout)")
    w.add_argument("--warm-lr", type=float, help="the extra epochs' schedule: cosine decay from "
                   "this rate to zero, no warm-up, for every arm (e.g. 1e-4); default: the "
                   "recipe's warm-up to its peak and cosine decay, restarted")
    _add_experiment_flags(w)


def config_from_args(args: argparse.Namespace):
    """An ``ExperimentConfig`` from parsed flags, with the profile's defaults underneath."""
    from resizer_lib.data.loading import resolve_source
    from resizer_lib.profiles import get_profile
    from resizer_lib.training import ExperimentConfig

    prof = get_profile(args.profile)
    arms = (args.arm,) if args.command == "train" else args.arms
    if args.command == "warm-start":  # its arms are its own (warm_start.WARM_ARMS); the study's
        arms = ("bilinear",)          # configuration is that of the trained bilinear model
    seeds = (args.seed,) if args.command == "train" else (args.seeds or tuple(range(prof.seeds)))
    data = resolve_source(args.data)
    real = data != "synthetic"
    name = args.name or f"{args.command}_{prof.name}_{os.path.basename(str(data).rstrip('/')) or 'data'}"
    return ExperimentConfig(
        name=name,
        backbone=args.backbone or prof.backbone,
        data=data,
        image_size=args.image_size or prof.image_size,
        target_size=args.target_size or prof.target_size,
        arms=arms,
        epochs=args.epochs or prof.epochs,
        batch_size=args.batch_size or prof.batch_size,
        recipe=args.recipe,
        learning_rate=args.lr,
        seeds=seeds,
        num_train=_cap(args.num_train, prof.max_train if real else prof.num_train),
        num_val=_cap(args.num_val, None if real else prof.num_val),
        augment=args.augment,
        shift=args.shift,
        zero_init=args.zero_init,
        filters=args.filters,
        num_res_blocks=args.res_blocks,
        interpolation=args.interpolation,
        mixed_precision=args.mixed_precision,
        jit={"auto": "auto", "on": True, "off": False}[args.jit],
        out_dir=args.out,
        verbose=args.verbose if args.verbose == "auto" else int(args.verbose),
        tensorboard=args.tensorboard,
    )


def _info() -> int:
    import keras

    from resizer_lib import __version__
    from resizer_lib.profiles import PROFILES
    from resizer_lib.runtime import device_description

    print(f"resizer_lib {__version__}, keras {keras.__version__}, backend {keras.backend.backend()}")
    print(f"device: {device_description()}")
    for p in PROFILES.values():
        print(f"profile {p.name}: {p.image_size} -> {p.target_size}, {p.backbone}, "
              f"{p.epochs} epochs, {p.seeds} seeds, batch {p.batch_size} ({p.description})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from resizer_lib.tf_logging import install

    install()  # TensorFlow's C++ log lines stay out of every command's output
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from resizer_lib import __version__

        print(__version__)
        return 0
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "info":
        return _info()
    if args.command == "report":
        return _report(parser, args.results)
    if args.command == "map-report":
        return _map_report(parser, args)
    if args.command == "warm-start":
        return _warm_start(parser, args)
    try:
        config = config_from_args(args)
        if args.command == "compare":
            from resizer_lab.reports import run_study

            run_study(config)
        else:
            _train_one(config, args.save)
    except (ValueError, RuntimeError, FileNotFoundError) as err:
        print(f"{parser.prog} {args.command}: error: {err}", file=sys.stderr)
        return 2
    return 0


def _report(parser: argparse.ArgumentParser, path: str) -> int:
    import json
    from pathlib import Path

    from resizer_lab.reports import (
        format_markdown,
        format_progress,
        load_results,
        load_runs,
    )

    if Path(path).is_dir():  # a study in progress: the grid of its finished runs
        try:
            print(format_progress(load_runs(path)))
        except ValueError as err:
            print(f"{parser.prog} report: error: {err}", file=sys.stderr)
            return 2
        return 0
    try:
        print(format_markdown(load_results(path)))
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as err:
        detail = f"missing field {err}" if isinstance(err, KeyError) else str(err)
        print(f"{parser.prog} report: error: {path} is not a results file of compare ({detail})",
              file=sys.stderr)
        return 2
    return 0


def _train_one(config, save: str | None) -> None:
    from pathlib import Path

    from resizer_lib.training import load_experiment_data, train_run

    if save and not save.endswith(".keras"):
        raise ValueError(f"--save must end in .keras; got {save!r}")
    data = load_experiment_data(config)
    record = train_run(config, config.arms[0], config.seeds[0], data, Path(config.out_dir) / config.name)
    fin = record["final"]
    print(f"{config.arms[0]} seed {config.seeds[0]}: val_accuracy {fin['val_accuracy']:.4f}, "
          f"val_loss {fin['val_loss']:.4f}, {record['train_seconds']:.1f} s")
    if save:
        record["model"].save(save)
        print(f"saved {save}")


def _map_report(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``map-report``: the factor map of ``--studies`` written to ``--out``.{json,md,png}."""
    import contextlib
    from pathlib import Path

    from resizer_lab import factor_map as fm

    prog = f"{parser.prog} map-report"
    try:
        comparisons = fm.parse_comparisons(args.pairs)
        folders = [Path(p).parent if Path(p).name == "runs" else Path(p) for p in args.studies]
        targets = []
        for folder in folders:
            with contextlib.suppress(ValueError):  # a study without sizes: build_factor_map says so
                targets.append(fm.study_sizes(folder)[1][0])
        commands = {}
        if Path(args.script).is_file():
            found = fm.script_commands(args.script, sorted(set(targets), reverse=True))
            names = {folder.name for folder in folders}  # a study, or its warm start
            commands = {t: c for t, c in found.items()
                        if {_flag_of(c, "--name"), f"warm_start_{_flag_of(c, '--name')}"} & names}
        data = args.data or _flag_of(next(iter(commands.values()), ""), "--data")
        labels = None
        if data and Path(data).is_dir():
            labels = fm.validation_labels(data, args.data_seed)
        else:
            print(f"{prog}: no image folder for the labels ({data or 'none given'}): the per-photo "
                  "tests are left out; pass --data", file=sys.stderr)
        provenance = {"script": args.script if commands else None, "commands": commands,
                      "dataset": data, "data_seed": args.data_seed,
                      "command": f"python -m resizer_lab map-report --studies {' '.join(args.studies)} "
                                 f"--out {args.out} --pairs {args.pairs} --seeds "
                                 f"{','.join(map(str, args.seeds))} --resamples {args.resamples}"}
        result = fm.build_factor_map(args.studies, labels=labels, comparisons=comparisons,
                                     expected_seeds=args.seeds, resamples=args.resamples,
                                     provenance=provenance)
        paths = fm.write_factor_map(result, args.out)
    except ValueError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    print(fm.format_factor_map(result))
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return 0


def _flag_of(command: str, flag: str) -> str | None:
    """The value given to ``flag`` in a command line, or ``None``."""
    parts = command.split()
    return parts[parts.index(flag) + 1] if flag in parts[:-1] else None


def _warm_start(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``warm-start``: the four arms of every seed, resumable; then the grid of finished runs."""
    from pathlib import Path

    from resizer_lab.reports import format_progress
    from resizer_lab.warm_start import warm_start

    try:
        config = config_from_args(args)
        runs = warm_start(config, extra_epochs=args.extra_epochs, weights_dir=args.weights_dir,
                          arms=args.arms, warm_lr=args.warm_lr)
    except (ValueError, RuntimeError, FileNotFoundError) as err:
        print(f"{parser.prog} warm-start: error: {err}", file=sys.stderr)
        return 2
    print(format_progress(runs))
    print(f"runs in {Path(config.out_dir) / f'warm_start_{config.name}' / 'runs'}")
    return 0
