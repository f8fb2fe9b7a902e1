"""``evaluate(run_dir, data) -> metrics``: strict per-label P/R/F1 of a run on held-out records, with
seqeval beside it, a bootstrap confidence interval, scores per source, a span-level confusion matrix,
the calibration of span scores and the worst errors in context; on contrast data (records with
``meta.category``) the false alarms per category. Writes ``metrics.json``, ``report.md``,
``predictions.jsonl``, ``confusion.png`` and ``reliability.png`` to the output directory.

The returned dict has the keys ``data``, ``run_dir``, ``documents``, ``strict`` (the headline:
``per_label``, ``micro``, ``macro``), ``seqeval_strict``, ``seqeval_lenient``, ``macro_f1_ci95``,
``per_source``, ``confusion`` (``labels`` and ``matrix``), ``calibration`` (``calibration.reliability``),
``errors``, and ``contrast`` (``contrast.report``) and ``thresholds`` when they apply.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Sequence

from newsevents import calibration, contrast, output
from newsevents.linking import positional_roles
from newsevents.metrics import role_scores, scored, scores_from_counts, seqeval_scores, span_counts, span_scores
from newsevents.predict import Predictor, RunDirError, check_run_dir
from newsevents.safeio import atomic_path, write_text
from newsevents.schema import LABELS, Record, RecordError, Span, read_jsonl
from newsevents.text import inside_word, sentence_of, split_sentences

MISSED, SPURIOUS = "missed", "spurious"


def evaluate(run_dir: str | Path, data: str | Path, out_dir: str | Path | None = None, n_bootstrap: int = 1000,
             windows: str | None = None, precision: str = "fp32", thresholds: bool = False) -> dict:
    """Predict ``data`` with the run and score it; see the module docstring for what is returned.
    ``windows`` and ``precision`` are ``Predictor.from_run_dir``'s: the F1 of a faster reading;
    ``thresholds`` drops spans under the run's ``thresholds.json`` first (``newsevents calibrate``)."""
    out = Path(out_dir) if out_dir else Path(run_dir) / "eval" / Path(data).stem
    check_out_dir(out)
    records = read_jsonl(data, labels=None)  # any label: a schema mismatch is reported below, clearly
    if not records:
        raise RecordError(f"{data}: no records to evaluate")
    predictor = Predictor.from_run_dir(check_run_dir(run_dir), windows=windows, precision=precision)
    _check_labels(records, predictor.labels, run_dir, data)
    cut = calibration.load_thresholds(run_dir) if thresholds else None
    preds, tokens = predictor.predict([r.text for r in records], return_tokens=True)
    if thresholds:
        preds = calibration.apply_thresholds(preds, cut)
    metrics = score(records, preds, predictor.labels, n_bootstrap)
    metrics.update(data=str(data), run_dir=str(run_dir), windows=predictor.windows, precision=predictor.precision)
    metrics["calibration"] = calibration.reliability(records, preds, predictor.labels)
    if thresholds:
        metrics["thresholds"] = cut
    metrics["errors"] = worst_errors(records, preds)
    if any(r.roles is not None for r in records):
        metrics["roles"] = role_report(records, preds)
    write_outputs(out, metrics, output.predicted_records(records, preds, tokens))
    return metrics


def role_report(records: Sequence[Record], preds: Sequence[Sequence[Span]]) -> dict:
    """Role scores (``metrics.role_scores``) of the positional rule, the baseline: on the gold spans
    (the linking alone) and on the predicted spans (end to end), over the records annotated for roles."""
    on_pred = [Record(r.id, r.text, list(p), r.meta) for r, p in zip(records, preds)]
    return {"documents": sum(r.roles is not None for r in records),
            "positional_given_gold_spans": role_scores(records, [positional_roles(r) for r in records]),
            "positional_end_to_end": role_scores(records, [positional_roles(r) for r in on_pred])}


