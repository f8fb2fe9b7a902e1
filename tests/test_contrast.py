"""The contrast set and the trust in scores (issue 16): near-miss sentences are records like any
other, scored per category as false alarms; span scores are checked for calibration, and per-label
thresholds chosen on dev data are what `predict --thresholds` and `evaluate --thresholds` apply."""

import json

import pytest

from newsevents import calibration, contrast
from newsevents.data import contrast as data_contrast
from newsevents.cli import main
from newsevents.evaluate import evaluate
from newsevents.schema import LABELS, Record, Span, read_jsonl, write_jsonl

from conftest import REPO

ALL = list(LABELS)


def rec(rid, text, spans, category):
    return Record(rid, text, [Span(text.index(w), text.index(w) + len(w), label) for w, label in spans],
                  {"category": category, "labeled": ALL, "source": "statedept"})


GOLD = [
    rec("t1", "Russia threatened Ukraine with strikes.", [("Russia", "ACTOR"), ("Ukraine", "ACTOR")], "threat"),
    rec("t2", "Seoul condemned the threats by Pyongyang.", [("Seoul", "ACTOR"), ("condemned", "CONDEMNATION"), ("Pyongyang", "ACTOR")], "threat"),
    rec("w1", "The troops withdrew from Kherson.", [("troops", "ACTOR")], "withdrawal"),
    rec("l1", "Aid went to Jordan, Egypt and Iraq.", [("Jordan", "ACTOR"), ("Egypt", "ACTOR"), ("Iraq", "ACTOR")], "actor_list"),
]


def pred(r, spans):
    return [Span(r.text.index(w), r.text.index(w) + len(w), label) for w, label in spans]


def test_a_false_alarm_is_a_sentence_with_a_span_gold_does_not_have():
    preds = [
        pred(GOLD[0], [("Russia", "ACTOR"), ("threatened", "CONDEMNATION")]),        # a threat read as condemnation
        pred(GOLD[1], [("Seoul", "ACTOR"), ("condemned", "CONDEMNATION")]),          # a real one, right: no alarm
        pred(GOLD[2], [("troops", "ACTOR"), ("withdrew", "DEPLOYMENT")]),            # a withdrawal read as deployment
        pred(GOLD[3], [("Jordan", "ACTOR"), ("Egypt", "ACTOR")]),                    # one list member missed
    ]
    r = contrast.report(GOLD, preds, ALL)
    assert list(r["categories"]) == ["threat", "withdrawal", "actor_list"]  # the guide's order
    threat = r["categories"]["threat"]
    assert threat["sentences"] == 2 and threat["false_alarm"]["CONDEMNATION"] == 0.5
    assert threat["false_alarm"]["DEPLOYMENT"] == 0.0 and threat["ACTOR"]["recall"] == 0.5
    assert r["categories"]["withdrawal"]["false_alarm"]["DEPLOYMENT"] == 1.0
    assert r["acceptance"] == {"condemnation_false_alarm_max": 0.5, "deployment_false_alarm_max": 1.0,
                               "actor_recall_recipients_lists": pytest.approx(2 / 3, abs=1e-4)}
    table = contrast.format_report(r)
    assert table.splitlines()[0].split()[:3] == ["category", "sents", "FA"]
    assert "threat" in table and "<= 0.10 (worst 0.500)" in table


def test_evaluate_on_contrast_records_prints_the_category_table(tiny_run, tmp_path, capsys):
    data = tmp_path / "contrast_test.jsonl"
    write_jsonl(GOLD, data)
    m = evaluate(tiny_run[0], data, tmp_path / "eval", n_bootstrap=5)
    assert set(m["contrast"]["categories"]) == {"threat", "withdrawal", "actor_list"}
    assert "FA COND" in (tmp_path / "eval" / "report.md").read_text()
    assert main(["-q", "evaluate", str(tiny_run[0]), str(data), "--out", str(tmp_path / "cli")]) == 0
    assert "actor_list" in capsys.readouterr().out
    # ordinary data has no category and no contrast table
    assert "contrast" not in evaluate(tiny_run[0], REPO / "data" / "starter" / "dev.jsonl", tmp_path / "dev", n_bootstrap=5)


