"""`newsevents predict`: whole articles, scored char spans, event records, readable and machine output."""

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from newsevents.cli import main
from newsevents.evaluate import evaluate
from newsevents.output import predicted_record, to_html
from newsevents.predict import Predictor
from newsevents.schema import read_jsonl

from conftest import REPO

SEED = REPO / "seeds" / "000_ae5ddc711bbf85ad.txt"


def run_cli(*args, capsys=None):
    code = main(["-q", "predict", *map(str, args)])
    return code


def test_output_records_carry_score_text_and_full_token_counts(tiny_run, tmp_path):
    out = tmp_path / "p.jsonl"
    assert run_cli(tiny_run[0], SEED, "-o", out) == 0
    [rec] = [json.loads(line) for line in out.read_text().splitlines()]
    text = SEED.read_text(encoding="utf-8")
    assert rec["text"] == text and rec["meta"]["tokens_read"] == rec["meta"]["tokens_total"] > 0
    for s in rec["spans"]:
        assert s["text"] == text[s["start"]:s["end"]] and 0.0 <= s["score"] <= 1.0
    for e in rec["events"]:
        assert e["sentence_start"] <= e["start"] < e["end"] <= e["sentence_end"]
        assert all(a["end"] <= e["start"] for a in e["actors_before"]) and all(a["start"] >= e["end"] for a in e["actors_after"])


def test_cli_and_python_api_give_identical_predictions(tiny_run, tmp_path):
    out = tmp_path / "p.jsonl"
    run_cli(tiny_run[0], SEED, REPO / "data" / "starter" / "test.jsonl", "-o", out)
    cli = [[(s["start"], s["end"], s["label"], s["score"]) for s in json.loads(line)["spans"]] for line in out.read_text().splitlines()]
    texts = [SEED.read_text(encoding="utf-8")] + [r.text for r in read_jsonl(REPO / "data" / "starter" / "test.jsonl")]
    api = [[(s.start, s.end, s.label, s.score) for s in p] for p in Predictor.from_run_dir(tiny_run[0]).predict(texts)]
    assert cli == api
    run_cli(tiny_run[0], SEED, "--windows", "sentences", "-o", out, "--overwrite")
    packed = Predictor.from_run_dir(tiny_run[0], windows="sentences").predict(texts[:1])
    assert [(s["start"], s["end"], s["label"]) for s in json.loads(out.read_text())["spans"]] == [(s.start, s.end, s.label) for s in packed[0]]


def test_predicting_a_gold_file_scores_like_evaluate(tiny_run, tmp_path):
    from newsevents.metrics import span_scores
    from newsevents.schema import Span

    gold_path = REPO / "data" / "starter" / "test.jsonl"
    out = tmp_path / "p.jsonl"
    run_cli(tiny_run[0], gold_path, "-o", out)
    preds = [[Span(s["start"], s["end"], s["label"]) for s in json.loads(line)["spans"]] for line in out.read_text().splitlines()]
    gold = read_jsonl(gold_path)
    ours = span_scores(gold, preds, ["ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION"])
    assert ours == evaluate(tiny_run[0], gold_path, tmp_path / "eval", n_bootstrap=5)["strict"]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.marks, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br"):
            self.stack.append(tag)
        if tag == "mark":
            self.marks.append(dict(attrs)["class"])

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_page_is_well_formed_and_shows_every_span(tiny_run, tmp_path):
    out = tmp_path / "p.html"
    assert run_cli(tiny_run[0], SEED, "-o", out) == 0
    page = out.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert not parser.errors and not parser.stack
    [rec] = [json.loads(line) for line in _jsonl(tiny_run[0], tmp_path)]
    assert parser.marks == [s["label"] for s in rec["spans"]]
    assert 'class="legend"' in page


def test_html_escapes_text():
    from newsevents.schema import Record, Span

    page = to_html([predicted_record(Record("x", "<b>Seoul</b> & co", [Span(3, 8, "ACTOR", 0.9)]), tokens=(3, 3))])
    assert "<b>" not in page and "&lt;b&gt;" in page


def test_bad_inputs_are_reported_skipped_and_the_rest_written(tiny_run, tmp_path, capsys):
    empty, binary = tmp_path / "empty.txt", tmp_path / "bin.txt"
    empty.write_text("")
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    out = tmp_path / "p.jsonl"
    assert run_cli(tiny_run[0], empty, binary, SEED, tmp_path / "missing.txt", "-o", out) == 1
    err = capsys.readouterr().err
    assert f"{empty}: empty file" in err and f"{binary}: not UTF-8" in err and "missing.txt: no such file" in err
    assert len(out.read_text().splitlines()) == 1


