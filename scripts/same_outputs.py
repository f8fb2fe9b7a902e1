"""Show that a refactor changed no output (issue 17): build, evaluate and predict with the code of a
git ref and with the working tree, on the same raw corpora and the same run directory, and compare.

    python scripts/same_outputs.py --before 48abf00          # default run: models/starter
    python scripts/same_outputs.py --before main --run models/words-s13 --keep /tmp/same

Each side runs in its own tree (the ref in a temporary ``git worktree``) with ``PYTHONPATH`` on that
tree's ``src``, so each reads its own configs. What is compared, file by file (sha256):

- ``newsevents data build`` output (every split, data/processed layout) into a temporary folder;
- ``newsevents evaluate RUN`` on the built gold_test and contrast_test and on data/starter/test.jsonl:
  metrics.json, report.md, confusion.png, reliability.png; evaluate's predictions.jsonl is compared
  by its spans and scores only, since issue 17 gives it predict's format (``score`` on each span);
- ``newsevents predict RUN seeds/ data/starter/test.jsonl`` as jsonl, csv, html and table.

Prints one line per file (same / DIFFERENT) and exits 1 if any differs. Takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL_DATA = {"gold_test": "{out}/processed/gold_test.jsonl", "contrast_test": "{out}/processed/contrast_test.jsonl",
             "starter_test": "data/starter/test.jsonl"}
FORMATS = ("jsonl", "csv", "html", "table")


def run_side(tree: Path, out: Path, run: Path, raw: Path) -> None:
    """Every output of one tree's code into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cli = [sys.executable, "-m", "newsevents", "-q"]
    cfg = yaml.safe_load((tree / "configs/data/build.yaml").read_text(encoding="utf-8"))
    cfg.update(raw_dir=str(raw), out_dir=str(out / "processed"))
    (out / "build.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    sh = lambda *args: subprocess.run([*cli, *args], cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    sh("data", "build", "--config", str(out / "build.yaml"))
    for name, data in EVAL_DATA.items():
        sh("evaluate", str(run), data.format(out=out), "--out", str(out / "eval" / name), "--bootstrap", "200")
    for fmt in FORMATS:
        sh("predict", str(run), "seeds/", "data/starter/test.jsonl", "-o", str(out / f"predict.{fmt}"), "--format", fmt)


def fingerprint(out: Path) -> dict[str, str]:
    """sha256 of every output file; evaluate's predictions.jsonl by (id, spans with scores) only."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = str(path.relative_to(out))
        if not path.is_file() or rel == "build.yaml":
            continue
        data = _predictions(path) if path.name == "predictions.jsonl" else path.read_bytes()
        found[rel] = hashlib.sha256(data).hexdigest()
    return found


def _predictions(path: Path) -> bytes:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        scores = r.get("meta", {}).get("scores") or [s.get("score") for s in r["spans"]]  # before / after issue 17
        rows.append([r["id"], [[s["start"], s["end"], s["label"], sc] for s, sc in zip(r["spans"], scores)]])
    return json.dumps(rows).encode()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="the git ref of the code before the change")
    p.add_argument("--run", default="models/starter", help="the run directory both sides evaluate and predict with")
    p.add_argument("--raw", default="data/raw", help="the raw corpora (newsevents data fetch)")
    p.add_argument("--keep", help="write both sides' outputs here (default: a temporary folder, removed)")
    args = p.parse_args()
    run, raw = (ROOT / args.run).resolve(), (ROOT / args.raw).resolve()
    work = Path(args.keep or tempfile.mkdtemp(prefix="same-outputs-"))
    before_tree = work / "tree-before"
    subprocess.run(["git", "worktree", "add", "--detach", str(before_tree), args.before], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sides = {}
        for side, tree in (("before", before_tree), ("after", ROOT)):
            # Both sides write under the same path, since reports and plots name the data file they read.
            shared = work / "outputs"
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir(parents=True)
            run_side(tree, shared, run, raw)
            sides[side] = fingerprint(shared)
            shutil.rmtree(work / side, ignore_errors=True)
            shared.rename(work / side)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT, check=False)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    names = sorted(set(sides["before"]) | set(sides["after"]))
    bad = [n for n in names if sides["before"].get(n) != sides["after"].get(n)]
    for n in names:
        print(f"{'same' if n not in bad else 'DIFFERENT':10} {n}")
    print(f"{len(names) - len(bad)} of {len(names)} output files identical ({args.before} vs the working tree, run {args.run})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
