"""Articles to predict from files: .txt files, directories of them, JSONL records, or "-" (stdin).

>>> articles, problems = read_inputs(["seeds/000_ae5ddc711bbf85ad.txt", "no/such.txt"])
>>> [a["id"] for a in articles], problems
(['000_ae5ddc711bbf85ad'], ['no/such.txt: no such file'])
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsevents.schema import RecordError, read_jsonl


def read_inputs(inputs: list[str]) -> tuple[list[dict], list[str]]:
    """Articles from .txt files, directories of them, JSONL records (gold spans ignored) or "-" (stdin).
    Returns the articles and one message per input that could not be read."""
    articles, bad = [], []
    paths: list[str] = []
    for item in inputs:
        p = Path(item)
        paths += sorted(str(q) for q in p.iterdir() if q.suffix == ".txt") if p.is_dir() else [item]
    for item in paths:
        if item == "-":
            articles.append({"id": "stdin", "text": sys.stdin.read(), "meta": {}})
            continue
        p = Path(item)
        try:
            raw = p.read_bytes()
            content = raw.decode("utf-8")
        except FileNotFoundError:
            bad.append(f"{p}: no such file")
            continue
        except UnicodeDecodeError as e:
            bad.append(f"{p}: not UTF-8 text (byte {e.start}); is it a binary file?")
            continue
        if b"\x00" in raw:
            bad.append(f"{p}: binary file (NUL bytes)")
        elif not content.strip():
            bad.append(f"{p}: empty file")
        elif p.suffix == ".jsonl":
            try:
                articles += [{"id": r.id, "text": r.text, "meta": {"source": r.meta.get("source")}} for r in read_jsonl(p)]
            except RecordError as e:
                bad.append(str(e))
        else:
            articles.append({"id": p.stem, "text": content, "meta": {"file": str(p)}})
    return articles, bad