def test_missing_or_incomplete_run_dir_is_one_clear_error(tmp_path, capsys):
    assert main(["predict", str(tmp_path / "nope"), str(SEED)]) == 1
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "config.yaml").write_text("name: x\n")
    assert main(["predict", str(tmp_path / "run"), str(SEED)]) == 1
    err = capsys.readouterr().err
    assert "no such run directory" in err and "incomplete run directory, missing labels.json" in err


def test_unreadable_run_config_is_one_clear_error(tiny_run, tmp_path, capsys):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_run[0], broken)
    (broken / "config.yaml").write_text("model: [unclosed\n")
    assert main(["predict", str(broken), str(SEED)]) == 1
    assert "cannot read the run's config" in capsys.readouterr().err


def test_one_megabyte_article_is_read_whole_in_bounded_memory(tiny_run, tmp_path):
    """1 MB of text (the seed repeated): every token read, peak RSS of the predict process < 1.5 GB."""
    big = tmp_path / "big.txt"
    seed = SEED.read_text(encoding="utf-8")
    big.write_text((seed + "\n") * (1_000_000 // len(seed) + 1), encoding="utf-8")
    out = tmp_path / "big.jsonl"
    code = (
        "import resource, sys; from newsevents.cli import main; "
        f"rc = main(['-q', 'predict', {str(tiny_run[0])!r}, {str(big)!r}, '-o', {str(out)!r}]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak_kb = int(proc.stdout.strip().splitlines()[-1])
    assert peak_kb < 1.5 * 1024 * 1024
    rec = json.loads(out.read_text())
    assert len(rec["text"]) > 1_000_000 and rec["meta"]["tokens_read"] == rec["meta"]["tokens_total"]
    assert rec["spans"] == [] or rec["spans"][-1]["end"] > 900_000 or len(rec["spans"]) > 0


def _jsonl(run_dir, tmp_path):
    out = tmp_path / "again.jsonl"
    run_cli(run_dir, SEED, "-o", out)
    return out.read_text().splitlines()


def test_onnx_export_gives_the_same_spans_as_torch(tiny_run, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(tiny_run[0], run)
    assert main(["-q", "export", str(run)]) == 0 and (run / "model.onnx").is_file()
    assert main(["-q", "export", str(run)]) == 1  # never overwritten without --overwrite
    texts = [SEED.read_text(encoding="utf-8"), "Seoul summoned the Russian ambassador."]
    torch_spans = Predictor.from_run_dir(run).predict(texts)
    onnx_spans = Predictor.from_run_dir(run, backend="onnx").predict(texts)
    assert onnx_spans == torch_spans  # the same spans (a span's score is not part of its equality) ...
    assert all(abs(a.score - b.score) < 1e-3 for x, y in zip(onnx_spans, torch_spans) for a, b in zip(x, y))  # ... and scores


def test_onnx_backend_without_an_export_names_the_command(tiny_run):
    with pytest.raises(ValueError, match="newsevents export"):
        Predictor.from_run_dir(tiny_run[0], backend="onnx")


def test_the_run_config_picks_the_windows_and_the_caller_may_override_them(tiny_run):
    run_dir, model = tiny_run
    run = Predictor.from_run_dir(run_dir)
    assert run.windows == "stride"  # what the run was trained with (model.windows)
    packed = Predictor.from_run_dir(run_dir, windows="sentences")
    text = " ".join([SEED.read_text(encoding="utf-8")] * 3)  # several windows either way
    stride_logits, packed_logits = run.logits([text])[0], packed.logits([text])[0]
    assert stride_logits.shape == packed_logits.shape  # every token gets scores from exactly one window
    with pytest.raises(ValueError, match="windows must be one of"):
        Predictor(model, run.tokenizer, run.cfg, windows="pages")


def test_bf16_precision_gives_nearly_the_fp32_scores(tiny_run):
    import numpy as np

    from newsevents.predict import has_cpu_bf16

    run_dir, _ = tiny_run
    fp32, bf16 = Predictor.from_run_dir(run_dir), Predictor.from_run_dir(run_dir, precision="bf16")
    assert (fp32.precision, bf16.precision) == ("fp32", "bf16")
    text = SEED.read_text(encoding="utf-8")
    a, b = fp32.logits([text])[0], bf16.logits([text])[0]
    assert b.dtype == np.float32 and a.shape == b.shape
    assert np.abs(a - b).max() < 0.1 and not np.array_equal(a, b)  # bf16 keeps 8 bits of mantissa
    assert Predictor.from_run_dir(run_dir, precision="auto").precision == ("bf16" if has_cpu_bf16() else "fp32")
    with pytest.raises(ValueError, match="ONNX export is fp32"):
        Predictor.from_run_dir(run_dir, backend="onnx", precision="bf16")
    with pytest.raises(ValueError, match="precision must be one of"):
        Predictor.from_run_dir(run_dir, precision="int4")
