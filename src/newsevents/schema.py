"""The one record format for gold data and predictions: JSONL, one article a line, char-offset spans.

A record looks like this (offsets are Python ``str`` indices, end-exclusive)::

    {"id": "seed-0001", "text": "South Korea summoned the envoy.",
     "spans": [{"start": 0, "end": 11, "label": "ACTOR"}, {"start": 12, "end": 20, "label": "MEETING"}],
     "meta": {"source": "starter", "licence": "CC0-1.0", "labeled": ["ACTOR", "MEETING"]}}

``meta.labeled`` lists the labels the record is annotated for *exhaustively*; for any other label a
missing span means "unknown", not "O". A record may also carry ``roles`` (who did what to whom: each
links an event span to an ACTOR span, or to the document's ``author``) and ``modality`` (events that
are negated or hypothetical); a record with ``roles`` is annotated for roles exhaustively (guide,
"Roles"). Both are standoff by span offsets::

    "roles": [{"event": [12, 20], "role": "SOURCE", "actor": [0, 11]}],
    "modality": [{"event": [12, 20], "value": "hypothetical"}]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

LABELS = ("ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION")
REQUIRED_META = ("source", "licence", "labeled")
# the roles each event label has (guide, decision 73); a MEETING has participants or a direction
ROLES = {"DEPLOYMENT": ("SOURCE", "TARGET"), "MEETING": ("PARTICIPANT", "SOURCE", "TARGET"), "CONDEMNATION": ("SOURCE", "TARGET")}
MODALITIES = ("negated", "hypothetical")  # an event with no modality entry is asserted (decision 77)
AUTHOR = "author"  # the filler of a role played by the document's issuer (decision 75)


@dataclass(frozen=True, order=True)
class Span:
    """A labelled char range: ``text[start:end]`` is the surface string. A predicted span carries the
    model's ``score`` in [0, 1]; gold spans have none. The score is not part of equality, so a
    prediction equals the gold span at the same offsets with the same label.

    >>> Span(0, 11, "ACTOR").surface("South Korea summoned the envoy.")
    'South Korea'
    >>> Span(0, 11, "ACTOR", score=0.93) == Span(0, 11, "ACTOR"), Span(0, 11, "ACTOR", score=0.93)
    (True, Span(start=0, end=11, label='ACTOR', score=0.93))
    """

    start: int
    end: int
    label: str
    score: float | None = field(default=None, compare=False)

    def surface(self, text: str) -> str:
        return text[self.start : self.end]

    def __repr__(self) -> str:  # a gold span prints as it always did
        tail = "" if self.score is None else f", score={self.score!r}"
        return f"Span(start={self.start!r}, end={self.end!r}, label={self.label!r}{tail})"

    def to_dict(self, text: str | None = None) -> dict:
        """The JSONL form: start, end, label, and ``score`` (and the surface ``text``, when the
        record's text is given) for a prediction.

        >>> Span(0, 5, "ACTOR", 0.9).to_dict("Seoul met Tokyo.")
        {'start': 0, 'end': 5, 'label': 'ACTOR', 'score': 0.9, 'text': 'Seoul'}
        """
        d = {"start": self.start, "end": self.end, "label": self.label}
        if self.score is not None:
            d["score"] = self.score
            if text is not None:
                d["text"] = text[self.start : self.end]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        score = d.get("score")
        return cls(int(d["start"]), int(d["end"]), str(d["label"]), None if score is None else float(score))


@dataclass(frozen=True)
class Role:
    """One role link: the event span's offsets, the role, and the ACTOR span's offsets (or ``AUTHOR``).

    >>> Role.from_dict({"event": [12, 20], "role": "SOURCE", "actor": [0, 11]})
    Role(event=(12, 20), role='SOURCE', actor=(0, 11))
    >>> Role((12, 20), "SOURCE", AUTHOR).to_dict()
    {'event': [12, 20], 'role': 'SOURCE', 'actor': 'author'}
    """

    event: tuple[int, int]
    role: str
    actor: tuple[int, int] | str

    def to_dict(self) -> dict:
        return {"event": list(self.event), "role": self.role, "actor": self.actor if isinstance(self.actor, str) else list(self.actor)}

    @classmethod
    def from_dict(cls, d: dict) -> "Role":
        actor = d["actor"] if isinstance(d["actor"], str) else tuple(d["actor"])
        return cls(tuple(d["event"]), str(d["role"]), actor)


@dataclass
class Record:
    """One article: id, text, spans sorted by offset, and meta (source, licence, labeled, ...); ``roles``
    (None: not annotated for roles) and ``modality`` (event offsets -> "negated" or "hypothetical")."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    roles: list[Role] | None = None
    modality: dict = field(default_factory=dict)

    @property
    def labeled(self) -> list[str]:
        """Labels annotated exhaustively in this record (all of LABELS when meta says nothing)."""
        return list(self.meta.get("labeled", LABELS))

    def to_dict(self) -> dict:
        d = {"id": self.id, "text": self.text, "spans": [s.to_dict(self.text) for s in sorted(self.spans)]}
        if self.roles is not None:  # only then: a record without roles is written as it always was
            d["roles"] = [r.to_dict() for r in self.roles]
        if self.modality:
            d["modality"] = [{"event": list(k), "value": v} for k, v in sorted(self.modality.items())]
        d["meta"] = self.meta
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Record":
        spans = [Span.from_dict(s) for s in d.get("spans", [])]
        roles = [Role.from_dict(r) for r in d["roles"]] if d.get("roles") is not None else None
        modality = {tuple(m["event"]): m["value"] for m in d.get("modality", [])}
        return cls(id=str(d["id"]), text=d["text"], spans=sorted(spans), meta=dict(d.get("meta", {})), roles=roles, modality=modality)


class RecordError(ValueError):
    """A record that cannot be read; the message names ``FILE:LINE``."""


# --- the rules one record must follow (validate.validate_files applies them to whole files) --------


def check_record(obj: dict, labels: Iterable[str] | None = LABELS, require_meta: bool = True) -> list[str]:
    """Return the problems of one parsed JSON object (empty when it is a valid record).
    ``labels=None`` accepts any label string (the caller checks the schema itself)."""
    labels = tuple(labels) if labels is not None else None
    problems = []
    for key in ("id", "text", "spans") + (("meta",) if require_meta else ()):
        if key not in obj:
            problems.append(f"missing field {key!r}")
    if problems:
        return problems
    if not isinstance(obj["id"], str) or not obj["id"]:
        problems.append("field 'id' must be a non-empty string")
    text = obj["text"]
    if not isinstance(text, str):
        return problems + ["field 'text' must be a string"]
    if not text.strip():
        problems.append("empty text")
    problems += [p for p in [text_problem(text)] if p]
    problems += _check_meta(obj.get("meta", {}), labels, require_meta)
    if not isinstance(obj["spans"], list):
        return problems + ["field 'spans' must be a list"]
    problems += _check_spans(obj["spans"], text, labels)
    if "roles" in obj or "modality" in obj:
        problems += _check_roles(obj.get("roles") or [], obj.get("modality") or [], obj["spans"])
    return problems


def text_problem(text: str) -> str | None:
    """What makes a string unusable as article text beyond emptiness: JSON may carry lone UTF-16
    surrogates (``"\\ud800"``), which no tokenizer and no UTF-8 file can hold.

    >>> text_problem("Seoul"), text_problem("Seoul " + chr(0xD800))
    (None, 'text is not valid Unicode: a lone surrogate at character 6')
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return f"text is not valid Unicode: a lone surrogate at character {e.start}"
    return None


def _check_meta(meta, labels: tuple, require_meta: bool) -> list[str]:
    if not isinstance(meta, dict):
        return ["field 'meta' must be an object"]
    problems = []
    if require_meta:
        problems += [f"missing field 'meta.{k}'" for k in REQUIRED_META if k not in meta]
    labeled = meta.get("labeled", [])
    if not isinstance(labeled, list):
        problems.append("field 'meta.labeled' must be a list of labels")
    else:
        problems += [f"meta.labeled has unknown label {x!r}" for x in labeled if labels is not None and x not in labels]
    return problems


def _check_spans(spans: list, text: str, labels: tuple) -> list[str]:
    problems, good = [], []
    for i, s in enumerate(spans):
        if not isinstance(s, dict) or not {"start", "end", "label"} <= s.keys():
            problems.append(f"span {i} must have 'start', 'end' and 'label'")
            continue
        start, end, label = s["start"], s["end"], s["label"]
        if not (type(start) is int and type(end) is int):
            problems.append(f"span {i} offsets must be integers, got {start!r}, {end!r}")
            continue
        where = f"span {i} ({start}, {end})"
        score = s.get("score")
        if score is not None and not (type(score) in (int, float) and 0 <= score <= 1):
            problems.append(f"{where} has score {score!r}: a score is a number in [0, 1]")
        if labels is not None and label not in labels:
            problems.append(f"{where} has label {label!r} not in the schema {list(labels)}")
        if end <= start:
            problems.append(f"{where} has end <= start")
        elif start < 0 or end > len(text):
            problems.append(f"{where} is out of range: text has {len(text)} characters")
        else:
            surface = text[start:end]
            if surface != surface.strip():
                problems.append(f"{where} {surface!r} starts or ends with whitespace")
            good.append((start, end, i))
    good.sort()
    for (s1, e1, i1), (s2, e2, i2) in zip(good, good[1:]):
        if s2 < e1:
            problems.append(f"span {i2} ({s2}, {e2}) overlaps span {i1} ({s1}, {e1})")
    return problems


def _check_roles(roles, modality, spans: list) -> list[str]:
    """Every role points at an event span and an ACTOR span (or the author) and is one its event
    type has (guide, decisions 73-77); every modality entry points at an event span.

    >>> spans = [{"start": 0, "end": 5, "label": "ACTOR"}, {"start": 6, "end": 15, "label": "CONDEMNATION"}]
    >>> _check_roles([{"event": [6, 15], "role": "PARTICIPANT", "actor": [0, 5]}], [], spans)
    ['role 0: CONDEMNATION has no role PARTICIPANT (it has SOURCE, TARGET)']
    >>> _check_roles([{"event": [6, 15], "role": "SOURCE", "actor": [0, 4]}], [], spans)
    ['role 0: actor [0, 4] is not an ACTOR span']
    """
    if not isinstance(roles, list) or not isinstance(modality, list):
        return ["fields 'roles' and 'modality' must be lists"]
    by_offsets = {(s.get("start"), s.get("end")): s.get("label") for s in spans if isinstance(s, dict)}
    problems, seen, meeting_kinds = [], set(), {}

    def pair(x) -> tuple | None:  # [start, end] of ints, else None (never a crash on a bad line)
        return tuple(x) if isinstance(x, list) and len(x) == 2 and all(type(v) is int for v in x) else None

    def event_label(where: str, event) -> str | None:
        label = by_offsets.get(pair(event)) if pair(event) else None
        if label not in ROLES:
            problems.append(f"{where}: event {event!r} is not a span of an event label ({', '.join(ROLES)})")
            return None
        return label

    for i, r in enumerate(roles):
        where = f"role {i}"
        if not isinstance(r, dict) or not {"event", "role", "actor"} <= r.keys():
            problems.append(f"{where} must have 'event', 'role' and 'actor'")
            continue
        label = event_label(where, r["event"])
        if label and r["role"] not in ROLES[label]:
            problems.append(f"{where}: {label} has no role {r['role']} (it has {', '.join(ROLES[label])})")
        actor = r["actor"]
        if actor != AUTHOR and not (pair(actor) and by_offsets.get(pair(actor)) == "ACTOR"):
            problems.append(f"{where}: actor {actor!r} is not an ACTOR span" + ("" if isinstance(actor, list) else f" nor {AUTHOR!r}"))
        key = repr((r["event"], r["role"], actor))
        if key in seen:
            problems.append(f"{where} repeats an earlier role")
        seen.add(key)
        if label == "MEETING":
            kinds = meeting_kinds.setdefault(pair(r["event"]), set())
            kinds.add("participants" if r["role"] == "PARTICIPANT" else "direction")
            if len(kinds) == 2:
                problems.append(f"{where}: a meeting has participants or a direction (SOURCE/TARGET), not both")
    for i, m in enumerate(modality):
        where = f"modality {i}"
        if not isinstance(m, dict) or not {"event", "value"} <= m.keys():
            problems.append(f"{where} must have 'event' and 'value'")
            continue
        event_label(where, m["event"])
        if m["value"] not in MODALITIES:
            problems.append(f"{where}: value {m['value']!r} is not one of {', '.join(MODALITIES)}")
    return problems


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
