"""Print the README's results table from what `bash scripts/experiments.sh evaluate` wrote.

Run as: python scripts/results_table.py [TEST_NAME]   (default gold_test; or test = the starter test split)

Rows: keyword baseline (deterministic: one run), spaCy (3 seeds), newsevents (3 seeds), each trained on
the starter corpus and on the full built corpus. Cells are strict span F1, mean +- std over seeds.
"""

import json
import statistics
import sys
from pathlib import Path

RESULTS = Path("models/results")
LABELS = ["ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION"]
TRAIN = {"starter": "starter corpus", "base": "full build (default config)"}


def runs(kind: str, cfg: str, test: str) -> list[dict]:
    """The per-run metrics of one table row."""
    if kind == "newsevents":
        paths = sorted((RESULTS / cfg / test).glob(f"{cfg}-s*/metrics.json"))
    elif kind == "keyword":
        paths = [RESULTS / f"keyword-{cfg}" / test / "metrics.json"]
    else:
        paths = sorted(RESULTS.glob(f"spacy-{cfg}-s*/{test}/metrics.json"))
    return [json.loads(p.read_text()) for p in paths if p.is_file()]


def cell(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.fmean(values):.3f} ± {statistics.stdev(values):.3f}"


def main(test: str = "gold_test") -> None:
    print(f"| model | trained on | runs | {' | '.join(LABELS)} | macro F1 |")
    print("|---|---|---|" + "---|" * (len(LABELS) + 1))
    for cfg in ("starter", "base"):
        for kind in ("keyword", "spacy", "newsevents"):
            ms = runs(kind, cfg, test)
            if not ms:
                continue
            per = [cell([m["strict"]["per_label"][label]["f1"] for m in ms]) for label in LABELS]
            macro = cell([m["strict"]["macro"]["f1"] for m in ms])
            print(f"| {kind} | {TRAIN[cfg]} | {len(ms)} | {' | '.join(per)} | **{macro}** |")


if __name__ == "__main__":
    main(*sys.argv[1:])
