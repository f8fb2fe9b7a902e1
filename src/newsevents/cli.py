"""The command line: ``newsevents train|evaluate|data ...``.

Each subcommand parses its arguments, calls one library function and prints what it returns.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from newsevents import build as build_mod
from newsevents import fetch as fetch_mod
from newsevents import stats as stats_mod
from newsevents.config import PRECISIONS, WINDOWS
from newsevents.safeio import check_output, write_text
from newsevents.schema import read_jsonl, write_jsonl
from newsevents.sources import SOURCES, read_source
from newsevents.validate import validate_files


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
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise under -q
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
        print("interrupted (a training run continues with --resume)" if getattr(args, "func", None) is cmd_train
              else "interrupted", file=sys.stderr)
        return 130


# --- train and evaluate --------------------------------------------------------------------------


def cmd_train(args) -> int:
    from newsevents.config import load_config
    from newsevents.train import train

    cfg = load_config(args.config, args.overrides)
    command = " ".join(["newsevents", "train", args.config, *args.overrides] + (["--overwrite"] if args.overwrite else []))
    run_dir = train(cfg, overwrite=args.overwrite, resume=args.resume, command=command)
    print(f"run directory: {run_dir}")
    print((run_dir / "metrics.json").read_text(encoding="utf-8"))
    return 0


def cmd_evaluate(args) -> int:
    from newsevents import evaluate as ev

    results = []
    for run_dir in args.run_dirs:
        out = Path(args.out) / Path(run_dir).name if args.out and len(args.run_dirs) > 1 else args.out
        m = ev.evaluate(run_dir, args.data, out, n_bootstrap=args.bootstrap, windows=args.windows, precision=args.precision,
                        thresholds=args.thresholds)
        print(f"== {run_dir} on {args.data}\n{ev.format_table(m)}\n")
        results.append(m)
    if len(results) > 1:
        summary = ev.mean_std(results, list(results[0]["strict"]["per_label"]))
        for name, v in summary["f1"].items():
            print(f"{name:<14} F1 {v['mean']:.3f} +- {v['std']:.3f}  ({len(results)} runs)")
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            write_text(Path(args.out) / "summary.json", json.dumps(summary, indent=1) + "\n")
    return 0


def cmd_baseline(args) -> int:
    from newsevents import baselines
    from newsevents import evaluate as ev
    from newsevents.config import load_config

    cfg = load_config(args.config, args.overrides)
    train_records = read_jsonl(cfg.data.train)
    if args.kind == "keyword":
        tagger = baselines.KeywordTagger().fit(train_records)
    else:
        tagger = baselines.SpacyTagger(cfg.labels, seed=cfg.seed, epochs=args.epochs).fit(train_records, read_jsonl(cfg.data.dev))
    out_dir = Path(args.out or f"models/baseline-{args.kind}-{cfg.name}-s{cfg.seed}/eval")
    for data in args.data or [cfg.data.test]:  # fit once, score every data file
        records = read_jsonl(data)
        preds = [[(s, 1.0) for s in p] for p in tagger.predict([r.text for r in records])]
        m = ev.score(records, [[s for s, _ in p] for p in preds], cfg.labels, n_bootstrap=args.bootstrap)
        m.update(data=str(data), run_dir=f"{args.kind} baseline ({cfg.name}, seed {cfg.seed})", errors=ev.worst_errors(records, preds))
        ev.write_outputs(out_dir / Path(data).stem, m, records, preds, cfg.labels)
        print(f"== {m['run_dir']} on {data} (written to {out_dir / Path(data).stem})\n{ev.format_table(m)}")
    return 0


def cmd_score(args) -> int:
    from newsevents import evaluate as ev

    gold, pred = read_jsonl(args.gold), read_jsonl(args.pred)
    if not gold:
        raise ValueError(f"{args.gold}: no records to score")
    # a prediction belongs to the gold record with its id, or else with exactly its text
    by_id, by_text = {r.id: r for r in pred}, {r.text: r for r in pred}
    matched = {r.id: by_id.get(r.id) if r.id in by_id else by_text.get(r.text) for r in gold}
    missing = [i for i, p in matched.items() if p is None]
    if missing:
        raise ValueError(f"{args.pred}: no prediction for {len(missing)} gold record(s), e.g. {missing[0]!r}")
    for r in gold:
        if matched[r.id].text != r.text:
            raise ValueError(f"{args.pred}: record {r.id!r} has a different text than in {args.gold}")
    labels = sorted({s.label for r in gold for s in r.spans} | {x for r in gold for x in r.labeled}, key=_label_order)
    m = ev.score(gold, [matched[r.id].spans for r in gold], labels, n_bootstrap=args.bootstrap)
    print(f"== {args.pred} against {args.gold}\n{ev.format_table(m)}")
    return 0


def _label_order(label: str):
    from newsevents.schema import LABELS

    return (LABELS.index(label) if label in LABELS else len(LABELS), label)


def cmd_predict(args) -> int:
    from newsevents import output
    from newsevents.predict import Predictor

    from newsevents.inputs import read_inputs

    if args.output:  # a bad -o fails before any work, and never replaces an input or, unasked, a file
        check_output(args.output, args.inputs, overwrite=args.overwrite)
    predictor = Predictor.from_run_dir(args.run_dir, batch_size=args.batch_size, backend=args.backend,
                                       windows=args.windows, precision=args.precision)  # fails early on a bad run dir
    if args.thresholds:  # a run without thresholds fails before any work
        from newsevents.calibration import apply_thresholds, load_thresholds

        cut = load_thresholds(args.run_dir)
    articles, bad = read_inputs(args.inputs)
    for problem in bad:
        print(f"error: {problem}", file=sys.stderr)
    if not articles:
        print("error: no article to predict", file=sys.stderr)
        return 1
    spans, tokens = predictor.predict([a["text"] for a in articles], return_tokens=True, progress=len(articles) > 1 and not args.quiet)
    if args.thresholds:
        kept = apply_thresholds(spans, cut)
        print(f"left out {sum(map(len, spans)) - sum(map(len, kept))} span(s) under the run's thresholds.json", file=sys.stderr)
        spans = kept
    records = [output.predicted_record(a["id"], a["text"], s, *n, a["meta"]) for a, s, n in zip(articles, spans, tokens)]
    fmt = args.format or _infer_format(args.output, len(records))
    text = {"jsonl": output.to_jsonl, "csv": output.to_csv, "html": output.to_html, "table": output.to_table}[fmt](records)
    if args.output:
        write_text(args.output, text, args.inputs, overwrite=args.overwrite)
        print(f"wrote {args.output} ({len(records)} article(s), {fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if bad else 0


def cmd_calibrate(args) -> int:
    from newsevents.calibration import calibrate

    result = calibrate(args.run_dir, args.data, args.target_precision)
    print(f"thresholds chosen on {args.data} ({result['rule']}), written to {Path(args.run_dir) / 'thresholds.json'}:")
    for label, v in result["labels"].items():
        print(f"{label:<14} >= {v['threshold']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  gold {v['gold']}")
    return 0


def cmd_export(args) -> int:
    from newsevents.export import export_onnx

    path = export_onnx(args.run_dir, args.out, overwrite=args.overwrite)
    print(f"wrote {path} (ONNX Runtime reproduces the torch logits)", file=sys.stderr)
    return 0


def _infer_format(path: str | None, n: int) -> str:
    suffix = Path(path).suffix.lstrip(".") if path else ""
    if suffix in ("csv", "html", "jsonl"):
        return suffix
    return "table" if path is None and n == 1 and sys.stdout.isatty() else "jsonl"


# --- data subcommands ----------------------------------------------------------------------------


def cmd_validate(args) -> int:
    problems = validate_files(args.files)
    for p in problems:
        print(p)
    n = len(args.files)
    sys.stdout.flush()  # the summary on stderr comes after the problem lines
    print(f"{len(problems)} problem(s) in {n} file(s)" if problems else f"ok: {n} file(s), no problems", file=sys.stderr)
    return 1 if problems else 0


def cmd_fetch(args) -> int:
    results = fetch_mod.fetch_all(args.dest, args.mirror, args.manifest)
    for r in results:
        if not r.ok or args.verbose:
            print(f"{r.status:10s} {r.path}  {r.detail}".rstrip())
    bad = [r for r in results if not r.ok]
    print(f"{len(results) - len(bad)} of {len(results)} file(s) in {args.dest}, sha256 checked", file=sys.stderr)
    return 1 if bad else 0


def cmd_build(args) -> int:
    cfg = build_mod.BuildConfig.load(args.config)
    if args.sources is not None:
        cfg.sources = [s for s in args.sources if s != "starter"]
    _require_raw(cfg)
    splits = build_mod.build(cfg)
    if cfg.sources:  # the gold set and our corpus need the raw corpora; a starter-only build has none
        splits.update(build_mod.build_gold(cfg))
        splits.update(build_mod.build_corpus(cfg, splits))
        splits.update(build_mod.build_contrast(cfg, splits))
    paths = build_mod.write_splits(splits, cfg.out_dir)
    for split, path in paths.items():
        print(f"wrote {path}")
    return 0


def cmd_stats(args) -> int:
    extra = ("ours_train", "ours_dev", "ours_test", "gold_dev", "gold_test", "contrast_train", "contrast_test")  # when built
    default = [Path(args.dir) / f"{s}.jsonl" for s in build_mod.SPLITS + extra]
    files = args.files or [f for f in default if f.is_file() or f.stem in build_mod.SPLITS]
    splits = {}
    for f in files:
        if not Path(f).is_file():
            raise FileNotFoundError(f"{f}: no such file (run `newsevents data build` first?)")
        splits[Path(f).stem] = read_jsonl(f)
    rows = stats_mod.count(splits)
    print(json.dumps(rows, indent=1) if args.json else stats_mod.format_table(rows))
    return 0


def cmd_starter(args) -> int:
    splits = build_mod.build_starter(args.source_dir)
    for split, records in splits.items():
        path = Path(args.out_dir) / f"{split}.jsonl"
        write_jsonl(records, path)
        print(f"wrote {path} ({len(records)} items)")
    return 0


def cmd_gold_export(args) -> int:
    from newsevents import gold

    ids = args.ids or list(build_mod.read_selection(args.selection))
    docs = gold.raw_documents(ids, args.raw_dir)
    ordered = [docs[i] for i in ids]
    preds = None
    if args.run:
        from newsevents.predict import Predictor

        preds = [[s for s, _ in p] for p in Predictor.from_run_dir(args.run).predict([d.text for d in ordered])]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, gold.export_markup(ordered, preds), overwrite=args.overwrite)  # markup may hold hand annotation
    print(f"wrote {args.out} ({len(ordered)} documents{', pre-annotated by ' + args.run if args.run else ''})")
    return 0


def cmd_gold_import(args) -> int:
    from newsevents import gold

    lines = []
    for f in args.files:
        ids = [line[3:].strip() for line in Path(f).read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
        lines += gold.import_markup(f, gold.raw_documents(ids, args.raw_dir), args.annotator)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in sorted(lines, key=lambda x: x["id"])), args.files)
    print(f"wrote {args.out} ({len(lines)} documents, {sum(len(x['spans']) for x in lines)} spans)")
    return 0


def cmd_agreement(args) -> int:
    from newsevents import gold

    first_files, second = args.first, args.second
    ids = {i for f in first_files + [second] for i in gold.gold_ids(f)}
    docs = gold.raw_documents(ids, args.raw_dir)
    first = [r for f in first_files for r in gold.load_gold(f, docs, split="?")]
    result = gold.agreement(first, gold.load_gold(second, docs, split="?"))
    print(f"agreement over {result['documents']} documents (strict span F1, first pass as reference)")
    for name, v in list(result["per_label"].items()) + [("micro", result["micro"]), ("macro", result["macro"])]:
        print(f"{name:<14} F1 {v['f1']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  spans {v['support']}")
    if args.json:
        write_text(args.json, json.dumps(result, indent=1) + "\n", [second, *first_files])
    return 0


def cmd_consistency(args) -> int:
    from newsevents.consistency import inconsistencies

    records = [r for f in args.files for r in read_jsonl(f)]
    for row in inconsistencies(records):
        labels = ", ".join(f"{k} {v}" for k, v in sorted(row["labels"].items(), key=lambda kv: -kv[1]))
        examples = "; ".join(f"{k}: {' '.join(v)}" for k, v in row["examples"].items())
        print(f"{row['surface']!r:28} {labels:40} {examples}")
    return 0


def cmd_show(args) -> int:
    name = args.id.split("/", 1)[0]
    for r in read_source(name, args.raw_dir):
        if r.id == args.id:
            print(json.dumps(r.to_dict(), ensure_ascii=False, indent=1) if args.json else r.text)
            return 0
    raise ValueError(f"no document {args.id!r} in source {name!r} under {args.raw_dir}")


def _require_raw(cfg) -> None:
    """Fail early, naming the missing corpus, rather than deep inside a reader."""
    for name in cfg.sources:
        if not (Path(cfg.raw_dir) / _RAW_DIRS.get(name, name)).exists():
            raise FileNotFoundError(
                f"{Path(cfg.raw_dir) / _RAW_DIRS.get(name, name)}: raw corpus for source {name!r} is missing; "
                f"run `newsevents data fetch --mirror ../shared/data/raw` or build with --sources starter"
            )


_RAW_DIRS = {"framenet": "framenet15", "statedept": "state-dept-press", "whitehouse": "whitehouse-briefings"}


# --- parser --------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsevents", description=__doc__.splitlines()[0])
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on stderr")
    sub = p.add_subparsers(title="commands")

    c = sub.add_parser("train", help="fine-tune a model from a config; writes a run directory")
    c.add_argument("config", help="a YAML config, e.g. configs/starter.yaml")
    c.add_argument("overrides", nargs="*", help="dotted key=value overrides, e.g. train.num_train_epochs=2")
    c.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    c.add_argument("--resume", action="store_true", help="continue a killed run from its last checkpoint")
    c.set_defaults(func=cmd_train)

    c = sub.add_parser("baseline", help="fit a keyword or spaCy baseline on a config's train split and score it")
    c.add_argument("kind", choices=["keyword", "spacy"])
    c.add_argument("config", help="the run config whose data (train/dev/test) the baseline uses")
    c.add_argument("overrides", nargs="*", help="dotted key=value overrides (e.g. seed=2)")
    c.add_argument("--data", nargs="+", help="record files to score (default: the config's test split)")
    c.add_argument("--out", help="output directory, one sub-directory per data file (default: models/baseline-<kind>-<name>-s<seed>/eval)")
    c.add_argument("--epochs", type=int, default=30, help="spaCy: most epochs (the best on dev is kept; 5 without gain stop it)")
    c.add_argument("--bootstrap", type=int, default=1000)
    c.set_defaults(func=cmd_baseline)

    c = sub.add_parser("score", help="score a predictions file against gold records with the project's scorer")
    c.add_argument("gold")
    c.add_argument("pred", help="records with the same ids and texts (e.g. the output of newsevents predict)")
    c.add_argument("--bootstrap", type=int, default=1000)
    c.set_defaults(func=cmd_score)

    c = sub.add_parser("predict", help="tag new articles: .txt files, directories, JSONL records or - (stdin)")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("inputs", nargs="+", metavar="INPUT")
    c.add_argument("-o", "--output", help="output file (default: standard output); never one of the inputs")
    c.add_argument("--overwrite", action="store_true", help="replace the -o file if it exists")
    c.add_argument("--format", choices=["jsonl", "csv", "html", "table"], help="default: from -o's suffix; a table for one article on a terminal; else jsonl")
    c.add_argument("--batch-size", type=int, default=32, help="windows per forward pass")
    c.add_argument("--backend", choices=["torch", "onnx"], default="torch", help="onnx: run RUN_DIR/model.onnx (see newsevents export)")
    c.add_argument("--windows", choices=WINDOWS,
                   help="how articles are cut into windows (default: the run's model.windows); sentences reads each token once (faster)")
    c.add_argument("--precision", choices=PRECISIONS, default="fp32",
                   help="bf16: bfloat16 weights, fast on CPUs with AMX (Sapphire Rapids+); auto: bf16 where the CPU has AMX")
    c.add_argument("--thresholds", action="store_true", help="leave out spans under the run's thresholds.json (newsevents calibrate)")
    c.set_defaults(func=cmd_predict)

    c = sub.add_parser("export", help="write a run's model as ONNX (RUN_DIR/model.onnx), checked against torch")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("--out", help="the .onnx file (default: RUN_DIR/model.onnx)")
    c.add_argument("--overwrite", action="store_true", help="replace an existing file")
    c.set_defaults(func=cmd_export)

    c = sub.add_parser("evaluate", help="score run directories on JSONL records: per-label P/R/F1")
    c.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="one or more run directories (several: mean +- std)")
    c.add_argument("data", help="JSONL records with gold spans, e.g. data/starter/test.jsonl")
    c.add_argument("--out", help="output directory (default: RUN_DIR/eval/<data name>)")
    c.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples for the macro-F1 interval")
    c.add_argument("--windows", choices=WINDOWS, help="as for predict: the F1 of a faster reading")
    c.add_argument("--precision", choices=PRECISIONS, default="fp32", help="as for predict")
    c.add_argument("--thresholds", action="store_true", help="leave out spans under the run's thresholds.json (newsevents calibrate)")
    c.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("calibrate", help="choose per-label score thresholds on gold dev; writes RUN_DIR/thresholds.json")
    c.add_argument("run_dir", metavar="RUN_DIR")
    c.add_argument("data", help="dev records, e.g. data/processed/gold_dev.jsonl (a test file is refused)")
    c.add_argument("--target-precision", type=float, help="the most recall at this precision (default: the highest F1)")
    c.set_defaults(func=cmd_calibrate)
    data = sub.add_parser("data", help="validate, fetch, build and count data").add_subparsers(title="data commands")

    c = data.add_parser("validate", help="check JSONL records; prints FILE:LINE: problem")
    c.add_argument("files", nargs="+")
    c.set_defaults(func=cmd_validate)

    c = data.add_parser("fetch", help="get the raw corpora into data/raw (download, or copy from --mirror)")
    c.add_argument("--mirror", help="a directory laid out like data/raw, e.g. ../shared/data/raw")
    c.add_argument("--dest", default="data/raw")
    c.add_argument("--manifest", default=str(fetch_mod.MANIFEST))
    c.add_argument("-v", "--verbose", action="store_true", help="list every file, not only failures")
    c.set_defaults(func=cmd_fetch)

    c = data.add_parser("build", help="deterministic train/dev/test splits into data/processed")
    c.add_argument("--config", default="configs/data/build.yaml")
    c.add_argument("--sources", nargs="*", help=f"override the config's sources ({', '.join(SOURCES)}; 'starter' alone: starter only)")
    c.set_defaults(func=cmd_build)

    c = data.add_parser("stats", help="documents, sentences and spans per label, per source, per split")
    c.add_argument("files", nargs="*", help="JSONL files (default: the splits in --dir)")
    c.add_argument("--dir", default="data/processed")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_stats)

    c = data.add_parser("starter", help="rebuild data/starter/{train,dev,test}.jsonl from its markup source")
    c.add_argument("--source-dir", default="data/starter/source")
    c.add_argument("--out-dir", default="data/starter")
    c.set_defaults(func=cmd_starter)

    c = data.add_parser("gold-export", help="write documents as [surface](LABEL) markup for annotation (git-ignored data/work/)")
    c.add_argument("ids", nargs="*", help="document ids (default: every id in --selection)")
    c.add_argument("--selection", default="data/gold/selection.tsv")
    c.add_argument("--raw-dir", default="data/raw")
    c.add_argument("--run", help="a run directory whose predictions pre-annotate the markup")
    c.add_argument("--out", required=True, help="the markup file, e.g. data/work/batch1.md")
    c.add_argument("--overwrite", action="store_true", help="replace an existing markup file (it may hold annotation)")
    c.set_defaults(func=cmd_gold_export)

    c = data.add_parser("gold-import", help="annotated markup -> standoff JSONL (offsets + sha256, no text)")
    c.add_argument("files", nargs="+")
    c.add_argument("--annotator", required=True)
    c.add_argument("--raw-dir", default="data/raw")
    c.add_argument("--out", required=True, help="e.g. data/gold/annotations/batch1.jsonl")
    c.set_defaults(func=cmd_gold_import)

    c = data.add_parser("agreement", help="per-label F1 between two independent annotation passes")
    c.add_argument("second", help="the second pass, e.g. data/gold/agreement/second-pass.jsonl")
    c.add_argument("first", nargs="+", help="first-pass standoff files (only shared documents count)")
    c.add_argument("--raw-dir", default="data/raw")
    c.add_argument("--json", help="also write the scores here")
    c.set_defaults(func=cmd_agreement)

    c = data.add_parser("consistency", help="surface strings labelled differently in different places")
    c.add_argument("files", nargs="+", help="record files, e.g. data/processed/gold_test.jsonl")
    c.set_defaults(func=cmd_consistency)

    c = data.add_parser("show", help="print one raw document by id, e.g. statedept/sd-245386")
    c.add_argument("id")
    c.add_argument("--raw-dir", default="data/raw")
    c.add_argument("--json", action="store_true", help="the whole record, not only its text")
    c.set_defaults(func=cmd_show)
    return p


if __name__ == "__main__":
    sys.exit(main())
