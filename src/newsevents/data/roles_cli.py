"""The ``newsevents data roles-*`` commands (issue 18): export a role worksheet, import it filled in,
and the agreement of two role passes; each command one call into ``newsevents.data.roles``.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsevents.safeio import write_text

GOLD = ["data/processed/gold_dev.jsonl", "data/processed/gold_test.jsonl"]


def _records_by_id(files) -> dict:
    from newsevents.schema import read_jsonl

    return {r.id: r for f in files for r in read_jsonl(f)}


def cmd_roles_export(args) -> int:
    from newsevents.data.roles import worksheet

    records = _records_by_id(args.records)
    missing = [i for i in args.ids if i not in records]
    if missing:
        raise ValueError(f"{missing[0]}: not in {', '.join(args.records)}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, worksheet([records[i] for i in args.ids or sorted(records)]), overwrite=args.overwrite)
    print(f"wrote {args.out} ({len(args.ids or records)} documents)")
    return 0


def cmd_roles_import(args) -> int:
    from newsevents.data.roles import read_worksheet

    records = _records_by_id(args.records)
    lines = [x for f in args.files for x in read_worksheet(Path(f).read_text(encoding="utf-8"), records, args.annotator, f)]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in sorted(lines, key=lambda x: x["id"])), args.files)
    print(f"wrote {args.out} ({len(lines)} documents, {sum(len(x['roles']) for x in lines)} roles)")
    return 0


def cmd_roles_agreement(args) -> int:
    from newsevents.data.roles import agreement
    from newsevents.schema import iter_jsonl

    load = lambda f: [obj for _, obj, error in iter_jsonl(f) if not error]  # noqa: E731
    result = agreement([x for f in args.first for x in load(f)], load(args.second), _records_by_id(args.records))
    print(f"role agreement over {result['documents']} documents (strict (event, role, actor) F1, first pass as reference)")
    rows = list(result["per_role"].items()) + list(result["per_event"].items()) + [("micro", result["micro"]), ("macro over events", result["macro"])]
    for name, v in rows:
        print(f"{name:<24} F1 {v['f1']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  links {v['support']}")
    if args.json:
        write_text(args.json, json.dumps(result, indent=1) + "\n", [args.second, *args.first])
    return 0


def add_commands(data) -> None:
    """Add the roles-* commands to the ``data`` subparsers."""
    c = data.add_parser("roles-export", help="a role worksheet: each event with its nearby actors, numbered, to fill in")
    c.add_argument("ids", nargs="*", help="document ids (default: every record in --records)")
    c.add_argument("--records", nargs="+", default=GOLD, help="records with their spans (default: the built gold set)")
    c.add_argument("--out", required=True, help="e.g. data/work/roles/batch-1.md")
    c.add_argument("--overwrite", action="store_true", help="replace an existing worksheet (it may hold annotation)")
    c.set_defaults(func=cmd_roles_export)

    c = data.add_parser("roles-import", help="filled-in role worksheets -> standoff roles JSONL (offsets + sha256)")
    c.add_argument("files", nargs="+")
    c.add_argument("--annotator", required=True)
    c.add_argument("--records", nargs="+", default=GOLD)
    c.add_argument("--out", required=True, help="e.g. data/gold/roles/batch-1.jsonl")
    c.set_defaults(func=cmd_roles_import)

    c = data.add_parser("roles-agreement", help="role F1 between two independent role passes")
    c.add_argument("second", help="the second pass, e.g. data/gold/agreement/roles-second-pass.jsonl")
    c.add_argument("first", nargs="+", help="first-pass role files (only shared documents count)")
    c.add_argument("--records", nargs="+", default=GOLD)
    c.add_argument("--json", help="also write the scores here")
    c.set_defaults(func=cmd_roles_agreement)
