"""Check JSONL files against the annotation guide's format rules; report every problem as FILE:LINE: problem.

The rules for one record live with the record format (``schema.check_record``); this module reads
files and adds what only a file can get wrong (duplicate ids, empty or unreadable files).

>>> check_record({"id": "a", "text": "Seoul", "spans": [{"start": 0, "end": 9, "label": "ACTOR"}],
...               "meta": {"source": "x", "licence": "CC0-1.0", "labeled": ["ACTOR"]}})
['span 0 (0, 9) is out of range: text has 5 characters']
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from newsevents.schema import LABELS, check_record, iter_jsonl, text_problem  # noqa: F401 (re-exported)


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
