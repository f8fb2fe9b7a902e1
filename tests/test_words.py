"""Spans are whole words: the decoder cannot start or end one inside a word, evaluation counts any
that do, and one window -> logits -> stitch -> softmax -> spans chain serves training, evaluation
and prediction."""

import re

import numpy as np

from newsevents.cli import main
from newsevents.evaluate import evaluate
from newsevents.predict import Predictor
from newsevents.schema import read_jsonl
from newsevents.text import inside_word, words

from conftest import REPO

# the words the default model split before words were the unit ("ep" in "redeployed", "IM" in
# "IMF", "bi" in "shabiha", "Kim Hong-" + "un"), and the guide's hyphens, apostrophes and periods
TEXTS = [
    "The troops were redeployed to Kursk after the IMF talks.",
    "Pro-government shabiha militias and U.S.-led forces clashed; Kim Hong-kyun condemned it.",
    "South Korea’s Vice Foreign Minister Kim Hong-kyun summoned ambassador Georgiy Zinoviev.",
]


def test_the_guides_words(tmp_path):
    text = "South Korea’s Kim Hong-kyun met pro-Russian U.S.-led (SDF) envoys."
    assert [text[s:e] for s, e in words(text)] == [
        "South", "Korea", "’", "s", "Kim", "Hong-kyun", "met", "pro-Russian", "U", ".", "S", ".", "-", "led",
        "(", "SDF", ")", "envoys", "."]


def test_whatever_the_model_says_every_span_is_made_of_whole_words(tiny_run, monkeypatch):
    p = Predictor.from_run_dir(tiny_run[0])
    rng = np.random.default_rng(0)
    n_tags = 1 + 2 * len(p.labels)
    # a model that says a random tag on every sub-word: the worst case for sub-word decoding
    monkeypatch.setattr(p, "forward", lambda inputs: [rng.normal(size=(len(x), n_tags)) * 4 for x in inputs])
    preds = p.predict(TEXTS)
    spans = [s for doc in preds for s in doc]
    assert len(spans) > 20  # enough spans that a mid-word one would show
    assert [inside_word(t, doc) for t, doc in zip(TEXTS, preds)] == [[], [], []]
    assert all(0 <= s.score <= 1 for doc in preds for s in doc)


def test_evaluation_counts_and_prints_spans_inside_words(tiny_run, tmp_path, capsys):
    gold = REPO / "data" / "starter" / "test.jsonl"
    m = evaluate(tiny_run[0], gold, tmp_path / "eval", n_bootstrap=5)
    assert m["spans_inside_word"] == 0
    assert "Predicted spans that start or end inside a word: 0." in (tmp_path / "eval" / "report.md").read_text()
    assert main(["-q", "evaluate", str(tiny_run[0]), str(gold), "--out", str(tmp_path / "cli")]) == 0
    assert "predicted spans starting or ending inside a word: 0" in capsys.readouterr().out


def test_seqeval_strict_scores_exactly_the_emitted_spans(tiny_run, tmp_path):
    gold = REPO / "data" / "starter" / "test.jsonl"
    assert not any(inside_word(r.text, r.spans) for r in read_jsonl(gold))  # gold spans are whole words too
    m = evaluate(tiny_run[0], gold, tmp_path / "eval", n_bootstrap=5)
    for key in ("precision", "recall", "f1"):
        assert abs(m["seqeval_strict"]["micro"][key] - m["strict"]["micro"][key]) < 1e-9


def test_one_stitch_softmax_decode_chain_in_the_package():
    src = {p.name: p.read_text() for p in (REPO / "src" / "newsevents").rglob("*.py")}
    callers = {name: sorted(f for f, text in src.items() if re.search(rf"(?<![\w.]){name}\(", text.replace(f"def {name}(", "")))
               for name in ("stitch", "softmax", "token_logits", "bio_to_spans")}
    # decode.py slices the special tokens, stitches, applies the softmax and reads the tags; bio.py's
    # doctest shows bio_to_spans; predict.py asks for the stitched logits only to compare models;
    # distill.py's docstring writes its loss, KL(softmax(teacher/T) || softmax(student/T))
    assert callers == {"stitch": ["decode.py"], "softmax": ["decode.py", "distill.py"], "token_logits": ["decode.py", "predict.py"],
                       "bio_to_spans": ["bio.py", "decode.py"]}
    assert sorted(f for f, text in src.items() if "from newsevents.decode import" in text) == ["predict.py", "train.py"]
