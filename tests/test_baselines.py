"""Baselines are scored by the same evaluator: a keyword dictionary and spaCy NER from a blank model."""

import pytest

from newsevents.baselines import KeywordTagger, SpacyTagger
from newsevents.data.markup import parse_markup
from newsevents.metrics import span_scores
from newsevents.schema import LABELS, Record

ALL = list(LABELS)


def rec(markup, rid, labeled=ALL):
    text, spans = parse_markup(markup)
    return Record(rid, text, spans, {"labeled": list(labeled)})


TRAIN = [
    rec("[South Korea](ACTOR) [summoned](MEETING) the [Russian ambassador](ACTOR).", "a"),
    rec("[Japan](ACTOR) [condemned](CONDEMNATION) the launch; talks with Japan were cancelled.", "b"),
    rec("[Seoul](ACTOR) [deployed](DEPLOYMENT) [troops](ACTOR) to the border.", "c"),
]


def test_keyword_tagger_longest_match_and_majority_label():
    tagger = KeywordTagger().fit(TRAIN)
    [spans] = tagger.predict(["The Russian ambassador condemned Seoul."])
    text = "The Russian ambassador condemned Seoul."
    assert [(text[s.start:s.end], s.label) for s in spans] == [
        ("Russian ambassador", "ACTOR"), ("condemned", "CONDEMNATION"), ("Seoul", "ACTOR")]


def test_keyword_tagger_drops_entries_that_are_mostly_not_spans():
    """"Japan" is an ACTOR span once and unmarked once in a record covering ACTOR: precision 1/2 stays;
    a surface that is unmarked more often than marked is dropped."""
    noisy = TRAIN + [rec("Talks in Japan. Japan voted. Japan again.", "d")]
    tagger = KeywordTagger().fit(noisy)
    assert ("japan",) not in tagger.entries and ("seoul",) in tagger.entries


def test_spacy_baseline_learns_a_tiny_set():
    pytest.importorskip("spacy")
    data = TRAIN * 8
    tagger = SpacyTagger(ALL, seed=1, epochs=15, patience=15).fit(data, TRAIN)
    assert span_scores(TRAIN, tagger.predict([r.text for r in TRAIN]), ALL)["micro"]["f1"] > 0.5


def test_spacy_leaves_uncovered_labels_missing():
    pytest.importorskip("spacy")
    tagger = SpacyTagger(ALL)
    partial = rec("[Japan](ACTOR) condemned it.", "p", labeled=["ACTOR"])
    doc = tagger._reference(partial)
    assert (doc[0].ent_iob_, doc[0].ent_type_) == ("B", "ACTOR")
    assert all(t.ent_iob_ == "" for t in doc[1:])  # "" = missing (unknown), not "O"
