"""Prediction output: records with scored spans, event records, and the jsonl/csv/html/table formats.

A predicted record is the project's record format plus, per span, ``score`` and ``text``
(``text == record["text"][start:end]``), and ``tokens_total`` / ``tokens_read`` (the tokens of the
text, and those that a window reached: equal, since long articles are read in overlapping windows
and never truncated; they are counted separately so that a reader can check it).

An event record is made for each DEPLOYMENT, MEETING and CONDEMNATION span: its type, trigger,
sentence offsets, and the ACTOR spans of the same sentence split into those before the trigger
(candidate source) and after it (candidate target).

>>> from newsevents.schema import Record, Span
>>> spans = [Span(0, 5, "ACTOR", .9), Span(6, 15, "CONDEMNATION", .8), Span(16, 21, "ACTOR", .7)]
>>> rec = predicted_record(Record("d1", "Seoul condemned Tokyo.", spans), tokens=(5, 5))
>>> [(e["type"], e["trigger"], e["actors_before"][0]["text"], e["actors_after"][0]["text"]) for e in rec["events"]]
[('CONDEMNATION', 'condemned', 'Seoul', 'Tokyo')]

``predict`` and ``evaluate`` (its ``predictions.jsonl``) both write records made here; ``render``
turns them into any of the formats.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Sequence

from newsevents.schema import Record, Span
from newsevents.text import sentence_of, split_sentences

EVENT_LABELS = ("DEPLOYMENT", "MEETING", "CONDEMNATION")
COLOURS = {"ACTOR": "#cfe2ff", "DEPLOYMENT": "#ffd6a5", "MEETING": "#caffbf", "CONDEMNATION": "#ffadad"}
CSV_FIELDS = ["article_id", "type", "trigger", "start", "end", "score", "sentence_start", "sentence_end", "source_actors", "target_actors"]


def predicted_record(record: Record, tokens: tuple[int, int] | None = None) -> dict:
    """The output record of one article whose ``spans`` are predictions (each with its score);
    ``tokens`` is ``(tokens_total, tokens_read)`` from ``Predictor.predict(..., return_tokens=True)``,
    None for a tagger without tokens (the baselines)."""
    items = [s.to_dict(record.text) for s in sorted(record.spans)]
    counts = {"tokens_total": tokens[0], "tokens_read": tokens[1]} if tokens else {}
    return {"id": record.id, "text": record.text, "spans": items, "events": events(record.text, items),
            "meta": {**record.meta, **counts}}


def predicted_records(records: Sequence[Record], preds: Sequence[Sequence[Span]], tokens=None) -> list[dict]:
    """``predicted_record`` of each record with its predicted spans (and token counts)."""
    return [predicted_record(Record(r.id, r.text, list(p), r.meta), tokens[i] if tokens else None)
            for i, (r, p) in enumerate(zip(records, preds))]


def predict_articles(predictor, articles: Sequence[dict], thresholds: dict[str, float] | None = None,
                     progress: bool = False) -> tuple[list[dict], int]:
    """Predicted records of articles (``inputs.read_inputs``' dicts: id, text, meta) by a
    ``Predictor``, leaving out spans under per-label ``thresholds`` when given; returns the records
    and how many spans were left out."""
    spans, tokens = predictor.predict([a["text"] for a in articles], return_tokens=True, progress=progress)
    left_out = 0
    if thresholds is not None:
        from newsevents.calibration import apply_thresholds

        kept = apply_thresholds(spans, thresholds)
        left_out, spans = sum(map(len, spans)) - sum(map(len, kept)), kept
    return predicted_records([Record(a["id"], a["text"], [], a["meta"]) for a in articles], spans, tokens), left_out


def render(records: Sequence[dict], fmt: str) -> str:
    """Predicted records as ``jsonl``, ``csv`` (one event a row), ``html`` or ``table``."""
    writers = {"jsonl": to_jsonl, "csv": to_csv, "html": to_html, "table": to_table}
    if fmt not in writers:
        raise ValueError(f"format must be one of {sorted(writers)}, not {fmt!r}")
    return writers[fmt](records)


def infer_format(path: str | None, n: int, terminal: bool) -> str:
    """The format of ``-o path``'s suffix; with no path, a table for one article on a terminal, else jsonl."""
    suffix = Path(path).suffix.lstrip(".") if path else ""
    if suffix in ("csv", "html", "jsonl"):
        return suffix
    return "table" if path is None and n == 1 and terminal else "jsonl"


def events(text: str, spans: list[dict]) -> list[dict]:
    out = []
    sentences = split_sentences(text)
    for e in (s for s in spans if s["label"] in EVENT_LABELS):
        s0, s1 = sentence_of(sentences, e["start"], len(text))
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
        read = f", {r['meta']['tokens_read']}/{r['meta']['tokens_total']} tokens read" if "tokens_total" in r["meta"] else ""
        lines.append(f"# {r['id']}  ({len(r['spans'])} spans{read})")
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