def score_file(gold_path: str | Path, pred_path: str | Path, n_bootstrap: int = 1000) -> dict:
    """Score a predictions file (e.g. ``newsevents predict``'s JSONL) against gold records. A
    prediction belongs to the gold record with its id, or else with exactly its text; a gold record
    without one, or with a different text, is an error naming both files."""
    gold, pred = read_jsonl(gold_path), read_jsonl(pred_path)
    if not gold:
        raise RecordError(f"{gold_path}: no records to score")
    by_id, by_text = {r.id: r for r in pred}, {r.text: r for r in pred}
    matched = {r.id: by_id.get(r.id) if r.id in by_id else by_text.get(r.text) for r in gold}
    missing = [i for i, p in matched.items() if p is None]
    if missing:
        raise RecordError(f"{pred_path}: no prediction for {len(missing)} gold record(s), e.g. {missing[0]!r}")
    for r in gold:
        if matched[r.id].text != r.text:
            raise RecordError(f"{pred_path}: record {r.id!r} has a different text than in {gold_path}")
    found = {s.label for r in gold for s in r.spans} | {x for r in gold for x in r.labeled}
    labels = sorted(found, key=lambda x: (LABELS.index(x) if x in LABELS else len(LABELS), x))
    return score(gold, [matched[r.id].spans for r in gold], labels, n_bootstrap=n_bootstrap)


def score(records: Sequence[Record], preds: Sequence[Sequence[Span]], labels: Sequence[str], n_bootstrap: int = 1000) -> dict:
    """Every score of the report from gold records and predicted spans (no model needed)."""
    if not records:
        raise ValueError("no records to score")
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_source.setdefault(r.meta.get("source", "?"), []).append(i)
    extra = {"contrast": contrast.report(records, preds, labels)} if any("category" in r.meta for r in records) else {}
    return extra | {
        "documents": len(records),
        "strict": span_scores(records, preds, labels),
        "spans_inside_word": sum(len(inside_word(r.text, p)) for r, p in zip(records, preds)),  # 0 from our decoder
        "seqeval_strict": seqeval_scores(records, preds, strict=True),
        "seqeval_lenient": seqeval_scores(records, preds, strict=False),
        "macro_f1_ci95": bootstrap_macro_f1(records, preds, labels, n_bootstrap),
        "per_source": {
            src: span_scores([records[i] for i in idx], [preds[i] for i in idx], labels) for src, idx in sorted(by_source.items())
        },
        "confusion": confusion(records, preds, labels),
    }


def bootstrap_macro_f1(records, preds, labels, n: int = 1000, seed: int = 0) -> list[float] | None:
    """95% percentile interval of macro strict F1, resampling documents with replacement (None when
    not computed: no records or n = 0)."""
    if not records or n <= 0:
        return None
    per_doc = [span_counts([r], [p], labels) for r, p in zip(records, preds)]
    rng = random.Random(seed)
    values = []
    for _ in range(n):
        total = {label: Counter() for label in labels}
        for i in rng.choices(range(len(records)), k=len(records)):
            for label in labels:
                total[label] += per_doc[i][label]
        for label in labels:  # Counter addition drops zeros; keep the keys
            total[label] = Counter({"tp": total[label]["tp"], "fp": total[label]["fp"], "fn": total[label]["fn"]})
        values.append(scores_from_counts(total)["macro"]["f1"])
    values.sort()
    return [values[int(0.025 * (n - 1))], values[int(0.975 * (n - 1))]]


def confusion(records, preds, labels) -> dict:
    """Span-level confusion over labels plus "missed" (gold with no prediction at the same offsets) and
    "spurious" (prediction with no gold at the same offsets). Rows are gold, columns predicted."""
    from sklearn.metrics import confusion_matrix

    names = list(labels) + [MISSED, SPURIOUS]
    y_true, y_pred = [], []
    for r, p in zip(records, preds):
        g, q = scored(r, p)
        gold_at = {(s, e): lab for s, e, lab in g}
        pred_at = {(s, e): lab for s, e, lab in q}
        for where, lab in gold_at.items():
            y_true.append(lab)
            y_pred.append(pred_at.get(where, MISSED))
        for where, lab in pred_at.items():
            if where not in gold_at:
                y_true.append(SPURIOUS)
                y_pred.append(lab)
    matrix = confusion_matrix(y_true, y_pred, labels=names).tolist() if y_true else [[0] * len(names) for _ in names]
    return {"labels": names, "matrix": matrix}


