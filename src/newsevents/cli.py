"""The command line, ``newsevents train|evaluate|predict|...`` (the data commands: ``data.cli``):
each subcommand parses its arguments, calls one library function and prints what it returns; a
ValueError or OSError from the library becomes one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from newsevents import baselines, calibration, output  # light: torch loads only with a command that needs it
from newsevents.config import PRECISIONS, WINDOWS, load_config
from newsevents.data.cli import add_commands as add_data_commands
from newsevents.inputs import read_inputs
from newsevents.safeio import check_output, write_text


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "func", None) in (cmd_train, cmd_baseline) and all("=" in x and not x.startswith("-") for x in extra):
        args.overrides += extra  # key=value overrides may also follow the options
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    if args.quiet and args.func in (cmd_train, cmd_evaluate, cmd_predict, cmd_export, cmd_calibrate):
        from transformers.utils import logging as hf_logging  # "Loading weights" bars are noise under -q
        hf_logging.disable_progress_bar()
    try:
        return args.func(args)
    except ValueError as e:  # RecordError, ConfigError, RunDirError, DataError, OutputError: one line each
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # the file system said no (a missing file, no permission, a full disk)
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted" + (" (a training run continues with --resume)" if args.func is cmd_train else ""), file=sys.stderr)
        return 130


def cmd_train(args) -> int:
    from newsevents.train import train

    cfg = load_config(args.config, args.overrides)
    command = " ".join(["newsevents", "train", args.config, *args.overrides] + (["--overwrite"] if args.overwrite else []))
    run_dir = train(cfg, overwrite=args.overwrite, resume=args.resume, command=command).run_dir
    print(f"run directory: {run_dir}\n{(run_dir / 'metrics.json').read_text(encoding='utf-8')}")
    return 0


def cmd_evaluate(args) -> int:
    from newsevents import evaluate as ev

    results = []
    for run_dir in args.run_dirs:
        out = Path(args.out) / Path(run_dir).name if args.out and len(args.run_dirs) > 1 else args.out
        results.append(ev.evaluate(run_dir, args.data, out, args.bootstrap, args.windows, args.precision, args.thresholds))
        print(f"== {run_dir} on {args.data}\n{ev.format_table(results[-1])}\n")
    if len(results) > 1:
        print(ev.format_summary(ev.summarise(results, args.out)))
    return 0


def cmd_baseline(args) -> int:
    from newsevents.evaluate import format_table

    cfg = load_config(args.config, args.overrides)
    for out, m in baselines.run(cfg, args.kind, args.data, args.out, epochs=args.epochs, n_bootstrap=args.bootstrap):
        print(f"== {m['run_dir']} on {m['data']} (written to {out})\n{format_table(m)}")
    return 0


def cmd_score(args) -> int:
    from newsevents import evaluate as ev

    print(f"== {args.pred} against {args.gold}\n{ev.format_table(ev.score_file(args.gold, args.pred, args.bootstrap))}")
    return 0


def cmd_predict(args) -> int:
    from newsevents.predict import Predictor

    if args.output:  # a bad -o fails before any work, and never replaces an input or, unasked, a file
        check_output(args.output, args.inputs, overwrite=args.overwrite)
    # a bad run directory, or one without thresholds when asked for them, fails before any work
    predictor = Predictor.from_run_dir(args.run_dir, args.batch_size, args.backend, args.windows, args.precision)
    cut = calibration.load_thresholds(args.run_dir) if args.thresholds else None
    articles, bad = read_inputs(args.inputs)
    for problem in bad:
        print(f"error: {problem}", file=sys.stderr)
    if not articles:
        print("error: no article to predict", file=sys.stderr)
        return 1
    records, left_out = output.predict_articles(predictor, articles, cut, progress=len(articles) > 1 and not args.quiet)
    if args.thresholds:
        print(f"left out {left_out} span(s) under the run's thresholds.json", file=sys.stderr)
    fmt = args.format or output.infer_format(args.output, len(records), sys.stdout.isatty())
    text = output.render(records, fmt)
    if args.output:
        write_text(args.output, text, args.inputs, overwrite=args.overwrite)
        print(f"wrote {args.output} ({len(records)} article(s), {fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if bad else 0


def cmd_calibrate(args) -> int:
    result = calibration.calibrate(args.run_dir, args.data, args.target_precision)
    print(f"thresholds chosen on {args.data} ({result['rule']}), written to {Path(args.run_dir) / 'thresholds.json'}:\n{calibration.format_thresholds(result)}")
    return 0


def cmd_export(args) -> int:
    from newsevents.export import export_onnx

    print(f"wrote {export_onnx(args.run_dir, args.out, overwrite=args.overwrite)} (ONNX Runtime reproduces the torch logits)", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsevents", description="Train, evaluate and run taggers of political events in news.")
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on stderr")
    sub = p.add_subparsers(title="commands")

    c = _command(sub, "train", cmd_train, "fine-tune a model from a config; writes a run directory")
    c.add_argument("config", help="a YAML config, e.g. configs/starter.yaml")
    c.add_argument("overrides", nargs="*", help="dotted key=value overrides, e.g. train.num_train_epochs=2")
    c.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    c.add_argument("--resume", action="store_true", help="continue a killed run from its last checkpoint")

    c = _command(sub, "baseline", cmd_baseline, "fit a keyword or spaCy baseline on a config's train split and score it")
    c.add_argument("kind", choices=["keyword", "spacy"])
    c.add_argument("config", help="the run config whose data (train/dev/test) the baseline uses")
    c.add_argument("overrides", nargs="*", help="dotted key=value overrides (e.g. seed=2)")
    c.add_argument("--data", nargs="+", help="record files to score (default: the config's test split)")
    c.add_argument("--out", help="output directory, one sub-directory per data file (default: models/baseline-<kind>-<name>-s<seed>/eval)")
    c.add_argument("--epochs", type=int, default=30, help="spaCy: most epochs (the best on dev is kept; 5 without gain stop it)")
    c.add_argument("--bootstrap", type=int, default=1000)

    c = _command(sub, "score", cmd_score, "score a predictions file against gold records with the project's scorer")
    c.add_argument("gold")
    c.add_argument("pred", help="records with the same ids and texts (e.g. the output of newsevents predict)")
    c.add_argument("--bootstrap", type=int, default=1000)

    c = _command(sub, "predict", cmd_predict, "tag new articles: .txt files, directories, JSONL records or - (stdin)")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("inputs", nargs="+", metavar="INPUT")
    c.add_argument("-o", "--output", help="output file (default: standard output); never one of the inputs")
    c.add_argument("--overwrite", action="store_true", help="replace the -o file if it exists")
    c.add_argument("--format", choices=["jsonl", "csv", "html", "table"], help="default: from -o's suffix; a table for one article on a terminal; else jsonl")
    c.add_argument("--batch-size", type=int, default=32, help="windows per forward pass")
    c.add_argument("--backend", choices=["torch", "onnx"], default="torch", help="onnx: run RUN_DIR/model.onnx (see newsevents export)")
    _reading_options(c)

    c = _command(sub, "export", cmd_export, "write a run's model as ONNX (RUN_DIR/model.onnx), checked against torch")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("--out", help="the .onnx file (default: RUN_DIR/model.onnx)")
    c.add_argument("--overwrite", action="store_true", help="replace an existing file")

    c = _command(sub, "evaluate", cmd_evaluate, "score run directories on JSONL records: per-label P/R/F1")
    c.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="one or more run directories (several: mean +- std)")
    c.add_argument("data", help="JSONL records with gold spans, e.g. data/starter/test.jsonl")
    c.add_argument("--out", help="output directory (default: RUN_DIR/eval/<data name>)")
    c.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples for the macro-F1 interval")
    _reading_options(c)  # evaluate: the F1 of a faster reading

    c = _command(sub, "calibrate", cmd_calibrate, "choose per-label score thresholds on gold dev; writes RUN_DIR/thresholds.json")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("data", help="dev records, e.g. data/processed/gold_dev.jsonl (a test file is refused)")
    c.add_argument("--target-precision", type=float, help="the most recall at this precision (default: the highest F1)")

    add_data_commands(sub)
    return p


def _command(sub, name: str, func, help: str):
    c = sub.add_parser(name, help=help)
    c.set_defaults(func=func)
    return c


def _reading_options(c) -> None:
    """How predict and evaluate read articles: the options both take."""
    c.add_argument("--windows", choices=WINDOWS,
                   help="how articles are cut into windows (default: the run's model.windows); sentences reads each token once (faster)")
    c.add_argument("--precision", choices=PRECISIONS, default="fp32",
                   help="bf16: bfloat16 weights, fast on CPUs with AMX (Sapphire Rapids+); auto: bf16 where the CPU has AMX")
    c.add_argument("--thresholds", action="store_true", help="leave out spans under the run's thresholds.json (newsevents calibrate)")


if __name__ == "__main__":
    sys.exit(main())
