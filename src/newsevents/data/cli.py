"""The ``newsevents data ...`` commands: a parser and, per command, one call into the data package.

``add_commands(subparsers)`` is called by ``newsevents.cli``; each ``cmd_*`` prints what its library
function returns and gives the exit code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsevents.safeio import write_text


def cmd_validate(args) -> int:
    from newsevents.validate import validate_files

    problems = validate_files(args.files)
    for p in problems:
        print(p)
    sys.stdout.flush()  # the summary on stderr comes after the problem lines
    n = len(args.files)
    print(f"{len(problems)} problem(s) in {n} file(s)" if problems else f"ok: {n} file(s), no problems", file=sys.stderr)
    return 1 if problems else 0


def cmd_fetch(args) -> int:
    from newsevents.data.fetch import fetch_all

    results = fetch_all(args.dest, args.mirror, args.manifest)
    for r in results:
        if not r.ok or args.verbose:
            print(f"{r.status:10s} {r.path}  {r.detail}".rstrip())
    bad = [r for r in results if not r.ok]
    print(f"{len(results) - len(bad)} of {len(results)} file(s) in {args.dest}, sha256 checked", file=sys.stderr)
    return 1 if bad else 0


def cmd_build(args) -> int:
    from newsevents.data.build import BuildConfig, build_all

    cfg = BuildConfig.load(args.config)
    if args.sources is not None:
        cfg.sources = [s for s in args.sources if s != "starter"]
    for path in build_all(cfg).values():
        print(f"wrote {path}")
    return 0


def cmd_stats(args) -> int:
    from newsevents.data.stats import count, format_table, read_splits

    rows = count(read_splits(args.files, args.dir))
    print(json.dumps(rows, indent=1) if args.json else format_table(rows))
    return 0


def cmd_starter(args) -> int:
    from newsevents.data.build import write_starter

    for path, n in write_starter(args.source_dir, args.out_dir).values():
        print(f"wrote {path} ({n} items)")
    return 0


def cmd_gold_export(args) -> int:
    from newsevents.data.build import read_selection
    from newsevents.data.gold import export_documents

    ids = args.ids or list(read_selection(args.selection))
    predict = None
    if args.run:
        from newsevents.predict import Predictor

        predict = Predictor.from_run_dir(args.run).predict
    text = export_documents(ids, args.raw_dir, predict)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, text, overwrite=args.overwrite)  # markup may hold hand annotation
    print(f"wrote {args.out} ({len(ids)} documents{', pre-annotated by ' + args.run if args.run else ''})")
    return 0


def cmd_gold_import(args) -> int:
    from newsevents.data.gold import import_files

    lines = import_files(args.files, args.raw_dir, args.annotator)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), args.files)
    print(f"wrote {args.out} ({len(lines)} documents, {sum(len(x['spans']) for x in lines)} spans)")
    return 0


def cmd_agreement(args) -> int:
    from newsevents.data.gold import agreement_files

    result = agreement_files(args.second, args.first, args.raw_dir)
    print(f"agreement over {result['documents']} documents (strict span F1, first pass as reference)")
    for name, v in list(result["per_label"].items()) + [("micro", result["micro"]), ("macro", result["macro"])]:
        print(f"{name:<14} F1 {v['f1']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  spans {v['support']}")
    if args.json:
        write_text(args.json, json.dumps(result, indent=1) + "\n", [args.second, *args.first])
    return 0


def cmd_consistency(args) -> int:
    from newsevents.data.consistency import inconsistencies
    from newsevents.schema import read_jsonl

    for row in inconsistencies([r for f in args.files for r in read_jsonl(f)]):
        labels = ", ".join(f"{k} {v}" for k, v in sorted(row["labels"].items(), key=lambda kv: -kv[1]))
        examples = "; ".join(f"{k}: {' '.join(v)}" for k, v in row["examples"].items())
        print(f"{row['surface']!r:28} {labels:40} {examples}")
    return 0


def cmd_show(args) -> int:
    from newsevents.data.sources import find_document

    r = find_document(args.id, args.raw_dir)
    print(json.dumps(r.to_dict(), ensure_ascii=False, indent=1) if args.json else r.text)
    return 0


def add_commands(sub) -> None:
    """Add ``data`` and its subcommands to the top-level parser's subparsers."""
    from newsevents.data.fetch import MANIFEST
    from newsevents.data.roles_cli import add_commands as add_role_commands
    from newsevents.data.sources import SOURCES

    data = sub.add_parser("data", help="validate, fetch, build and count data").add_subparsers(title="data commands")

    c = data.add_parser("validate", help="check JSONL records; prints FILE:LINE: problem")
    c.add_argument("files", nargs="+")
    c.set_defaults(func=cmd_validate)

    c = data.add_parser("fetch", help="get the raw corpora into data/raw (download, or copy from --mirror)")
    c.add_argument("--mirror", help="a directory laid out like data/raw, e.g. ../shared/data/raw")
    c.add_argument("--dest", default="data/raw")
    c.add_argument("--manifest", default=str(MANIFEST))
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

    add_role_commands(data)

    c = data.add_parser("consistency", help="surface strings labelled differently in different places")
    c.add_argument("files", nargs="+", help="record files, e.g. data/processed/gold_test.jsonl")
    c.set_defaults(func=cmd_consistency)

    c = data.add_parser("show", help="print one raw document by id, e.g. statedept/sd-245386")
    c.add_argument("id")
    c.add_argument("--raw-dir", default="data/raw")
    c.add_argument("--json", action="store_true", help="the whole record, not only its text")
    c.set_defaults(func=cmd_show)
