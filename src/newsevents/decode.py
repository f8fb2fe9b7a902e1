"""Window scores -> document tags -> scored char spans: the one decoder of training, evaluation and prediction.

Consecutive windows overlap; a token takes its scores from the window where it has the most
context, i.e. where it sits furthest from the window's edges.

>>> import numpy as np
>>> p = stitch(4, [(0, np.array([[.9, .1]] * 3)), (2, np.array([[.2, .8]] * 2))])
>>> p.argmax(-1).tolist()   # token 2 sits at the edge of both windows: the first one wins ties
[0, 0, 0, 1]
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from newsevents.bio import bio_to_spans, tag_names
from newsevents.schema import Span


def stitch(n_tokens: int, windows: Iterable[tuple[int, np.ndarray]]) -> np.ndarray:
    """Per-token scores ``(n_tokens, n_tags)`` from ``(token_start, scores (n, n_tags))`` windows."""
    out, best = None, np.full(n_tokens, -1)
    for start, scores in windows:
        n = len(scores)
        if out is None:
            out = np.zeros((n_tokens, scores.shape[-1]), dtype=scores.dtype)
        pos = np.arange(n)
        context = np.minimum(pos, n - 1 - pos)  # tokens to the nearer window edge
        idx = start + pos
        take = context > best[idx]
        out[idx[take]] = scores[take]
        best[idx[take]] = context[take]
    if out is None or (best < 0).any():
        raise ValueError("windows do not cover every token")
    return out


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


# A token longer than this never joins a span. WordPiece gives up on a word of more than 100
# characters (its max_input_chars_per_word) and emits one [UNK] covering all of it, so a 200,000-
# character run without spaces would otherwise become one 200,000-character span. No name or
# trigger under the guide comes near 100 characters without a space (the longest in any span of
# the starter corpus and the seed is 21, "opposition-controlled"), so the bound costs nothing real.
MAX_TOKEN_CHARS = 100


def decode(offsets: Sequence[tuple[int, int]], probs: np.ndarray, labels: Sequence[str]) -> list[tuple[Span, float]]:
    """Argmax tags -> spans, each with a score: the mean over its tokens of the probability of the
    tag the token was given (so a span the model is sure of in every token scores near 1). Tokens
    longer than ``MAX_TOKEN_CHARS`` are tagged O.

    >>> decode([(0, 5), (6, 9)], np.array([[.1, .8, .1], [.7, .2, .1]]), ["ACTOR"])
    [(Span(start=0, end=5, label='ACTOR'), 0.8)]
    >>> decode([(0, 500)], np.array([[.1, .8, .1]]), ["ACTOR"])   # one [UNK] over 500 characters
    []
    """
    names = tag_names(labels)
    ids = probs.argmax(-1)
    too_long = np.array([e - s > MAX_TOKEN_CHARS for s, e in offsets], dtype=bool)
    ids[too_long] = 0
    tags = [names[i] for i in ids]
    spans = bio_to_spans(offsets, tags)
    token_p = probs[np.arange(len(ids)), ids]
    starts = {o[0]: i for i, o in enumerate(offsets)}
    out = []
    for span in spans:
        i = starts[span.start]
        j = i
        while j < len(offsets) and offsets[j][1] <= span.end:
            j += 1
        out.append((span, round(float(token_p[i:j].mean()), 4)))
    return out
