"""Check records against the annotation guide's format rules; report every problem as FILE:LINE: problem.

>>> check_record({"id": "a", "text": "Seoul", "spans": [{"start": 0, "end": 9, "label": "ACTOR"}],
...               "meta": {"source": "x", "licence": "CC0-1.0", "labeled": ["ACTOR"]}})
['span 0 (0, 9) is out of range: text has 5 characters']
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from newsevents.schema import LABELS, REQUIRED_META, iter_jsonl


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


def validate_files(paths: Iterable[str | Path], labels: Iterable[str] = LABELS) -> list[str]:
    """Validate JSONL files; return one ``FILE:LINE: problem`` line per problem (ids unique per file).

    Never raises on bad data: a missing, empty or unreadable file is itself a problem line.
    """
    out = []
    for path in paths:
        if Path(path).is_dir():
            out.append(f"{path}: is a directory, not a JSONL file")
            continue
        if not Path(path).is_file():
            out.append(f"{path}: no such file")
            continue
        seen: dict[str, int] = {}
        n_records = 0
        for lineno, obj, error in iter_jsonl(path):
            n_records += 1
            problems = [error] if error else check_record(obj, labels)
            if obj is not None and isinstance(obj.get("id"), str):
                if obj["id"] in seen:
                    problems.append(f"duplicate id {obj['id']!r} (first on line {seen[obj['id']]})")
                else:
                    seen[obj["id"]] = lineno
            out += [f"{path}:{lineno}: {p}" for p in problems]
        if not n_records:
            out.append(f"{path}: empty file, no records")
    return out


# --- helpers -------------------------------------------------------------------------------------


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
