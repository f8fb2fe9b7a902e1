"""Helpers shared by the readers: trimming mapped spans to the guide's boundaries, leaving out
overlapping spans, and the text hash our standoff annotations key on.

>>> text = "The United States and the kingdom's army met."
>>> trim_actor(text, 0, 17)
(4, 17)
>>> text[slice(*trim_actor(text, 22, 40))]
"kingdom's army"
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Iterable

from newsevents.schema import Span
from newsevents.text import trim_space  # noqa: F401  (re-exported: readers import it from here)

# Leading words the guide strips from ACTOR spans (rule 8): determiners, possessive pronouns,
# demonstratives, quantifiers and number phrases.
_LEADING = re.compile(
    r"^(?:(?:the|a|an|this|that|these|those|its|his|her|their|our|my|your|some|many|several|all|"
    r"both|each|every|few|other|another|about|around|approximately|nearly|almost|up to|more than|"
    r"at least|over|some|[\d.,]+|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|"
    r"hundreds of|thousands of|tens of thousands of)\s+)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,;:!?\"“”‘’()\[\]]|'s|’s|(?<![A-Z])\.)+$")  # keeps "U.S."
_LEADING_PUNCT = re.compile(r"^[\s,.;:!?\"“”‘’()\[\]]+")


def trim_actor(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink an actor mention to the guide's extent: no leading determiners, counts, quotes or
    brackets, no trailing punctuation or possessive 's. Returns the new ``(start, end)``, which
    may be empty (``start == end``) when nothing is left."""
    s = text[start:end]
    m = _LEADING_PUNCT.match(s)
    cut = m.end() if m else 0
    m = _LEADING.match(s[cut:])
    if m and m.end() < len(s) - cut:
        cut += m.end()
    tail = _TRAILING.search(s[cut:])
    new_end = end - (len(s) - cut - tail.start()) if tail else end
    return start + cut, max(start + cut, new_end)



def drop_overlaps(spans: Iterable[Span], skipped: Counter, reason: str = "spans overlapping another") -> list[Span]:
    """The spans in the order given, leaving out each one that overlaps a span already kept (the
    guide's spans never overlap), counted in ``skipped[reason]`` so that the reader can report it.

    >>> skipped = Counter()
    >>> drop_overlaps([Span(0, 5, "ACTOR"), Span(3, 8, "ACTOR"), Span(6, 9, "MEETING")], skipped)
    [Span(start=0, end=5, label='ACTOR'), Span(start=6, end=9, label='MEETING')]
    >>> dict(skipped)
    {'spans overlapping another': 1}
    """
    kept: list[Span] = []
    for span in spans:
        if any(span.start < k.end and k.start < span.end for k in kept):
            skipped[reason] += 1
        else:
            kept.append(span)
    return kept


def text_sha256(text: str) -> str:
    """The hash a standoff annotation keys its text on: sha256 of the UTF-8 text, in hex.

    >>> text_sha256("Seoul")[:12]
    '32b634b8898c'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
