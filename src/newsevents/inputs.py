"""Articles to predict from files: .txt files, directories of them, JSONL records, or "-" (stdin).

Every input that cannot be read gets one line naming it (and the line, for JSONL) and is skipped;
the rest are still read. Ids are unique in one call: two files with the same name in different
folders are told apart by their path.

>>> articles, problems = read_inputs(["seeds/000_ae5ddc711bbf85ad.txt", "no/such.txt"])
>>> [a["id"] for a in articles], problems
(['000_ae5ddc711bbf85ad'], ['no/such.txt: no such file (skipped)'])
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from newsevents.schema import iter_jsonl
from newsevents.schema import text_problem

STDIN = "-"


def read_inputs(inputs: list[str], stdin: BinaryIO | None = None) -> tuple[list[dict], list[str]]:
    """Articles (``{"id", "text", "meta"}``) from .txt files, directories of them, JSONL records (only
    ``text`` is needed; ``id`` defaults to ``<file>:<line>``, gold ``spans`` are ignored) or "-" (the
    bytes of ``stdin``, default standard input). Returns the articles and one message per problem."""
    articles, bad = [], []
    for item in _expand(inputs, bad):
        if item == STDIN:
            raw = (stdin or sys.stdin.buffer).read()
            name, meta = "stdin", {}
        else:
            p = Path(item)
            try:
                raw = p.read_bytes()
            except OSError as e:
                bad.append(f"{p}: cannot be read, {e.strerror} (skipped)")
                continue
            name, meta = p.stem, {"file": str(p)}
        if problem := _bytes_problem(raw, "empty input" if item == STDIN else "empty file"):
            bad.append(f"{item}: {problem} (skipped)")
        elif item != STDIN and Path(item).suffix == ".jsonl":
            articles += _jsonl_articles(Path(item), bad)
        else:
            articles.append({"id": name, "text": raw.decode("utf-8"), "meta": meta, "_path": item})
    _unique_ids(articles, bad)
    for a in articles:
        a.pop("_path", None)
    return articles, bad


# --- helpers -------------------------------------------------------------------------------------


def _expand(inputs: list[str], bad: list[str]) -> list[str]:
    """Directories -> their .txt files; missing paths reported; each file (and stdin) read once."""
    out, seen = [], set()
    for item in inputs:
        p = Path(item)
        if item == STDIN:
            found = [STDIN]
        elif p.is_dir():
            found = sorted(str(q) for q in p.iterdir() if q.suffix == ".txt" and q.is_file())
            if not found:
                bad.append(f"{p}: no .txt file in this directory (skipped)")
        elif not p.exists():
            bad.append(f"{p}: no such file (skipped)")
            continue
        else:
            found = [item]
        for f in found:
            key = f if f == STDIN else str(Path(f).resolve())
            if key in seen:
                bad.append(f"{f}: given more than once; read once")
                continue
            seen.add(key)
            out.append(f)
    return out


def _bytes_problem(raw: bytes, empty: str) -> str | None:
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8 text (byte {e.start}); is it a binary file?"
    if b"\x00" in raw:
        return "binary file (NUL bytes)"
    if not content.strip():
        return empty
    return None


def _jsonl_articles(path: Path, bad: list[str]) -> list[dict]:
    """One article per good line; a bad line is reported and skipped, the others are kept."""
    out = []
    for lineno, obj, error in iter_jsonl(path):
        text = obj.get("text") if obj else None
        rid = obj.get("id", f"{path.stem}:{lineno}") if obj else None
        if error is None:
            if not isinstance(text, str):
                error = "field 'text' is missing or not a string"
            elif not text.strip():
                error = "empty text"
            elif not isinstance(rid, str) or not rid:
                error = "field 'id' must be a non-empty string"
            else:
                error = text_problem(text)
        if error:
            bad.append(f"{path}:{lineno}: {error} (skipped)")
            continue
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        out.append({"id": rid, "text": text, "meta": {"source": meta.get("source")}, "_path": f"{path}:{lineno}"})
    return out


def _unique_ids(articles: list[dict], bad: list[str]) -> None:
    """Files that share a name get their path (without .txt) as id; any id still taken gets ``#2``,
    ``#3``..., announced, so that no article is lost and every output id is unique."""
    stems = Counter(a["id"] for a in articles if a["meta"].get("file"))
    for a in articles:
        if a["meta"].get("file") and stems[a["id"]] > 1:
            a["id"] = Path(a["meta"]["file"]).with_suffix("").as_posix()
    taken: set[str] = set()
    for a in articles:
        rid, n = a["id"], 1
        while a["id"] in taken:
            n += 1
            a["id"] = f"{rid}#{n}"
        if a["id"] != rid:
            bad.append(f"{a['_path']}: id {rid!r} is already taken in this output; written as {a['id']!r}")
        taken.add(a["id"])