def worst_errors(records, preds, k: int = 10) -> dict:
    """The k most confident false positives and k false negatives (in document order), in context."""
    fps, fns = [], []
    for r, p in zip(records, preds):
        g, _ = scored(r, p)
        covered = set(r.labeled)
        for span in p:
            if span.label in covered and (span.start, span.end, span.label) not in g:
                fps.append(_error(r, span))
        predicted = {(s.start, s.end, s.label) for s in p}
        for start, end, label in sorted(g - predicted):
            fns.append(_error(r, Span(start, end, label)))
    fps.sort(key=lambda e: -e["score"])
    return {"false_positives": fps[:k], "false_negatives": fns[:k]}


def mean_std(results: Sequence[dict], labels: Sequence[str]) -> dict:
    """Mean and (sample) standard deviation of per-label, micro and macro strict F1 across runs."""
    import statistics

    def agg(values):
        return {"mean": statistics.fmean(values), "std": statistics.stdev(values) if len(values) > 1 else 0.0}

    out = {label: agg([m["strict"]["per_label"][label]["f1"] for m in results]) for label in labels}
    out["micro"] = agg([m["strict"]["micro"]["f1"] for m in results])
    out["macro"] = agg([m["strict"]["macro"]["f1"] for m in results])
    return {"runs": [m["run_dir"] for m in results], "f1": out}


def summarise(results: Sequence[dict], out_dir: str | Path | None = None) -> dict:
    """``mean_std`` over several runs' metrics on the same data, written to ``out_dir/summary.json``
    when given."""
    summary = mean_std(results, list(results[0]["strict"]["per_label"]))
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        write_text(Path(out_dir) / "summary.json", json.dumps(summary, indent=1) + "\n")
    return summary


def format_summary(summary: dict) -> str:
    """One line per label: mean +- std of F1 over the runs of ``summarise``."""
    n = len(summary["runs"])
    return "\n".join(f"{name:<14} F1 {v['mean']:.3f} +- {v['std']:.3f}  ({n} runs)" for name, v in summary["f1"].items())


# --- outputs -------------------------------------------------------------------------------------


def format_table(metrics: dict) -> str:
    """Per-label strict P/R/F1/support, micro and macro, with lenient F1 beside them."""
    strict, lenient = metrics["strict"], metrics["seqeval_lenient"]
    lines = [f"{'label':<14}{'P':>7}{'R':>7}{'F1':>7}{'lenient F1':>12}{'support':>9}"]
    rows = list(strict["per_label"].items()) + [("micro", strict["micro"]), ("macro", strict["macro"])]
    for name, v in rows:
        len_f1 = (lenient[name] if name in ("micro", "macro") else lenient["per_label"].get(name, {})).get("f1", 0.0)
        lines.append(f"{name:<14}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{len_f1:>12.3f}{v['support']:>9}")
    if metrics["macro_f1_ci95"]:
        lo, hi = metrics["macro_f1_ci95"]
        lines.append(f"macro F1 95% CI (bootstrap over {metrics['documents']} documents): [{lo:.3f}, {hi:.3f}]")
    if "spans_inside_word" in metrics:  # absent from metrics.json files written before words were the unit
        lines.append(f"predicted spans starting or ending inside a word: {metrics['spans_inside_word']}")
    if metrics.get("calibration"):
        eces = ", ".join(f"{k} {v['ece']:.3f}" for k, v in metrics["calibration"].items() if v["ece"] is not None)
        lines.append(f"expected calibration error of span scores (10 bins): {eces}")
    if metrics.get("thresholds"):
        lines.append("spans under the run's thresholds left out: " + ", ".join(f"{k} < {v:.3f}" for k, v in metrics["thresholds"].items()))
    if metrics.get("roles"):
        r = metrics["roles"]
        lines.append(f"roles, positional rule (the baseline), {r['documents']} documents: macro F1 over event types "
                     f"{r['positional_given_gold_spans']['macro']['f1']:.3f} given gold spans, {r['positional_end_to_end']['macro']['f1']:.3f} end to end")
    if "contrast" in metrics:
        lines.append("\n" + contrast.format_report(metrics["contrast"]))
    return "\n".join(lines)


OUTPUTS = ("metrics.json", "predictions.jsonl", "confusion.png", "reliability.png", "report.md")