def test_reliability_bins_and_expected_calibration_error():
    gold = [Record("a", "Seoul met Tokyo and Kyiv.", [Span(0, 5, "ACTOR"), Span(10, 15, "ACTOR")], {"labeled": ["ACTOR", "MEETING"]})]
    preds = [[Span(0, 5, "ACTOR", 0.95), Span(10, 15, "ACTOR", 0.85), Span(20, 24, "ACTOR", 0.15), Span(6, 9, "MEETING", 0.5)]]
    rel = calibration.reliability(gold, preds, ["ACTOR", "MEETING"])
    assert [b["spans"] for b in rel["ACTOR"]["bins"]] == [1, 1, 1]  # three occupied bins of ten
    assert rel["ACTOR"]["ece"] == pytest.approx((0.05 + 0.15 + 0.15) / 3, abs=1e-4)
    assert rel["MEETING"] == {"spans": 1, "ece": 0.5, "bins": [{"lo": 0.5, "hi": 0.6, "spans": 1, "mean_score": 0.5, "precision": 0.0}]}
    assert rel["all"]["spans"] == 4


def test_thresholds_maximise_f1_or_reach_a_target_precision():
    gold = [Record("a", "A B C D E", [Span(0, 1, "ACTOR"), Span(2, 3, "ACTOR"), Span(4, 5, "ACTOR")], {"labeled": ["ACTOR"]})]
    preds = [[Span(0, 1, "ACTOR", 0.9), Span(6, 7, "ACTOR", 0.8), Span(2, 3, "ACTOR", 0.7), Span(8, 9, "ACTOR", 0.3)]]
    best = calibration.choose_thresholds(gold, preds, ["ACTOR"])["ACTOR"]
    assert (best["threshold"], best["precision"], best["recall"], best["gold"]) == (0.7, pytest.approx(2 / 3, abs=1e-4), pytest.approx(2 / 3, abs=1e-4), 3)
    strict = calibration.choose_thresholds(gold, preds, ["ACTOR"], target_precision=0.95)["ACTOR"]
    assert (strict["threshold"], strict["precision"]) == (0.9, 1.0)
    assert calibration.apply_thresholds(preds, {"ACTOR": 0.75}) == [preds[0][:2]]


def test_calibrate_on_dev_then_predict_and_evaluate_with_the_thresholds(tiny_run, tmp_path, capsys):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(tiny_run[0], run)
    dev, test = REPO / "data" / "starter" / "dev.jsonl", REPO / "data" / "starter" / "test.jsonl"
    with pytest.raises(ValueError, match="never on a test split"):
        calibration.calibrate(run, test)
    with pytest.raises(ValueError, match="a precision between 0"):
        calibration.calibrate(run, dev, target_precision=90)
    article = tmp_path / "a.txt"
    article.write_text(read_jsonl(test)[0].text)
    capsys.readouterr()
    assert main(["-q", "predict", str(run), str(article), "--thresholds"]) == 1  # none chosen yet: one line, no output
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1 and "thresholds.json: no thresholds in this run" in out.err
    assert main(["-q", "calibrate", str(run), str(dev), "--target-precision", "0.9"]) == 0
    saved = json.loads((run / "thresholds.json").read_text())
    assert saved["data"] == str(dev) and set(saved["labels"]) == set(ALL)
    cut = calibration.load_thresholds(run)
    capsys.readouterr()
    assert main(["-q", "predict", str(run), str(article), "--thresholds", "--format", "jsonl"]) == 0
    out = capsys.readouterr()
    [line] = out.out.splitlines()
    assert all(s["score"] >= cut[s["label"]] for s in json.loads(line)["spans"])
    assert "under the run's thresholds.json" in out.err
    m = evaluate(run, test, tmp_path / "eval", n_bootstrap=5, thresholds=True)
    assert m["thresholds"] == cut and (tmp_path / "eval" / "reliability.png").stat().st_size > 1000


