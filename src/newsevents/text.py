"""Sentence boundaries and text rebuilding shared by the readers, the statistics and prediction.

>>> text = "Seoul summoned the U.S. envoy. Talks followed.\\nMr. Kim left."
>>> [text[s:e] for s, e in split_sentences(text)]
['Seoul summoned the U.S. envoy.', 'Talks followed.', 'Mr. Kim left.']
"""

from __future__ import annotations

import re
import unicodedata

# Abbreviations after which a period does not end a sentence (lower-cased, without the period).
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "rep",
    "sen", "gov", "pres", "amb", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
    "u.n", "u.k", "e.u", "a.m", "p.m", "st", "mt", "ft", "rev", "hon", "fig", "approx", "dept",
}
# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by space and a likely start.
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Char ranges of the sentences of ``text``: line breaks always end one, and so does a
    sentence-final mark followed by a capitalised word, unless it closes a known abbreviation or
    a single initial ("John F. Kennedy")."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(line.group()):
            word = re.search(r"(\S+)$", line.group()[: m.start()])
            prev = word.group(1).lower().lstrip("(\"“'‘") if word else ""
            if prev in _ABBREV or re.fullmatch(r"[a-z]", prev):
                continue
            end = line.start() + m.end()
            _add(out, text, start, end)
            start = end
        _add(out, text, start, line.end())
    return out


def sentence_of(sentences: list[tuple[int, int]], pos: int, n_chars: int) -> tuple[int, int]:
    """The range among ``split_sentences``' that holds char ``pos``; the whole text when none does.

    >>> sentence_of(split_sentences("Seoul met. Tokyo left."), 12, 22)
    (11, 22)
    """
    return next(((a, b) for a, b in sentences if a <= pos < b), (0, n_chars))


# A word, the unit every span starts and ends on (guide, "Words"): a run of letters, digits and
# combining marks, with hyphens inside it ("Hong-kyun", "pro-Russian", "re-deployed" are one word);
# every other non-space character is a word by itself, so an apostrophe, a period or a bracket always
# ends a word ("Korea", "’", "s"; "U", ".", "S", "."; rule 9 keeps "Russia" without "'s").
_WORD = re.compile(r"[\w\u0300-\u036f]+(?:[-\u2010\u2011][\w\u0300-\u036f]+)*|[^\w\s]")


def words(text: str) -> list[tuple[int, int]]:
    """Char ranges of the words of ``text``, in order: the unit of spans (see ``_WORD``).

    >>> t = "South Korea’s Kim Hong-kyun redeployed U.S.-led troops."
    >>> [t[s:e] for s, e in words(t)]
    ['South', 'Korea', '’', 's', 'Kim', 'Hong-kyun', 'redeployed', 'U', '.', 'S', '.', '-', 'led', 'troops', '.']
    """
    return [m.span() for m in _WORD.finditer(text)]


def inside_word(text: str, spans) -> list:
    """The spans (anything with ``start`` and ``end``) that start or end inside a word.

    >>> from newsevents.schema import Span
    >>> inside_word("Kim Hong-kyun redeployed", [Span(0, 8, "ACTOR"), Span(14, 24, "DEPLOYMENT"), Span(16, 20, "DEPLOYMENT")])
    [Span(start=0, end=8, label='ACTOR'), Span(start=16, end=20, label='DEPLOYMENT')]
    """
    ranges = words(text)
    starts, ends = {s for s, _ in ranges}, {e for _, e in ranges}
    return [sp for sp in spans if sp.start not in starts or sp.end not in ends]


def normalize_space(s: str) -> str:
    """NFC, every run of whitespace (also non-breaking) as one space, trimmed.

    >>> normalize_space(" WASHINGTON \\u2014\\u00a0The  battle ")
    'WASHINGTON \\u2014 The battle'
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a range so it neither starts nor ends with whitespace.

    >>> trim_space(" Seoul ", 0, 7)
    (1, 6)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _add(out: list, text: str, start: int, end: int) -> None:
    start, end = trim_space(text, start, end)  # a sentence never starts or ends with whitespace
    if end > start:
        out.append((start, end))


def join_sentences(sentences: list[str]) -> tuple[str, list[int]]:
    """Rebuild a document from its sentences, one a line; return the text and each sentence's start.

    Readers of sentence-level corpora use this so that every rebuilt document has the same shape
    and its offsets are reproducible.

    >>> join_sentences(["Seoul met Tokyo.", " Talks followed. "])
    ('Seoul met Tokyo.\\nTalks followed.', [0, 17])
    """
    starts, parts, pos = [], [], 0
    for s in sentences:
        s = s.strip()
        starts.append(pos)
        parts.append(s)
        pos += len(s) + 1
    return "\n".join(parts), starts
