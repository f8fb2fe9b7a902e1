"""How far a span's ``score`` can be trusted: reliability per label (the share of spans with a given
score that are right), expected calibration error, and per-label thresholds chosen on gold dev for
users who want precision (issue 16).

A predicted span is right when start, end and label equal a gold span's (the strict scorer); only
labels a record covers count. Calibration here is of precision: a span scored 0.9 should be right 9
times in 10. Missed spans have no score and are not in it (recall is the scorer's business).

>>> from newsevents.schema import Record, Span
>>> gold = [Record("a", "Seoul met Tokyo.", [Span(0, 5, "ACTOR")], {"labeled": ["ACTOR"]})]
>>> pred = [[Span(0, 5, "ACTOR", 0.95), Span(10, 15, "ACTOR", 0.55)]]
>>> rel = reliability(gold, pred, ["ACTOR"], bins=2)["ACTOR"]
>>> rel["spans"], rel["ece"]
(2, 0.25)
>>> choose_thresholds(gold, pred, ["ACTOR"])["ACTOR"]["threshold"]
0.95
>>> [[s.end for s in p] for p in apply_thresholds(pred, {"ACTOR": 0.9})]
[[5]]
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

from newsevents.metrics import scored
from newsevents.schema import Record

THRESHOLDS = "thresholds.json"  # in a run directory, written by `newsevents calibrate`


def _outcomes(records: Sequence[Record], scored_preds, labels: Sequence[str]) -> dict[str, list[tuple[float, bool]]]:
    """Per label: (score, right?) of every predicted span of a covered label; and the gold counts."""
    out: dict[str, list[tuple[float, bool]]] = {label: [] for label in labels}
    for record, pred in zip(records, scored_preds):
        gold, _ = scored(record, pred)
        for span in pred:
            if span.label in out and span.label in record.labeled:
                out[span.label].append((float(span.score), (span.start, span.end, span.label) in gold))
    return out


def reliability(records: Sequence[Record], scored_preds, labels: Sequence[str], bins: int = 10) -> dict:
    """Per label (and ``all``): equal-width score bins with their span count, mean score and share
    right, and the expected calibration error (the count-weighted mean gap between the two)."""
    outcomes = _outcomes(records, scored_preds, labels)
    outcomes["all"] = [o for label in labels for o in outcomes[label]]
    result = {}
    for label, pairs in outcomes.items():
        rows, gap = [], 0.0
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            inside = [(s, ok) for s, ok in pairs if lo <= s < hi or (b == bins - 1 and s == 1.0)]
            if inside:
                conf = sum(s for s, _ in inside) / len(inside)
                acc = sum(ok for _, ok in inside) / len(inside)
                gap += len(inside) * abs(acc - conf)
                rows.append({"lo": lo, "hi": hi, "spans": len(inside), "mean_score": round(conf, 4), "precision": round(acc, 4)})
        result[label] = {"spans": len(pairs), "ece": round(gap / len(pairs), 4) if pairs else None, "bins": rows}
    return result


def choose_thresholds(records: Sequence[Record], scored_preds, labels: Sequence[str],
                      target_precision: float | None = None) -> dict:
    """Per label, the score threshold (keep spans scoring at least it) that maximises strict F1 on
    these records, or with ``target_precision`` the lowest one whose precision reaches it (the most
    recall at that precision; the highest-precision threshold when none does). Choose on gold dev."""
    outcomes = _outcomes(records, scored_preds, labels)
    out = {}
    for label in labels:
        gold = sum(1 for r in records for triple in scored(r, [])[0] if triple[2] == label)
        pairs = sorted(outcomes[label], key=lambda p: -p[0])
        best, tp = None, 0
        for i, (score, ok) in enumerate(pairs):
            tp += ok
            if i + 1 < len(pairs) and pairs[i + 1][0] == score:
                continue  # a threshold keeps every span with the same score
            p, r = tp / (i + 1), tp / gold if gold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            row = {"threshold": score, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "spans": i + 1}
            if target_precision is None:
                better = best is None or f1 > best["f1"]
            else:
                reached = p >= target_precision
                better = best is None or (reached and (best["precision"] < target_precision or r >= best["recall"])) \
                    or (not reached and best["precision"] < target_precision and p > best["precision"])
            if better:
                best = row
        out[label] = best or {"threshold": 0.0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "spans": 0}
        out[label]["gold"] = gold
    return out


def apply_thresholds(scored_preds, thresholds: dict[str, float]):
    """Keep the spans whose score reaches their label's threshold (labels without one keep all)."""
    return [[s for s in pred if s.score >= thresholds.get(s.label, 0.0)] for pred in scored_preds]


