"""Our own annotations of public documents, stored as standoff: offsets keyed by document id and the
sha256 of the text, never the text itself. The text is joined from the raw corpus at build time, and a
text that no longer hashes the same is an error, not a silent shift of every offset.

A standoff line::

    {"id": "m2e2/VOA_EN_NW_2016.04.19.3291980", "sha256": "…", "spans": [{"start": 0, "end": 5, "label": "ACTOR"}],
     "labeled": ["ACTOR", "DEPLOYMENT", "MEETING",
      "CONDEMNATION"], "annotator": "a1"}

Annotation round trip: ``export_markup`` writes documents as ``[surface](LABEL)`` markup (optionally
pre-annotated by a model) into a git-ignored work folder; a person corrects it; ``import_markup`` checks
that the text is unchanged and returns standoff lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from newsevents.data.contrast import parse_sentence_id
from newsevents.data.markup import header_ids, read_markup_file, to_markup
from newsevents.schema import LABELS, Record, Span, iter_jsonl
from newsevents.data.sources import read_source
from newsevents.data.sources.common import text_sha256


class GoldError(ValueError):
    """A standoff file that does not fit its raw text; the message names FILE:LINE."""


def raw_documents(ids: Iterable[str], raw_dir: str | Path) -> dict[str, Record]:
    """The raw records of the given ``<source>/<id>`` ids, read once per source; an id
    ``<source>/<id>#<start>-<end>`` is one sentence of a document (the contrast set, ``data.contrast``),
    cut from it with the document's source, licence and url and ``meta.doc``."""
    ids = set(ids)
    sentences = {sid: parse_sentence_id(sid) for sid in ids if "#" in sid}
    wanted = (ids - set(sentences)) | {doc for doc, _, _ in sentences.values()}
    out = {}
    for source in sorted({i.split("/", 1)[0] for i in wanted}):
        out.update({r.id: r for r in read_source(source, raw_dir) if r.id in wanted})
    missing = sorted(wanted - set(out))
    if missing:
        raise GoldError(f"documents not found under {raw_dir}: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    for sid, (doc, start, end) in sentences.items():
        raw = out[doc]
        if end > len(raw.text):
            raise ValueError(f"{sid}: past the end of {doc} ({len(raw.text)} chars): the corpus or its reader changed")
        meta = {k: raw.meta[k] for k in ("source", "licence", "url") if k in raw.meta}
        out[sid] = Record(id=sid, text=raw.text[start:end], meta={**meta, "doc": doc})
    return {i: r for i, r in out.items() if i in ids}


def export_markup(docs: Sequence[Record], predictions: Sequence[Sequence[Span]] | None = None) -> str:
    """``## id`` + markup for each document, pre-annotated with ``predictions`` when given."""
    parts = []
    for i, doc in enumerate(docs):
        spans = predictions[i] if predictions is not None else []
        parts.append(f"## {doc.id}\n{to_markup(doc.text, spans)}\n")
    return "\n".join(parts)


def import_markup(path: str | Path, docs: dict[str, Record], annotator: str) -> list[dict]:
    """Standoff lines from an annotated markup file; the text must be the raw text, unchanged."""
    out = []
    for rec in read_markup_file(path, {}):
        raw = docs.get(rec.id)
        if raw is None:
            raise GoldError(f"{path}: unknown document {rec.id!r}")
        if rec.text != raw.text.strip():
            at = next((i for i, (a, b) in enumerate(zip(rec.text, raw.text)) if a != b), min(len(rec.text), len(raw.text)))
            raise GoldError(f"{path}: {rec.id}: text differs from the raw document at char {at}: {rec.text[at:at + 30]!r} vs {raw.text[at:at + 30]!r}")
        lead = len(raw.text) - len(raw.text.lstrip())  # markup bodies are stripped; raw texts never start with space
        spans = [{"start": s.start + lead, "end": s.end + lead, "label": s.label} for s in rec.spans]
        out.append({"id": rec.id, "sha256": text_sha256(raw.text), "spans": spans, "labeled": list(LABELS), "annotator": annotator})
    return out


def import_files(files: Sequence[str | Path], raw_dir: str | Path, annotator: str) -> list[dict]:
    """``import_markup`` of each annotated markup file against the raw documents its headers name;
    the standoff lines of all files, sorted by id."""
    lines = []
    for f in files:
        lines += import_markup(f, raw_documents(header_ids(f), raw_dir), annotator)
    return sorted(lines, key=lambda x: x["id"])


def export_documents(ids: Sequence[str], raw_dir: str | Path, predict=None) -> str:
    """The markup of these raw documents, in this order, pre-annotated by ``predict`` (texts ->
    spans per text, e.g. ``Predictor.predict``) when given."""
    docs = raw_documents(ids, raw_dir)
    ordered = [docs[i] for i in ids]
    return export_markup(ordered, predict([d.text for d in ordered]) if predict else None)


def agreement_files(second: str | Path, first: Sequence[str | Path], raw_dir: str | Path) -> dict:
    """``agreement`` between first-pass standoff files and a second-pass file over their shared documents."""
    ids = {i for f in [*first, second] for i in gold_ids(f)}
    docs = raw_documents(ids, raw_dir)
    return agreement([r for f in first for r in load_gold(f, docs, split="?")], load_gold(second, docs, split="?"))


def load_gold(path: str | Path, docs: dict[str, Record], split: str) -> list[Record]:
    """Join standoff lines with their raw text; a hash mismatch or a bad line is a GoldError."""
    from newsevents.schema import check_record

    records = []
    for lineno, obj, error in iter_jsonl(path):
        where = f"{path}:{lineno}"
        if error:
            raise GoldError(f"{where}: {error}")
        raw = docs.get(obj.get("id"))
        if raw is None:
            raise GoldError(f"{where}: document {obj.get('id')!r} not found in the raw corpora")
        if text_sha256(raw.text) != obj.get("sha256"):
            raise GoldError(f"{where}: sha256 of {obj['id']} does not match its raw text: the corpus or its reader changed")
        meta = {**raw.meta, "labeled": obj["labeled"], "annotator": obj.get("annotator"), "gold": split}
        record = {"id": obj["id"], "text": raw.text, "spans": obj["spans"], "meta": meta}
        record.update({k: obj[k] for k in ("roles", "modality") if k in obj})  # standoff roles (guide, "Roles")
        problems = check_record(record)
        if problems:
            raise GoldError(f"{where}: {problems[0]}")
        records.append(Record.from_dict(record))
    return records


def gold_ids(path: str | Path) -> list[str]:
    """The document ids of a standoff file, without reading the raw corpus."""
    return [json.loads(line)["id"] for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def agreement(first: Sequence[Record], second: Sequence[Record], labels: Sequence[str] = LABELS) -> dict:
    """Per-label agreement F1 between two annotation passes of the same documents, with the project's
    scorer (F1 is symmetric: which pass plays "gold" does not change it). Only shared ids count.

    >>> a = [Record("d", "Seoul met Tokyo.", [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING")], {})]
    >>> b = [Record("d", "Seoul met Tokyo.", [Span(0, 5, "ACTOR")], {})]
    >>> agreement(a, b)["per_label"]["MEETING"]["f1"], agreement(a, b)["per_label"]["ACTOR"]["f1"]
    (0.0, 1.0)
    """
    from newsevents.metrics import span_scores

    by_id = {r.id: r for r in second}
    shared = [r for r in first if r.id in by_id]
    return span_scores(shared, [by_id[r.id].spans for r in shared], labels) | {"documents": len(shared)}
