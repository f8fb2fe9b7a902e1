"""Prediction output: records with scored spans, event records, and the jsonl/csv/html/table formats.

A predicted record is the project's record format plus, per span, ``score`` and ``text``
(``text == record["text"][start:end]``), and ``tokens_total`` / ``tokens_read`` (the tokens of the
text, and those that a window reached: equal, since long articles are read in overlapping windows
and never truncated; they are counted separately so that a reader can check it).

An event record is made for each DEPLOYMENT, MEETING and CONDEMNATION span: its type, trigger,
sentence offsets, and the ACTOR spans of the same sentence split into those before the trigger
(candidate source) and after it (candidate target).

>>> from newsevents.schema import Span
>>> rec = predicted_record("d1", "Seoul condemned Tokyo.", [(Span(0, 5, "ACTOR"), .9), (Span(6, 15, "CONDEMNATION"), .8), (Span(16, 21, "ACTOR"), .7)], 5, 5)
>>> [(e["type"], e["trigger"], e["actors_before"][0]["text"], e["actors_after"][0]["text"]) for e in rec["events"]]
[('CONDEMNATION', 'condemned', 'Seoul', 'Tokyo')]
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Sequence

from newsevents.schema import Span
from newsevents.text import split_sentences

EVENT_LABELS = ("DEPLOYMENT", "MEETING", "CONDEMNATION")
COLOURS = {"ACTOR": "#cfe2ff", "DEPLOYMENT": "#ffd6a5", "MEETING": "#caffbf", "CONDEMNATION": "#ffadad"}
CSV_FIELDS = ["article_id", "type", "trigger", "start", "end", "score", "sentence_start", "sentence_end", "source_actors", "target_actors"]


def predicted_record(rid: str, text: str, spans: Sequence[tuple[Span, float]], tokens_total: int, tokens_read: int,
                     meta: dict | None = None) -> dict:
    """The output record of one article; ``tokens_read`` counts the tokens a window reached
    (``Predictor.predict(..., return_tokens=True)``)."""
    items = [{"start": s.start, "end": s.end, "label": s.label, "score": sc, "text": text[s.start : s.end]} for s, sc in spans]
    return {
        "id": rid,
        "text": text,
        "spans": items,
        "events": events(text, items),
        "meta": {**(meta or {}), "tokens_total": tokens_total, "tokens_read": tokens_read},
    }


def events(text: str, spans: list[dict]) -> list[dict]:
    out = []
    sentences = split_sentences(text)
    for e in (s for s in spans if s["label"] in EVENT_LABELS):
        s0, s1 = next(((a, b) for a, b in sentences if a <= e["start"] < b), (0, len(text)))
        actors = [a for a in spans if a["label"] == "ACTOR" and s0 <= a["start"] < s1]
        out.append(
            {
                "type": e["label"], "trigger": e["text"], "start": e["start"], "end": e["end"], "score": e["score"],
                "sentence_start": s0, "sentence_end": s1,
                "actors_before": [a for a in actors if a["end"] <= e["start"]],
                "actors_after": [a for a in actors if a["start"] >= e["end"]],
            }
        )
    return out


# --- formats -------------------------------------------------------------------------------------


def to_jsonl(records: Sequence[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_csv(records: Sequence[dict]) -> str:
    """One event a row, the shape of political-event datasets."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    for r in records:
        for e in r["events"]:
            w.writerow({
                "article_id": r["id"], "type": e["type"], "trigger": e["trigger"], "start": e["start"], "end": e["end"],
                "score": e["score"], "sentence_start": e["sentence_start"], "sentence_end": e["sentence_end"],
                "source_actors": "; ".join(a["text"] for a in e["actors_before"]),
                "target_actors": "; ".join(a["text"] for a in e["actors_after"]),
            })
    return buf.getvalue()


def to_table(records: Sequence[dict]) -> str:
    """A readable terminal table: one span a line, with its score."""
    lines = []
    for r in records:
        lines.append(f"# {r['id']}  ({len(r['spans'])} spans, {r['meta']['tokens_read']}/{r['meta']['tokens_total']} tokens read)")
        lines.append(f"{'label':<14}{'score':>6}  {'start':>6} {'end':>6}  text")
        lines += [f"{s['label']:<14}{s['score']:>6.2f}  {s['start']:>6} {s['end']:>6}  {s['text']}" for s in r["spans"]]
    return "\n".join(lines) + "\n"


def to_html(records: Sequence[dict]) -> str:
    """One self-contained page: each article with its spans highlighted by label, and a legend."""
    legend = " ".join(f'<span class="{k}">{k}</span>' for k in COLOURS)
    style = "".join(f".{k}{{background:{c};padding:0 2px;border-radius:3px}}" for k, c in COLOURS.items())
    body = "".join(_article_html(r) for r in records)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>newsevents predictions</title>"
        f"<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.6}}{style}"
        "article{white-space:pre-wrap;border-top:1px solid #ccc;padding-top:1em}</style></head><body>"
        f"<h1>newsevents predictions</h1><p class=\"legend\">{legend}</p>{body}</body></html>\n"
    )


def _article_html(r: dict) -> str:
    parts, pos, text = [], 0, r["text"]
    for s in r["spans"]:
        parts.append(html.escape(text[pos : s["start"]]))
        title = f"{s['label']} {s['score']:.2f}"
        parts.append(f'<mark class="{s["label"]}" title="{title}">{html.escape(s["text"])}</mark>')
        pos = s["end"]
    parts.append(html.escape(text[pos:]))
    return f"<h2>{html.escape(r['id'])}</h2><article>{''.join(parts)}</article>"
