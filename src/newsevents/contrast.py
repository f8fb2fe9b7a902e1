"""The contrast set: single sentences of official text that look like our events but are not (and some
that are), one category each, annotated exhaustively for all four labels (issue 16).

A contrast record is one sentence (its id and selection table: ``newsevents.data.contrast``).

``report`` scores predictions per category: a *false alarm* of a label is a sentence where the model
emits a span of that label that matches no gold span (so a real event tagged right is no alarm):

>>> gold = [Record("a", "Seoul threatened Tokyo.", [Span(0, 5, "ACTOR"), Span(17, 22, "ACTOR")],
...                {"category": "threat", "labeled": ["ACTOR", "CONDEMNATION"]})]
>>> r = report(gold, [[Span(0, 5, "ACTOR"), Span(6, 16, "CONDEMNATION")]], ["ACTOR", "CONDEMNATION"])
>>> r["categories"]["threat"]["false_alarm"]["CONDEMNATION"], r["categories"]["threat"]["ACTOR"]["recall"]
(1.0, 0.5)

"""

from __future__ import annotations

from typing import Sequence

from newsevents.metrics import scored, span_scores
from newsevents.schema import Record, Span

# category -> what its sentences look like; the order is the report's (README, data/README.md)
CATEGORIES = {
    "threat": "threats and threatening",
    "warning": "warnings",
    "demand": "demands, calls and urging",
    "rejection": "rejections and denials",
    "protest": "civilian protests, strikes and rallies",
    "judicial": "judicial and police acts: charged, indicted, sentenced, arrested",
    "apology": "apologies and regrets",
    "withdrawal": "withdrawals, retreats and pull-outs",
    "exercise": "military exercises and drills",
    "training": "training",
    "arms": "arms shipments, deliveries and security assistance",
    "call_letter": "phone calls and letters",
    "press": "press conferences and briefings",
    "planned_meeting": "planned, postponed or cancelled meetings and visits",
    "actor_recipient": "countries and organisations as recipients of aid, sanctions or support",
    "actor_list": "countries and organisations in lists",
    "actor_place": "countries and cities as places",
    "actor_ngo": "NGOs, civil society, companies and universities",
    "actor_person": "persons with and without office",
}
# the acceptance of issue 16 reads these groups of categories
THREAT_LIKE = ("threat", "protest", "judicial", "apology")          # CONDEMNATION false alarms <= 10%
MOVE_LIKE = ("withdrawal", "exercise", "training", "arms")           # DEPLOYMENT false alarms <= 10%
RECIPIENT_LIKE = ("actor_recipient", "actor_list")                   # ACTOR recall >= 0.90

def report(records: Sequence[Record], preds: Sequence[Sequence[Span]], labels: Sequence[str]) -> dict:
    """Per category (records' ``meta.category``): sentences, gold spans per label, the false-alarm
    rate of each event label, ACTOR precision/recall/F1; and the issue-16 acceptance figures."""
    by_cat: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_cat.setdefault(r.meta.get("category", "?"), []).append(i)
    order = [c for c in CATEGORIES if c in by_cat] + sorted(set(by_cat) - set(CATEGORIES))
    events = [label for label in labels if label != "ACTOR"]
    cats = {}
    for cat in order:
        idx = by_cat[cat]
        alarms = {label: 0 for label in events}
        gold_spans = {label: 0 for label in labels}
        for i in idx:
            g, _ = scored(records[i], preds[i])
            for label in labels:
                gold_spans[label] += sum(t[2] == label for t in g)
            for label in events:
                alarms[label] += _false_alarm(records[i], preds[i], label)
        row = {"sentences": len(idx), "gold_spans": gold_spans,
               "false_alarm": {label: round(alarms[label] / len(idx), 4) for label in events}}
        if "ACTOR" in labels:
            row["ACTOR"] = _actor_scores(records, preds, idx)
        cats[cat] = row
    return {"sentences": len(records), "categories": cats, "acceptance": _acceptance(records, preds, by_cat)}


def _false_alarm(record: Record, pred: Sequence[Span], label: str) -> bool:
    g, p = scored(record, pred)
    return any(t[2] == label for t in p - g)


def _actor_scores(records, preds, idx) -> dict:
    only = lambda spans: [s for s in spans if s.label == "ACTOR"]
    gold = [Record(records[i].id, records[i].text, only(records[i].spans), {"labeled": [x for x in records[i].labeled if x == "ACTOR"]}) for i in idx]
    return span_scores(gold, [only(preds[i]) for i in idx], ["ACTOR"])["per_label"]["ACTOR"]


def _acceptance(records, preds, by_cat) -> dict:
    """The three figures issue 16 asks for, over the categories it names (those present)."""
    def rate(cats, label):
        idx = [i for c in cats for i in by_cat.get(c, [])]
        if not idx:
            return None
        return round(sum(_false_alarm(records[i], preds[i], label) for i in idx) / len(idx), 4)

    idx = [i for c in RECIPIENT_LIKE for i in by_cat.get(c, [])]
    actor = _actor_scores(records, preds, idx) if idx else None
    return {
        "condemnation_false_alarm_max": max((v for v in (rate([c], "CONDEMNATION") for c in THREAT_LIKE) if v is not None), default=None),
        "deployment_false_alarm_max": max((v for v in (rate([c], "DEPLOYMENT") for c in MOVE_LIKE) if v is not None), default=None),
        "actor_recall_recipients_lists": actor["recall"] if actor else None,
    }


def format_report(rep: dict) -> str:
    """The per-category table ``newsevents evaluate`` prints for contrast data."""
    cats = rep["categories"]
    events = list(next(iter(cats.values()))["false_alarm"]) if cats else []
    short = {"DEPLOYMENT": "DEPL", "MEETING": "MEET", "CONDEMNATION": "COND"}
    head = f"{'category':<16}{'sents':>6}" + "".join(f"{'FA ' + short.get(e, e[:4]):>9}" for e in events) + f"{'ACTOR P':>9}{'ACTOR R':>9}{'actors':>8}"
    lines = [head]
    for cat, row in cats.items():
        a = row.get("ACTOR", {"precision": 0.0, "recall": 0.0, "support": 0})
        lines.append(f"{cat:<16}{row['sentences']:>6}" + "".join(f"{row['false_alarm'][e]:>9.3f}" for e in events)
                     + f"{a['precision']:>9.3f}{a['recall']:>9.3f}{a['support']:>8}")
    acc = rep["acceptance"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"
    lines.append("FA: share of sentences with a false span of the label. Issue 16 asks: CONDEMNATION FA on "
                 f"{'/'.join(THREAT_LIKE)} <= 0.10 (worst {fmt(acc['condemnation_false_alarm_max'])}); DEPLOYMENT FA on "
                 f"{'/'.join(MOVE_LIKE)} <= 0.10 (worst {fmt(acc['deployment_false_alarm_max'])}); ACTOR recall on "
                 f"{'/'.join(RECIPIENT_LIKE)} >= 0.90 ({fmt(acc['actor_recall_recipients_lists'])})")
    return "\n".join(lines)
