"""The benchmark scripts: each runs end to end on a tiny run directory, writes its JSON, and the
numbers it derives (agreement, sizes, sentence counts) are computed the way their docstrings say."""

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import REPO

STARTER_TEST = REPO / "data" / "starter" / "test.jsonl"


def load(name):
    sys.path.insert(0, str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bench(script, *args):
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *map(str, args)], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_articles_repeat_the_data_with_distinct_ids_and_long_text_has_the_exact_length():
    c = load("_common")
    arts = c.articles(STARTER_TEST, 50)
    assert len(arts) == 50 and len({a["id"] for a in arts}) == 50
    n = len(STARTER_TEST.read_text().splitlines())
    assert arts[0]["text"] == arts[n]["text"]
    assert len(c.long_text(STARTER_TEST, 12345)) == 12345


def test_agreement_is_the_f1_of_one_span_set_against_the_other():
    inf = load("inference")
    a = [[(0, 5, "ACTOR"), (6, 9, "MEETING")], [(0, 3, "ACTOR")]]
    b = [[(0, 5, "ACTOR")], [(0, 3, "ACTOR"), (4, 8, "ACTOR")]]
    agree = inf.agreement(a, b)
    assert (agree["same"], agree["only_newsevents"], agree["only_pipeline"]) == (2, 1, 1)
    assert agree["agreement_f1"] == pytest.approx(2 * 2 / (2 * 2 + 2), abs=1e-4)  # rounded to 4 places
    assert inf.agreement(a, a)["agreement_f1"] == 1.0


def test_overlap_zones_are_the_text_two_stride_windows_both_read(tiny_run):
    from transformers import AutoTokenizer

    from newsevents.features import tokenize

    inf = load("inference")
    text = (REPO / "seeds" / "000_ae5ddc711bbf85ad.txt").read_text(encoding="utf-8")
    [zones] = inf.overlap_zones([text], str(tiny_run[0]))  # tiny.yaml: 62-token windows sharing 16
    doc = tokenize(AutoTokenizer.from_pretrained(tiny_run[0]), text)
    assert len(zones) == -(-(len(doc.ids) - 16) // 46) - 1  # one zone between each pair of windows
    assert all(sum(a <= o[0] and o[1] <= b for o in doc.offsets) == 16 for a, b in zones)
    assert inf.outside([[(zones[0][0], zones[0][0] + 1, "ACTOR"), (0, 1, "ACTOR")]], [zones]) == [[(0, 1, "ACTOR")]]


def test_training_sentences_keep_their_spans_at_sentence_offsets():
    from newsevents.schema import Record, Span

    tr = load("training")
    rec = Record("d", "Seoul protested.\nTokyo met Seoul.", [Span(0, 5, "ACTOR"), Span(17, 22, "ACTOR"), Span(23, 26, "MEETING")], {})
    sents = tr.sentences([rec])
    assert [t for t, _ in sents] == ["Seoul protested.", "Tokyo met Seoul."]
    assert [(t[s.start:s.end], s.label) for t, spans in sents for s in spans] == [("Seoul", "ACTOR"), ("Tokyo", "ACTOR"), ("met", "MEETING")]


def test_inference_benchmark_times_both_methods_on_the_same_articles(tiny_run, tmp_path):
    out = tmp_path / "inference.json"
    stdout = bench("inference.py", "--run", tiny_run[0], "--data", STARTER_TEST, "--articles", 4, "--out", out)
    result = json.loads(out.read_text())
    assert [r["method"] for r in result["rows"]] == ["newsevents", "pipeline"]
    assert all(r["seconds"] > 0 and r["peak RSS MB"] > 0 for r in result["rows"])
    assert result["tokens"] > 0 and 0.0 <= result["agreement"]["newsevents"]["agreement_f1"] <= 1.0
    assert 0.0 <= result["agreement"]["newsevents"]["outside_overlaps"] <= 1.0
    assert "span agreement" in stdout and result["command"].startswith("python ")


def test_inference_benchmark_runs_a_student_sentence_windows_and_bf16_beside_the_pipeline(tiny_run, tmp_path):
    out = tmp_path / "inference.json"
    bench("inference.py", "--run", tiny_run[0], "--student", tiny_run[0], "--data", STARTER_TEST, "--articles", 3,
          "--methods", "student+sentences+bf16,pipeline,student-pipeline+bf16,pipeline+first", "--out", out)
    result = json.loads(out.read_text())
    assert [r["method"] for r in result["rows"]] == ["student+sentences+bf16", "pipeline", "student-pipeline+bf16", "pipeline+first"]
    assert all(r["run"] == str(tiny_run[0]) for r in result["rows"])
    assert set(result["agreement"]) == {"student+sentences+bf16", "student-pipeline+bf16", "pipeline+first"}


def test_inference_methods_are_a_base_and_flags():
    inf = load("inference")
    assert inf.parse_method("student+sentences+onnx") == ("student", {"windows": "sentences", "backend": "onnx", "precision": "fp32",
                                                                      "aggregation": "simple"})
    assert inf.parse_method("pipeline+bf16") == ("pipeline", {"windows": None, "backend": "torch", "precision": "bf16", "aggregation": "simple"})
    assert inf.parse_method("pipeline+first")[1]["aggregation"] == "first"  # words take their first sub-word's tag
    for bad in ("pipeline+onnx", "student-pipeline+sentences", "newsevents+onnx+bf16", "newsevents+fast", "spacy", "newsevents+first"):
        with pytest.raises(SystemExit):
            inf.parse_method(bad)


def test_scaling_benchmark_reports_each_case_in_its_own_process(tiny_run, tmp_path):
    out = tmp_path / "scaling.json"
    bench("scaling.py", "--run", tiny_run[0], "--data", STARTER_TEST, "--cases", "articles:2,chars:3000", "--out", out)
    rows = json.loads(out.read_text())["rows"]
    assert [r["case"] for r in rows] == ["articles:2", "chars:3000"]
    assert rows[0]["texts"] == 2 and rows[1]["texts"] == 1 and rows[1]["chars"] == 3000
    assert all(r["tokens"] > 0 and r["ms per 1k tokens"] > 0 for r in rows)


def test_training_benchmark_runs_both_recipes_for_the_same_steps(tmp_path):
    out = tmp_path / "training.json"
    bench("training.py", "--config", REPO / "configs" / "tiny.yaml", "--steps", 2, "--variants", "fp32,bf16", "--out", out)
    result = json.loads(out.read_text())
    assert [r["recipe"] for r in result["rows"]] == ["newsevents train", "newsevents train", "run_ner-style Trainer"]
    assert [r["variant"] for r in result["rows"]] == ["fp32 (fp32)", "bf16 (bf16)", "fp32"]  # what each run recorded
    assert all(r["steps"] == 2 and r["sentences/s"] > 0 and r["peak RSS MB"] > 0 for r in result["rows"])
    assert all(0 <= r["padding %"] < 100 for r in result["rows"])
    assert result["ratio"] == pytest.approx(result["rows"][0]["sentences/s"] / result["rows"][-1]["sentences/s"])
