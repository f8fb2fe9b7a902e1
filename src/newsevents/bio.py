"""Char spans <-> IOB2 tags over tokens given by their char offsets. Pure functions, no torch.

Tokens are ``(start, end)`` char offsets, as a fast tokenizer's ``offset_mapping`` gives them;
``None`` (or an empty ``(s, s)`` range) marks a token that has no text, such as ``[CLS]``: it gets
tag ``"O"`` here and is masked by the caller.

>>> offsets = [(0, 5), (6, 9), (10, 15)]            # "Seoul met Tokyo"
>>> tags = spans_to_bio(offsets, [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING"), Span(10, 15, "ACTOR")])
>>> tags
['B-ACTOR', 'B-MEETING', 'B-ACTOR']
>>> bio_to_spans(offsets, tags) == [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING"), Span(10, 15, "ACTOR")]
True
"""

from __future__ import annotations

import warnings
from typing import Sequence

from newsevents.schema import Span

Offsets = Sequence[tuple[int, int] | None]


class MisalignedSpanWarning(UserWarning):
    """A span boundary falls inside a token; the span was widened to the tokens that cover it."""


def tag_names(labels: Sequence[str]) -> list[str]:
    """The tag list in id order: O, then B-x, I-x for each label in config order.

    >>> tag_names(["ACTOR", "MEETING"])
    ['O', 'B-ACTOR', 'I-ACTOR', 'B-MEETING', 'I-MEETING']
    """
    return ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]


def spans_to_bio(offsets: Offsets, spans: Sequence[Span]) -> list[str]:
    """Tag each token B-x / I-x if it overlaps span x, else O.

    A span whose boundary splits a token is snapped outward to the covering tokens, with a
    MisalignedSpanWarning; a span that covers no token at all is reported with a warning too (it
    can only happen for a span over text the tokenizer skipped). Overlapping spans raise ValueError.
    """
    spans = sorted(spans)
    for a, b in zip(spans, spans[1:]):
        if b.start < a.end:
            raise ValueError(f"overlapping spans {a} and {b}")
    tags = ["O"] * len(offsets)
    for span in spans:
        hit = [i for i, o in enumerate(offsets) if _real(o) and o[0] < span.end and o[1] > span.start]
        if not hit:
            warnings.warn(f"span {span} covers no token and cannot be tagged", MisalignedSpanWarning)
            continue
        if offsets[hit[0]][0] != span.start or offsets[hit[-1]][1] != span.end:
            warnings.warn(f"span {span} splits a token; snapped to tokens", MisalignedSpanWarning)
        if tags[hit[0]] != "O":
            # snapping made two spans share a token: keep the first one whole, say so
            warnings.warn(f"span {span} shares a token with the previous span", MisalignedSpanWarning)
            hit = [i for i in hit if tags[i] == "O"]
            if not hit:
                continue
        tags[hit[0]] = f"B-{span.label}"
        for i in hit[1:]:
            tags[i] = f"I-{span.label}"
    return tags


def bio_to_spans(offsets: Offsets, tags: Sequence[str]) -> list[Span]:
    """Decode IOB2 tags back to char spans; the one decoder for training, evaluation and prediction.

    An ``I-x`` that does not continue an ``x`` span starts a new span (as seqeval's lenient mode
    reads it), and ``B-x I-y`` gives two spans. Tokens without offsets end the current span.

    >>> bio_to_spans([(0, 5), (6, 9)], ["I-ACTOR", "I-MEETING"])
    [Span(start=0, end=5, label='ACTOR'), Span(start=6, end=9, label='MEETING')]
    """
    spans: list[Span] = []
    cur: list | None = None  # [start, end, label] of the span being built
    for o, tag in zip(offsets, tags):
        if not _real(o) or tag == "O":
            cur = _close(spans, cur)
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and cur is not None and cur[2] == label:
            cur[1] = o[1]
        else:
            _close(spans, cur)
            cur = [o[0], o[1], label]
    _close(spans, cur)
    return spans


# --- helpers -------------------------------------------------------------------------------------


def _real(o) -> bool:
    return o is not None and o[1] > o[0]


def _close(spans: list[Span], cur: list | None) -> None:
    if cur is not None:
        spans.append(Span(cur[0], cur[1], cur[2]))
    return None