def test_contrast_sentences_are_cut_from_raw_documents_and_never_from_gold_ones(shared_raw, tmp_path, monkeypatch):
    from newsevents.data.build import BuildConfig, build_contrast
    from newsevents.data.gold import raw_documents, text_sha256
    from newsevents.data.sources import read_source
    from newsevents.text import split_sentences

    monkeypatch.chdir(REPO)
    doc = next(r for r in read_source("re3d", shared_raw) if r.meta["folder"] == "CENTCOM")
    s, e = split_sentences(doc.text)[1]
    sid = data_contrast.sentence_id(doc.id, s, e)
    assert raw_documents([sid], shared_raw)[sid].text == doc.text[s:e]
    folder = tmp_path / "contrast"
    (folder / "annotations").mkdir(parents=True)
    (folder / "selection.tsv").write_text(f"id\tcategory\tsplit\tsha256\n{sid}\tthreat\ttest\t{text_sha256(doc.text[s:e])}\n")
    line = {"id": sid, "sha256": text_sha256(doc.text[s:e]), "spans": [], "labeled": ALL, "annotator": "t"}
    (folder / "annotations" / "a.jsonl").write_text(json.dumps(line) + "\n")
    cfg = BuildConfig(raw_dir=str(shared_raw), contrast_dir=str(folder), corpus_dir=str(tmp_path), reserved=str(tmp_path / "none.txt"))
    [r] = build_contrast(cfg)["contrast_test"]
    assert (r.text, r.meta["category"], r.meta["doc"]) == (doc.text[s:e], "threat", doc.id)
    (tmp_path / "reserved.txt").write_text(doc.id + "\n")
    cfg.reserved = str(tmp_path / "reserved.txt")
    with pytest.raises(ValueError, match="sentence of a gold or corpus document"):
        build_contrast(cfg)


def test_mined_sentences_train_in_a_split_of_their_own(shared_raw, tmp_path, monkeypatch):
    from newsevents.data.build import BuildConfig, build_contrast
    from newsevents.data.gold import text_sha256
    from newsevents.data.sources import read_source
    from newsevents.schema import Record
    from newsevents.text import split_sentences

    monkeypatch.chdir(REPO)
    doc = next(r for r in read_source("re3d", shared_raw) if r.meta["folder"] == "CENTCOM")
    (a, b), (c, d) = split_sentences(doc.text)[1:3]
    near, mined = data_contrast.sentence_id(doc.id, a, b), data_contrast.sentence_id(doc.id, c, d)
    folder = tmp_path / "contrast"
    (folder / "annotations").mkdir(parents=True)
    head = "id\tcategory\tsplit\tsha256"
    (folder / "selection.tsv").write_text(f"{head}\n{near}\tthreat\ttrain\t{text_sha256(doc.text[a:b])}\n")
    (folder / "mined.tsv").write_text(f"{head}\tpredicted\n{mined}\tmined\ttrain\t{text_sha256(doc.text[c:d])}\tMEETING:0-4:0.950\n")
    lines = [{"id": i, "sha256": text_sha256(doc.text[x:y]), "spans": [], "labeled": ALL, "annotator": "t"} for i, x, y in ((near, a, b), (mined, c, d))]
    (folder / "annotations" / "a.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    cfg = BuildConfig(raw_dir=str(shared_raw), contrast_dir=str(folder), corpus_dir=str(tmp_path), reserved=str(tmp_path / "none.txt"))
    built = build_contrast(cfg, {"all_train": [Record("x", "Seoul met Tokyo.")]})
    assert [r.id for r in built["contrast_train"]] == [near] and [r.id for r in built["mined_train"]] == [mined]
    assert sorted(r.id for r in built["all_hard_train"]) == sorted(["x", near])  # the earlier experiment's data, unchanged
    assert sorted(r.id for r in built["all_mined_train"]) == sorted(["x", near, mined])
    assert built["mined_train"][0].meta["category"] == "mined" and built["contrast_test"] == []


def test_the_committed_contrast_set_has_40_sentences_a_category_and_a_second_pass():
    from collections import Counter

    from newsevents.data.gold import gold_ids

    selection = data_contrast.read_selection(REPO / "data" / "contrast" / "selection.tsv")
    per_category = Counter(cat for cat, _ in selection.values())
    assert set(per_category) == set(contrast.CATEGORIES) and min(per_category.values()) >= 40
    assert {split for _, split in selection.values()} == {"train", "test"}
    files = sorted((REPO / "data" / "contrast" / "annotations").glob("*.jsonl"))
    annotated = [i for f in files if not f.name.startswith("mined-") for i in gold_ids(f)]
    assert sorted(annotated) == sorted(selection)  # every sentence annotated, once
    mined = [i for f in files if f.name.startswith("mined-") for i in gold_ids(f)]
    assert set(mined) <= set(data_contrast.read_selection(REPO / "data" / "contrast" / "mined.tsv"))
    assert len(mined) == len(set(mined)) and not set(mined) & set(selection)
    second = gold_ids(REPO / "data" / "contrast" / "agreement" / "second-pass.jsonl")
    assert set(second) <= set(selection) and len(second) >= len(selection) // 4
    for line in (REPO / "data" / "contrast" / "annotations" / "batch-01.jsonl").read_text().splitlines():
        assert "text" not in json.loads(line)  # standoff: offsets and hashes, never the raw text
