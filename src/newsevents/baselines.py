"""What a user would otherwise pick, scored by the same evaluator: a keyword/gazetteer tagger and a
spaCy NER pipeline trained from a blank English model on the same train split.

>>> from newsevents.data.markup import parse_markup
>>> text, spans = parse_markup("[Seoul](ACTOR) [condemned](CONDEMNATION) the talks.")
>>> tagger = KeywordTagger().fit([Record("a", text, spans, {})])
>>> [(s.label, s.start, s.end) for s in tagger.predict(["Tokyo condemned Seoul."])[0]]
[('CONDEMNATION', 6, 15), ('ACTOR', 16, 21)]
"""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from newsevents.metrics import span_scores
from newsevents.schema import Record, Span, read_jsonl
from newsevents.text import words as text_words  # the guide's words, as spans are made of

log = logging.getLogger(__name__)


class KeywordTagger:
    """Every span surface seen in training becomes a dictionary entry for its majority label; entries
    that are more often not a span (where the record covers that label) are dropped. Prediction is a
    left-to-right longest match over lower-cased words (``text.words``)."""

    def __init__(self, min_precision: float = 0.5, max_words: int = 8):
        self.min_precision, self.max_words = min_precision, max_words
        self.entries: dict[tuple, str] = {}

    def fit(self, records: Sequence[Record]) -> "KeywordTagger":
        votes: dict[tuple, Counter] = defaultdict(Counter)
        for r in records:
            for s in r.spans:
                votes[_key(s.surface(r.text))][s.label] += 1
        self.entries = {k: c.most_common(1)[0][0] for k, c in votes.items() if k}
        # precision filter: how often does each entry match where it is (not) a gold span?
        hits, total = Counter(), Counter()
        for r in records:
            gold = {(s.start, s.end, s.label) for s in r.spans}
            for span, key in self._match(r.text):
                if span.label in r.labeled:
                    total[key] += 1
                    hits[key] += (span.start, span.end, span.label) in gold
        self.entries = {k: v for k, v in self.entries.items() if total[k] == 0 or hits[k] / total[k] >= self.min_precision}
        log.info("keyword baseline: %d dictionary entries", len(self.entries))
        return self

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[span for span, _ in self._match(t)] for t in texts]

    def _match(self, text: str):
        words = [(s, e, text[s:e].lower()) for s, e in text_words(text)]
        i = 0
        while i < len(words):
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                key = tuple(w for _, _, w in words[i : i + n])
                if key in self.entries:
                    yield Span(words[i][0], words[i + n - 1][1], self.entries[key]), key
                    i += n
                    break
            else:
                i += 1


class SpacyTagger:
    """spaCy's transition-based NER from ``spacy.blank("en")``; labels a record does not cover are
    left missing (not "O") in its training example, the way our own trainer masks them."""

    def __init__(self, labels: Sequence[str], seed: int = 13, epochs: int = 30, patience: int = 5):
        import spacy

        spacy.util.fix_random_seed(seed)
        self.labels, self.seed, self.epochs, self.patience = list(labels), seed, epochs, patience
        self.nlp = spacy.blank("en")
        ner = self.nlp.add_pipe("ner")
        for label in self.labels:
            ner.add_label(label)

    def fit(self, train: Sequence[Record], dev: Sequence[Record]) -> "SpacyTagger":
        """Train, keeping the epoch with the best dev macro strict F1 (like our early stopping)."""
        from spacy.training import Example
        from spacy.util import minibatch

        examples = [Example(self.nlp.make_doc(r.text), self._reference(r)) for r in train]
        optimizer = self.nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        best, best_bytes, stale = -1.0, None, 0
        for epoch in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=16):
                self.nlp.update(batch, sgd=optimizer, drop=0.2)
            f1 = span_scores(dev, self.predict([r.text for r in dev]), self.labels)["macro"]["f1"]
            log.info("spacy epoch %d: dev macro F1 %.3f", epoch + 1, f1)
            if f1 > best:
                best, best_bytes, stale = f1, self.nlp.to_bytes(), 0
            else:
                stale += 1
                if stale >= self.patience:
                    break
        if best_bytes is not None:
            self.nlp.from_bytes(best_bytes)
        return self

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[Span(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in self.nlp.pipe(texts)]

    def _reference(self, r: Record):
        doc = self.nlp.make_doc(r.text)
        ents = []
        for s in r.spans:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if span is None:
                log.warning("%s: span %s cannot be aligned to spaCy tokens; left out", r.id, s)
            elif not ents or span.start >= ents[-1].end:
                ents.append(span)
        full = set(self.labels) <= set(r.labeled)
        doc.set_ents(ents, default="outside" if full else "missing")
        return doc


def run(cfg, kind: str, data_files: Sequence[str] = (), out_dir: str | Path | None = None, epochs: int = 30,
        n_bootstrap: int = 1000) -> list[tuple[Path, dict]]:
    """Fit a ``keyword`` or ``spacy`` baseline once on ``cfg``'s train split (spaCy: early-stopped on
    its dev split) and score each data file (default: the config's test split) with ``evaluate``'s
    scorer; writes ``evaluate``'s outputs to ``out_dir/<data name>``. Returns (directory, metrics) per file.
    A baseline has no scores: each span gets 1.0."""
    from newsevents import evaluate, output

    train_records = read_jsonl(cfg.data.train)
    if kind == "keyword":
        tagger = KeywordTagger().fit(train_records)
    elif kind == "spacy":
        tagger = SpacyTagger(cfg.labels, seed=cfg.seed, epochs=epochs).fit(train_records, read_jsonl(cfg.data.dev))
    else:
        raise ValueError(f"baseline kind must be 'keyword' or 'spacy', not {kind!r}")
    out_dir = Path(out_dir or f"models/baseline-{kind}-{cfg.name}-s{cfg.seed}/eval")
    results = []
    for data in data_files or [cfg.data.test]:
        records = read_jsonl(data)
        preds = [[Span(s.start, s.end, s.label, 1.0) for s in p] for p in tagger.predict([r.text for r in records])]
        m = evaluate.score(records, preds, cfg.labels, n_bootstrap=n_bootstrap)
        m.update(data=str(data), run_dir=f"{kind} baseline ({cfg.name}, seed {cfg.seed})", errors=evaluate.worst_errors(records, preds))
        evaluate.write_outputs(out_dir / Path(data).stem, m, output.predicted_records(records, preds))
        results.append((out_dir / Path(data).stem, m))
    return results


def _key(surface: str) -> tuple:
    return tuple(surface[s:e].lower() for s, e in text_words(surface))
