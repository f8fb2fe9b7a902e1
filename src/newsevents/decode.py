"""Window logits -> document logits -> word tags -> scored char spans: the one decoder of training,
evaluation and prediction (``decode``), and the only place that slices special tokens, stitches
windows and applies the softmax.

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


# A word longer than this never joins a span. WordPiece gives up on a word of more than 100
# characters (its max_input_chars_per_word) and emits one [UNK] covering all of it, so a 200,000-
# character run without spaces would otherwise become one 200,000-character span. No name or
# trigger under the guide comes near 100 characters without a space (the longest in any span of
# the starter corpus and the seed is 21, "opposition-controlled"), so the bound costs nothing real.
MAX_TOKEN_CHARS = 100


Window = tuple[int, int, np.ndarray]  # (token_start, token_end, logits of [CLS] + the window's tokens + [SEP])


def token_logits(n_tokens: int, windows: Iterable[Window]) -> np.ndarray:
    """A document's per-token logits ``(n_tokens, n_tags)`` from its windows' raw rows: each window's
    special tokens are sliced off (text token k sits at row k + 1) and the windows stitched."""
    return stitch(n_tokens, [(s, rows[1 : 1 + e - s]) for s, e, rows in windows])


def decode(doc, windows: Iterable[Window], labels: Sequence[str]) -> list[Span]:
    """The one decoder: a tokenized document (``features.Document``) and its windows' logits ->
    spans of whole words, each with its ``score``. A word takes the softmax of its first sub-word's logits
    and the argmax tag; a span's score is the mean over its words of the probability of the tag each
    word was given (so a span the model is sure of in every word scores near 1). Words longer than
    ``MAX_TOKEN_CHARS`` are tagged O.

    >>> from newsevents.features import Document
    >>> doc = Document([7, 8, 9], [(0, 2), (2, 5), (6, 9)], [(0, 5), (6, 9)], [0, 0, 1], [0, 2])   # "Seoul met": Se ##oul met
    >>> logits = np.log([[.9, .05, .05], [.1, .8, .1], [.9, .05, .05], [.7, .2, .1], [.9, .05, .05]])   # [CLS] Se ##oul met [SEP]
    >>> decode(doc, [(0, 3, logits)], ["ACTOR"])    # "Se" decides for the whole word
    [Span(start=0, end=5, label='ACTOR', score=0.8)]
    >>> decode(Document([1], [(0, 500)], [(0, 500)], [0], [0]), [(0, 1, logits[:3])], ["ACTOR"])   # one [UNK] word of 500 chars
    []
    """
    if not doc.firsts:
        return []
    probs = softmax(token_logits(len(doc.ids), windows)[doc.firsts])
    names = tag_names(labels)
    ids = probs.argmax(-1)
    ids[np.array([e - s > MAX_TOKEN_CHARS for s, e in doc.words], dtype=bool)] = 0
    spans = bio_to_spans(doc.words, [names[i] for i in ids])
    word_p = probs[np.arange(len(ids)), ids]
    index = {w[0]: i for i, w in enumerate(doc.words)}
    out = []
    for span in spans:
        i = j = index[span.start]
        while j < len(doc.words) and doc.words[j][1] <= span.end:
            j += 1
        out.append(Span(span.start, span.end, span.label, round(float(word_p[i:j].mean()), 4)))
    return out
