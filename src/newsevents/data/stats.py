"""Counts of documents, sentences and spans per label, per source, per split.

>>> from newsevents.schema import Record, Span
>>> rows = count({"train": [Record("a", "Seoul met Tokyo. Talks followed.", [Span(6, 9, "MEETING")], {"source": "x"})]})
>>> rows[0]["documents"], rows[0]["sentences"], rows[0]["MEETING"]
(1, 2, 1)
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsevents.data.build import SPLITS
from newsevents.schema import LABELS, Record, read_jsonl
from newsevents.text import split_sentences


# the splits ``newsevents data build`` writes besides train/dev/test when there are sources
OPTIONAL = ("ours_train", "ours_dev", "ours_test", "gold_dev", "gold_test", "contrast_train", "contrast_test", "mined_train")


def read_splits(files=(), folder: str | Path = "data/processed") -> dict[str, list[Record]]:
    """Records per file stem: ``files``, or else the built splits found in ``folder``."""
    default = [Path(folder) / f"{s}.jsonl" for s in SPLITS + OPTIONAL]
    files = files or [f for f in default if f.is_file() or f.stem in SPLITS]
    splits = {}
    for f in files:
        if not Path(f).is_file():
            raise FileNotFoundError(f"{f}: no such file (run `newsevents data build` first?)")
        splits[Path(f).stem] = read_jsonl(f)
    return splits


def count(splits: dict[str, list[Record]], labels=LABELS) -> list[dict]:
    """One row per (split, source) plus an ``all`` row per split, in split then source order.

    Each row: split, source, documents, sentences, one column per label, and ``labeled``: for each
    label, how many documents are annotated for it (the others count as unknown, not as zero)."""
    rows = []
    for split, records in splits.items():
        by_source: dict[str, list[Record]] = {}
        for r in records:
            by_source.setdefault(r.meta.get("source", "?"), []).append(r)
        for source in sorted(by_source):
            rows.append(_row(split, source, by_source[source], labels))
        if len(by_source) != 1:
            rows.append(_row(split, "all", records, labels))
    return rows


def format_table(rows: list[dict], labels=LABELS) -> str:
    """A plain-text table; a label column shows ``spans/docs-labeled`` when not every doc covers it."""
    head = ["split", "source", "docs", "sentences"] + list(labels)
    body = []
    for row in rows:
        cells = [row["split"], row["source"], str(row["documents"]), str(row["sentences"])]
        for label in labels:
            n, covered = row[label], row["labeled"][label]
            cells.append(str(n) if covered == row["documents"] else f"{n} ({covered} docs)")
        body.append(cells)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    line = lambda cells: "  ".join(c.rjust(w) if i >= 2 else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(c) for c in body])


def _row(split: str, source: str, records: list[Record], labels) -> dict:
    spans = Counter(s.label for r in records for s in r.spans)
    labeled = Counter(label for r in records for label in r.labeled)
    row = {
        "split": split,
        "source": source,
        "documents": len(records),
        "sentences": sum(len(split_sentences(r.text)) for r in records),
        "labeled": {label: labeled[label] for label in labels},
    }
    row.update({label: spans[label] for label in labels})
    return row
