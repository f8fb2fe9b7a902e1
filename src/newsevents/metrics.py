"""The one scorer: strict span matching on char offsets, per label, micro and macro; seqeval beside it.

A predicted span counts only if its start, end and label equal a gold span's. On each record only
the labels it covers (``meta.labeled``) are scored: gold and predicted spans of other labels are
ignored there.

>>> from newsevents.schema import Record, Span
>>> gold = [Record("a", "Seoul met Tokyo.", [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING")], {"labeled": ["ACTOR", "MEETING"]})]
>>> s = span_scores(gold, [[Span(0, 5, "ACTOR"), Span(10, 15, "ACTOR")]], ["ACTOR", "MEETING"])
>>> s["per_label"]["ACTOR"]["precision"], s["per_label"]["MEETING"]["recall"], s["micro"]["f1"]
(0.5, 0.0, 0.5)
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Sequence

from newsevents.bio import MisalignedSpanWarning, spans_to_bio
from newsevents.schema import Record, Span
from newsevents.text import words


def scored(gold: Record, pred: Sequence[Span]) -> tuple[set, set]:
    """The gold and predicted ``(start, end, label)`` triples of one record, restricted to its covered labels."""
    covered = set(gold.labeled)
    g = {(s.start, s.end, s.label) for s in gold.spans if s.label in covered}
    p = {(s.start, s.end, s.label) for s in pred if s.label in covered}
    return g, p


def span_counts(gold: Sequence[Record], pred: Sequence[Sequence[Span]], labels: Sequence[str]) -> dict[str, Counter]:
    """True positives, false positives and false negatives per label."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold records but {len(pred)} predictions")
    counts = {label: Counter(tp=0, fp=0, fn=0) for label in labels}
    for record, spans in zip(gold, pred):
        g, p = scored(record, spans)
        for triple in g & p:
            counts[triple[2]]["tp"] += 1
        for triple in p - g:
            counts[triple[2]]["fp"] += 1
        for triple in g - p:
            counts[triple[2]]["fn"] += 1
    return counts


def scores_from_counts(counts: dict[str, Counter]) -> dict:
    """``{"per_label": {label: {precision, recall, f1, support}}, "micro": {...}, "macro": {...}}``.

    Macro averages the per-label scores of labels with gold support or predictions, as seqeval does.
    """
    per_label = {label: _prf(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()}
    total = sum(counts.values(), Counter())
    active = [v for label, v in per_label.items() if counts[label]["tp"] + counts[label]["fp"] + counts[label]["fn"]]
    macro = {k: (sum(v[k] for v in active) / len(active) if active else 0.0) for k in ("precision", "recall", "f1")}
    macro["support"] = total["tp"] + total["fn"]
    return {"per_label": per_label, "micro": _prf(total["tp"], total["fp"], total["fn"]), "macro": macro}


def span_scores(gold: Sequence[Record], pred: Sequence[Sequence[Span]], labels: Sequence[str]) -> dict:
    return scores_from_counts(span_counts(gold, pred, labels))


# --- roles: strict on (event span, role, actor) ----------------------------------------------------


def role_scores(gold: Sequence[Record], pred: Sequence[Sequence]) -> dict:
    """Role links scored strictly: a predicted ``schema.Role`` counts only if its event offsets, role
    and actor (offsets or ``author``) equal a gold one's. Only records annotated for roles
    (``roles`` not None) count. ``per_role`` is keyed "EVENT ROLE"; ``per_event`` pools the roles of
    each event type; ``macro`` averages ``per_event`` (the issue-18 headline), ``micro`` pools all.

    >>> from newsevents.schema import Role
    >>> g = Record("a", "Seoul met Tokyo.", [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING"), Span(10, 15, "ACTOR")],
    ...            roles=[Role((6, 9), "PARTICIPANT", (0, 5)), Role((6, 9), "PARTICIPANT", (10, 15))])
    >>> s = role_scores([g], [[Role((6, 9), "PARTICIPANT", (0, 5)), Role((6, 9), "SOURCE", (10, 15))]])
    >>> s["per_event"]["MEETING"]["f1"], s["per_role"]["MEETING SOURCE"]["precision"]
    (0.5, 0.0)
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold records but {len(pred)} role predictions")
    per_role: dict[str, Counter] = {}
    for record, links in zip(gold, pred):
        if record.roles is None:
            continue
        label = {(s.start, s.end): s.label for s in record.spans}
        g = {(r.event, r.role, r.actor) for r in record.roles}
        p = {(r.event, r.role, r.actor) for r in links}
        for key in g | p:
            c = per_role.setdefault(f"{label.get(key[0], '?')} {key[1]}", Counter(tp=0, fp=0, fn=0))
            c["tp" if key in g and key in p else "fn" if key in g else "fp"] += 1
    per_event: dict[str, Counter] = {}
    for name, c in per_role.items():
        per_event.setdefault(name.split()[0], Counter(tp=0, fp=0, fn=0)).update(c)
    by_event = scores_from_counts(dict(sorted(per_event.items())))
    return {"per_role": scores_from_counts(dict(sorted(per_role.items())))["per_label"], "per_event": by_event["per_label"],
            "micro": by_event["micro"], "macro": by_event["macro"]}


# --- seqeval on word-level tags ------------------------------------------------------------------


def word_tags(record: Record, spans: Sequence[Span]) -> list[str]:
    """IOB2 tags over the record's words (``text.words``, the words spans are made of), for the
    covered labels only. Spans of whole words are tagged exactly as they are, so seqeval scores the
    emitted spans; a span that splits a word (only from outside predictions: ``text.inside_word``
    counts them) is widened to the word."""
    covered = set(record.labeled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MisalignedSpanWarning)
        return spans_to_bio(words(record.text), [s for s in spans if s.label in covered])


def seqeval_scores(gold: Sequence[Record], pred: Sequence[Sequence[Span]], strict: bool = True) -> dict:
    """seqeval's report on word-level tags: strict IOB2 mode, or its default (lenient) mode."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    y_true = [word_tags(r, r.spans) for r in gold]
    y_pred = [word_tags(r, p) for r, p in zip(gold, pred)]
    kwargs = {"mode": "strict", "scheme": IOB2} if strict else {}
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0, **kwargs)
    per_label = {k: _rename(v) for k, v in report.items() if not k.endswith(" avg")}
    return {"per_label": per_label, "micro": _rename(report["micro avg"]), "macro": _rename(report["macro avg"])}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def _rename(d: dict) -> dict:
    return {"precision": d["precision"], "recall": d["recall"], "f1": d["f1-score"], "support": int(d["support"])}
