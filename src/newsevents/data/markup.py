"""Inline span markup for text we write and annotate by hand: ``[surface](LABEL)``.

The starter corpus and the seed's gold annotation are written this way, because a person can read
and correct it; ``parse_markup`` turns it into text plus char-offset spans.

>>> text, spans = parse_markup("[Seoul](ACTOR) [summoned](MEETING) the envoy.")
>>> text
'Seoul summoned the envoy.'
>>> [(s.surface(text), s.label) for s in spans]
[('Seoul', 'ACTOR'), ('summoned', 'MEETING')]
>>> to_markup(text, spans)
'[Seoul](ACTOR) [summoned](MEETING) the envoy.'

Literal brackets in the text are written ``\\[`` and ``\\]`` (news quotes use them for editorial insertions):

>>> parse_markup(r"He said \\[[Assad](ACTOR)\\] met [envoys](ACTOR).")[0]
'He said [Assad] met envoys.'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from newsevents.schema import LABELS, Record, Span

_SPAN = re.compile(r"\[([^\[\]]+)\]\(([A-Z]+)\)")
# escaped brackets become one private-use character each while parsing, so offsets do not move
_ESCAPES = {"\\[": "\ue000", "\\]": "\ue001"}
_UNESCAPE = str.maketrans({"\ue000": "[", "\ue001": "]"})
HEADER = re.compile(r"^## (\S+)\s*$")  # "## id": the header of a document in markup files and role worksheets


class MarkupError(ValueError):
    """Markup that cannot be read; the message names the file and line when known."""


def parse_markup(s: str, labels: Iterable[str] = LABELS) -> tuple[str, list[Span]]:
    """Strip ``[surface](LABEL)`` marks; return the plain text and its spans."""
    labels = tuple(labels)
    for escaped, placeholder in _ESCAPES.items():
        s = s.replace(escaped, placeholder)
    out, spans, pos = [], [], 0
    for m in _SPAN.finditer(s):
        out.append(s[pos : m.start()])
        start = sum(map(len, out))
        surface, label = m.group(1), m.group(2)
        if label not in labels:
            raise MarkupError(f"unknown label {label!r} in {m.group(0)!r}")
        if surface != surface.strip():
            raise MarkupError(f"span {m.group(0)!r} starts or ends with whitespace")
        out.append(surface)
        spans.append(Span(start, start + len(surface), label))
        pos = m.end()
    out.append(s[pos:])
    text = "".join(out)
    stray = re.search(r"\[|\]\([A-Z]", text)
    if stray:
        raise MarkupError(f"unbalanced markup near {text[max(0, stray.start() - 20):stray.start() + 20]!r}")
    return text.translate(_UNESCAPE), spans


def to_markup(text: str, spans: Iterable[Span]) -> str:
    """The inverse of ``parse_markup``."""
    esc = lambda t: t.replace("[", "\\[").replace("]", "\\]")
    out, pos = [], 0
    for s in sorted(spans):
        out += [esc(text[pos : s.start]), f"[{esc(text[s.start:s.end])}]({s.label})"]
        pos = s.end
    out.append(esc(text[pos:]))
    return "".join(out)


def header_ids(path: str | Path) -> list[str]:
    """The ids of a markup file's ``## id`` headers, in file order, without parsing the bodies."""
    return [m.group(1) for line in Path(path).read_text(encoding="utf-8").splitlines() if (m := HEADER.match(line))]


def read_markup_file(path: str | Path, meta: dict, labels: Iterable[str] = LABELS) -> list[Record]:
    """Read a file of ``## id`` headers each followed by one marked-up article.

    Body lines are joined with a newline; blank lines around a body are dropped.
    Errors name ``FILE:LINE``.
    """
    path = Path(path)
    records: list[Record] = []
    current: tuple[str, int, list[str]] | None = None

    def flush():
        if current is None:
            return
        rid, lineno, body = current
        try:
            text, spans = parse_markup("\n".join(body).strip(), labels)
        except MarkupError as e:
            raise MarkupError(f"{path}:{lineno}: {e}") from None
        if not text:
            raise MarkupError(f"{path}:{lineno}: article {rid!r} is empty")
        records.append(Record(rid, text, spans, dict(meta)))

    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = HEADER.match(line)
        if m:
            flush()
            current = (m.group(1), lineno, [])
        elif current is not None:
            current[2].append(line)
        elif line.strip() and not line.startswith("#"):
            raise MarkupError(f"{path}:{lineno}: text before the first '## id' header")
    flush()
    return records
