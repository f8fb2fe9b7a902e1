"""Print the README's tables from what `bash scripts/experiments.sh evaluate` wrote to models/results/.

Run as: python scripts/results_table.py [ablation|compare|all]   (default all)

ablation: newsevents trained on (a) the public sources' mapped labels, (b) our training corpus,
(c) both; each run's own dev macro F1 (checkpoint selection), gold dev macro F1 (the choice of the
default) and gold test per-label strict F1. compare: keyword and spaCy baselines beside newsevents,
trained on the same data, on gold test. Cells are mean +- std over seeds; the interval is the 95%
bootstrap interval over documents of each run's gold-test macro F1.
"""

import json
import statistics
import sys
from pathlib import Path

from newsevents.schema import LABELS

RESULTS = Path("models/results")
TRAIN = {
    "starter": "starter corpus",
    "ablation-sources": "(a) public sources' mapped labels + starter",
    "ablation-ours": "(b) our training corpus + starter",
    "ablation-both": "(c) both (sub-word decoding, before issue 15)",
    "words": "(c) both, whole words (**default**, issue 15)",  # bash scripts/experiments.sh words
    "hard-negatives": "(c) + the contrast set's train split (issue 16)",  # bash scripts/experiments.sh hard
    "hard-negatives-mined": "(c) + contrast train + mined hard negatives (issue 16)",  # bash scripts/experiments.sh mined
}


# a baseline's row names only its training data (decoding is newsevents' own)
DATA = {cfg: label.split(" (sub-word")[0].replace(", whole words", "").replace(" (**default**, issue 15)", "") for cfg, label in TRAIN.items()}


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


def per_label(ms: list[dict]) -> list[str]:
    return [cell([m["strict"]["per_label"][label]["f1"] for m in ms]) for label in LABELS]


def ablation() -> None:
    print(f"| trained on | runs | own dev macro | gold dev macro | {' | '.join(LABELS)} | gold test macro F1 | 95% interval per seed |")
    print("|---|---|---|---|" + "---|" * (len(LABELS) + 2))
    for cfg in ("ablation-sources", "ablation-ours", "ablation-both", "words", "hard-negatives", "hard-negatives-mined"):
        test, dev = runs("newsevents", cfg, "gold_test"), runs("newsevents", cfg, "gold_dev")
        if not test:
            continue
        own = cell([json.loads(Path(m["run_dir"], "metrics.json").read_text())["dev"]["macro_f1"] for m in test])
        ci = ", ".join(f"{m['macro_f1_ci95'][0]:.3f}–{m['macro_f1_ci95'][1]:.3f}" for m in test)
        gold_dev = cell([m["strict"]["macro"]["f1"] for m in dev]) if dev else "–"
        print(f"| {TRAIN[cfg]} | {len(test)} | {own} | {gold_dev} | {' | '.join(per_label(test))} | **{cell([m['strict']['macro']['f1'] for m in test])}** | {ci} |")


def compare(test: str = "gold_test") -> None:
    print(f"| model | trained on | runs | {' | '.join(LABELS)} | macro F1 |")
    print("|---|---|---|" + "---|" * (len(LABELS) + 1))
    for cfg in ("starter", "ablation-sources", "ablation-ours", "ablation-both", "words"):
        for kind in ("keyword", "spacy", "newsevents"):
            ms = runs(kind, cfg, test)
            if ms:
                print(f"| {kind} | {TRAIN[cfg] if kind == 'newsevents' else DATA[cfg]} | {len(ms)} | {' | '.join(per_label(ms))} | **{cell([m['strict']['macro']['f1'] for m in ms])}** |")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    if which in ("ablation", "all"):
        ablation()
        print()
    if which in ("compare", "all"):
        compare()
