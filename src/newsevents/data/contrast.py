"""Contrast sentences (issue 16) as ids and a selection table: no reading of text here.

A contrast record is one sentence, its id the document id plus the sentence's char range in the raw
document text, so that the text is rebuilt from the raw corpus like every other annotation of ours
(``gold.raw_documents`` cuts it out):

>>> sentence_id("statedept/123", 40, 95)
'statedept/123#40-95'
>>> parse_sentence_id("statedept/123#40-95")
('statedept/123', 40, 95)

``data/contrast/selection.tsv`` (written by ``scripts/select_contrast.py``) gives each sentence its
category and split; ``data/contrast/annotations/*.jsonl`` hold standoff lines like the gold set's.
The categories and the per-category report are the model side's: ``newsevents.contrast``.
"""

from __future__ import annotations

import re
from pathlib import Path

_ID = re.compile(r"^(.+)#(\d+)-(\d+)$")


def sentence_id(doc_id: str, start: int, end: int) -> str:
    return f"{doc_id}#{start}-{end}"


def parse_sentence_id(sid: str) -> tuple[str, int, int]:
    m = _ID.match(sid)
    if not m:
        raise ValueError(f"not a contrast sentence id (DOC#START-END): {sid!r}")
    return m.group(1), int(m.group(2)), int(m.group(3))


def read_selection(path: str | Path) -> dict[str, tuple[str, str]]:
    """Contrast sentence id -> (category, split), from ``selection.tsv``."""
    rows = Path(path).read_text(encoding="utf-8").splitlines()
    head = rows[0].split("\t")
    out = {}
    for line in rows[1:]:
        if line.strip():
            row = dict(zip(head, line.split("\t")))
            out[row["id"]] = (row["category"], row["split"])
    return out