def check_out_dir(out: Path) -> None:
    """Refuse an output directory whose files of our names were not written by an evaluation
    (judged by its ``metrics.json``), so that ``--out`` never replaces someone's report.md."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: is a file; --out takes a directory")
    clash = [name for name in OUTPUTS if (out / name).exists()]
    if not clash:
        return
    try:
        ours = "strict" in json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ours = False
    if not ours:
        raise ValueError(f"{out}: holds {', '.join(clash)} that no evaluation wrote; choose another --out")


def write_outputs(out: Path, metrics: dict, predicted: Sequence[dict]) -> None:
    """metrics.json, predictions.jsonl (``output.predicted_record``s: predict's format), confusion.png,
    reliability.png and report.md, each written atomically."""
    check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "metrics.json", json.dumps(metrics, indent=1, ensure_ascii=False) + "\n")
    write_text(out / "predictions.jsonl", output.to_jsonl(predicted))
    with atomic_path(out / "confusion.png") as tmp:
        _plot_confusion(metrics["confusion"], tmp)
    if metrics.get("calibration"):
        with atomic_path(out / "reliability.png") as tmp:
            calibration.plot_reliability(metrics["calibration"], tmp, f"{metrics.get('run_dir', '')} on {metrics.get('data', '')}")
    write_text(out / "report.md", _report(metrics))


def _report(m: dict) -> str:
    conf = m["confusion"]
    head = "| gold \\ predicted | " + " | ".join(conf["labels"]) + " |\n|---" * (len(conf["labels"]) + 1) + "|\n"
    body = "".join(f"| {g} | " + " | ".join(map(str, row)) + " |\n" for g, row in zip(conf["labels"], conf["matrix"]))
    src = "".join(f"| {s} | {v['macro']['f1']:.3f} | {v['micro']['f1']:.3f} | {v['micro']['support']} |\n" for s, v in m["per_source"].items())
    errs = lambda key: "".join(f"- `{e['label']}` {e['id']}: {e['context']}\n" for e in m["errors"][key]) or "- none\n"
    return f"""# Evaluation of `{m['run_dir']}` on `{m['data']}`

{m['documents']} documents; strict span matching (start, end and label must all agree).

```
{format_table(m)}
```

Predicted spans that start or end inside a word: {m['spans_inside_word']}.
seqeval strict IOB2 on the same words (`text.words`; it scores the emitted spans exactly when none splits a word):
macro F1 {m['seqeval_strict']['macro']['f1']:.3f}, micro F1 {m['seqeval_strict']['micro']['f1']:.3f}.

## Calibration of span scores

{_calibration_section(m)}
## Per source

| source | macro F1 | micro F1 | gold spans |
|---|---|---|---|
{src}
## Span confusion (rows gold, columns predicted)

{head}{body}
![confusion](confusion.png)

## Most confident false positives

{errs('false_positives')}
## False negatives

{errs('false_negatives')}"""


def _calibration_section(m: dict) -> str:
    cal = m.get("calibration")
    if not cal:
        return "Not measured (scores without a model).\n"
    rows = "".join(f"| {k} | {v['spans']} | {'' if v['ece'] is None else format(v['ece'], '.3f')} |\n" for k, v in cal.items())
    return ("The share of predicted spans that are right, per score bin (`calibration.reliability`); the expected "
            "calibration error is the span-weighted mean gap between score and that share.\n\n"
            f"| label | predicted spans | ECE |\n|---|---|---|\n{rows}\n![reliability](reliability.png)\n")


def _plot_confusion(conf: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay(np.array(conf["matrix"]), display_labels=conf["labels"]).plot(ax=ax, colorbar=False, xticks_rotation=45)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    fig.tight_layout()
    fig.savefig(path, dpi=100, format="png")  # the path may be a temporary name without .png
    plt.close(fig)


def _error(r: Record, span: Span) -> dict:
    s, e = sentence_of(split_sentences(r.text), span.start, len(r.text))
    context = r.text[s : span.start] + "**" + r.text[span.start : span.end] + "**" + r.text[span.end : e]
    return {"id": r.id, "label": span.label, "start": span.start, "end": span.end, "score": span.score, "context": context.replace("\n", " ")}


def _check_labels(records, labels, run_dir, data) -> None:
    found = {s.label for r in records for s in r.spans} | {x for r in records for x in r.labeled}
    extra = sorted(found - set(labels))
    if extra:
        raise RunDirError(f"{data}: labels {extra} are not in the labels of run {run_dir} ({list(labels)})")