def calibrate(run_dir: str | Path, data: str | Path, target_precision: float | None = None) -> dict:
    """Choose the run's per-label thresholds on ``data`` (gold dev: never a test file) and write them
    to ``RUN_DIR/thresholds.json``; ``predict --thresholds`` and ``evaluate --thresholds`` apply them."""
    from newsevents.predict import Predictor, check_run_dir
    from newsevents.safeio import write_text
    from newsevents.schema import read_jsonl

    if re.search(r"(^|[_.-])test([_.-]|$)", Path(data).stem):
        raise ValueError(f"{data}: thresholds are chosen on dev data (gold_dev.jsonl), never on a test split")
    if target_precision is not None and not 0 < target_precision <= 1:
        raise ValueError(f"--target-precision {target_precision}: a precision between 0 (excluded) and 1")
    records = read_jsonl(data)
    predictor = Predictor.from_run_dir(check_run_dir(run_dir))
    chosen = choose_thresholds(records, predictor.predict([r.text for r in records]), predictor.labels, target_precision)
    result = {"data": str(data), "documents": len(records), "target_precision": target_precision,
              "rule": "highest F1" if target_precision is None else f"most recall at precision >= {target_precision}",
              "labels": chosen}
    write_text(Path(run_dir) / THRESHOLDS, json.dumps(result, indent=1) + "\n")
    return result


def format_thresholds(result: dict) -> str:
    """``calibrate``'s result, one line per label: its threshold and the P/R/F1 it gives on the data."""
    return "\n".join(
        f"{label:<14} >= {v['threshold']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  gold {v['gold']}"
        for label, v in result["labels"].items())


def load_thresholds(run_dir: str | Path) -> dict[str, float]:
    """A run's chosen thresholds, label -> score (``newsevents calibrate`` writes them)."""
    path = Path(run_dir) / THRESHOLDS
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no thresholds in this run; choose them on gold dev with `newsevents calibrate {run_dir} data/processed/gold_dev.jsonl`")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {label: float(v["threshold"]) for label, v in data["labels"].items()}


def reliability_figure(rel: dict, title: str = ""):
    """One reliability diagram per label (a matplotlib figure): share of spans right against the
    mean score, per bin; the dashed diagonal is perfect calibration."""
    import matplotlib.pyplot as plt

    labels = list(rel)
    fig, axes = plt.subplots(1, len(labels), figsize=(3.2 * len(labels), 3.4), sharey=True, squeeze=False)
    for ax, label in zip(axes[0], labels):
        rows = rel[label]["bins"]
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
        ax.bar([r["lo"] for r in rows], [r["precision"] for r in rows], width=[r["hi"] - r["lo"] for r in rows],
               align="edge", alpha=0.6, edgecolor="black")
        ax.plot([r["mean_score"] for r in rows], [r["precision"] for r in rows], "o", color="C1", ms=3)
        ece = rel[label]["ece"]
        ax.set_title(f"{label}\n{rel[label]['spans']} spans, ECE {ece:.3f}" if ece is not None else label, fontsize=9)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("span score")
    axes[0][0].set_ylabel("share of spans right")
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_reliability(rel: dict, path: str | Path, title: str = "") -> None:
    """``reliability_figure`` written as a PNG (the path may be a temporary name without .png)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = reliability_figure(rel, title)
    fig.savefig(path, dpi=100, format="png")
    plt.close(fig)
