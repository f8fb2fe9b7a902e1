"""The one record format for gold data and predictions: JSONL, one article a line, char-offset spans.

A record looks like this (offsets are Python ``str`` indices, end-exclusive)::

    {"id": "seed-0001", "text": "South Korea summoned the envoy.",
     "spans": [{"start": 0, "end": 11, "label": "ACTOR"}, {"start": 12, "end": 20, "label": "MEETING"}],
     "meta": {"source": "starter", "licence": "CC0-1.0", "labeled": ["ACTOR", "MEETING"]}}

``meta.labeled`` lists the labels the record is annotated for *exhaustively*; for any other label a
missing span means "unknown", not "O".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

LABELS = ("ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION")
REQUIRED_META = ("source", "licence", "labeled")


@dataclass(frozen=True, order=True)
class Span:
    """A labelled char range: ``text[start:end]`` is the surface string.

    >>> Span(0, 11, "ACTOR").surface("South Korea summoned the envoy.")
    'South Korea'
    """

    start: int
    end: int
    label: str

    def surface(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Record:
    """One article: id, text, spans sorted by offset, and meta (source, licence, labeled, ...)."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def labeled(self) -> list[str]:
        """Labels annotated exhaustively in this record (all of LABELS when meta says nothing)."""
        return list(self.meta.get("labeled", LABELS))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "spans": [asdict(s) for s in sorted(self.spans)],
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Record":
        spans = [Span(int(s["start"]), int(s["end"]), str(s["label"])) for s in d.get("spans", [])]
        return cls(id=str(d["id"]), text=d["text"], spans=sorted(spans), meta=dict(d.get("meta", {})))


class RecordError(ValueError):
    """A record that cannot be read; the message names ``FILE:LINE``."""


# --- reading and writing -------------------------------------------------------------------------


def dumps(record: Record) -> str:
    """One JSONL line, keys in a fixed order so that rebuilt files are byte-identical."""
    return json.dumps(record.to_dict(), ensure_ascii=False)


def write_jsonl(records: Iterable[Record], path: str | Path) -> int:
    """Write records one a line, atomically (a failed write leaves the old file); returns how many."""
    from newsevents.safeio import atomic_path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(dumps(record) + "\n")
            n += 1
    return n


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """Yield ``(line_number, parsed_dict, error)`` for each non-blank line; never raises on bad JSON.
    A path that is missing or not a file raises RecordError naming it."""
    path = Path(path)
    if not path.exists():
        raise RecordError(f"{path}: no such file")
    if path.is_dir():
        raise RecordError(f"{path}: is a directory, not a JSONL file")
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield lineno, None, f"not UTF-8 ({e.reason} at byte {e.start})"
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield lineno, None, f"bad JSON: {e.msg} at character {e.pos}"
                continue
            except RecursionError:
                yield lineno, None, "bad JSON: nested too deeply to read"
                continue
            if not isinstance(obj, dict):
                yield lineno, None, f"bad JSON: expected an object, got {type(obj).__name__}"
                continue
            yield lineno, obj, None


def read_jsonl(path: str | Path, labels: Iterable[str] | None = LABELS) -> list[Record]:
    """Read and validate a JSONL file; raise RecordError naming FILE:LINE on the first problem.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.jsonl")
    >>> _ = open(p, "w").write('{"id": "a", "text": "Seoul met Tokyo.", "spans": [], "meta": {}}\\n')
    >>> [r.id for r in read_jsonl(p)]
    ['a']
    """
    from newsevents.validate import check_record  # validation rules live in one place

    records, seen = [], set()
    for lineno, obj, error in iter_jsonl(path):
        problems = [error] if error else check_record(obj, labels, require_meta=False)
        if not problems and obj["id"] in seen:
            problems = [f"duplicate id {obj['id']!r}"]
        if problems:
            raise RecordError(f"{path}:{lineno}: {problems[0]}")
        seen.add(obj["id"])
        records.append(Record.from_dict(obj))
    return records
