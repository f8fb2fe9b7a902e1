"""Train -> save -> reload -> identical outputs (allennlp's check), on a tiny model built from a config."""

import json

import pytest
import torch
from transformers import TrainerCallback

from newsevents.config import load_config
from newsevents.evaluate import evaluate
from newsevents.predict import Predictor, RunDirError
from newsevents.rundir import RunDirExists, staging_dir
from newsevents.schema import RecordError
from newsevents.train import partial_label_loss, train

from conftest import REPO

SEED_TEXT = (REPO / "seeds" / "000_ae5ddc711bbf85ad.txt").read_text(encoding="utf-8")


def tiny_cfg(tmp_path, *overrides):
    return load_config(REPO / "configs" / "tiny.yaml", [f"output_dir={tmp_path / 'run'}", "train.num_train_epochs=1", *overrides])


def test_run_directory_is_self_contained(tiny_run):
    run_dir, _ = tiny_run
    for name in ["config.yaml", "labels.json", "metrics.json", "config.json", "model.safetensors", "tokenizer.json", "README.md", "train_log.json"]:
        assert (run_dir / name).is_file(), name
    assert not (run_dir / "checkpoints").exists() and not list(run_dir.glob("*.bin"))
    labels = json.loads((run_dir / "labels.json").read_text())
    id2label = json.loads((run_dir / "config.json").read_text())["id2label"]
    assert [id2label[str(i)] for i in range(len(labels))] == labels
    assert "macro_f1" in json.loads((run_dir / "metrics.json").read_text())["dev"]


def test_reloaded_model_gives_identical_logits(tiny_run):
    run_dir, model = tiny_run
    reloaded = Predictor.from_run_dir(run_dir)
    in_memory = Predictor(model, reloaded.tokenizer, reloaded.cfg)
    for a, b in zip(reloaded.logits([SEED_TEXT, "Seoul met Tokyo."]), in_memory.logits([SEED_TEXT, "Seoul met Tokyo."])):
        assert torch.allclose(torch.tensor(a), torch.tensor(b), atol=1e-6)


def test_predictions_are_valid_char_spans(tiny_run):
    [spans] = Predictor.from_run_dir(tiny_run[0]).predict([SEED_TEXT])
    for span in spans:
        assert 0 <= span.start < span.end <= len(SEED_TEXT) and 0.0 <= span.score <= 1.0


def test_evaluate_returns_the_documented_keys(tiny_run, tmp_path):
    m = evaluate(tiny_run[0], REPO / "data" / "starter" / "test.jsonl", tmp_path / "eval", n_bootstrap=20)
    assert {"data", "run_dir", "documents", "strict", "seqeval_strict", "seqeval_lenient", "macro_f1_ci95", "per_source", "confusion", "errors"} <= set(m)
    assert set(m["strict"]["per_label"]) == {"ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION"}
    assert {"micro", "macro"} <= set(m["strict"])
    for name in ["metrics.json", "report.md", "predictions.jsonl", "confusion.png"]:
        assert (tmp_path / "eval" / name).is_file()


def test_evaluate_refuses_mismatched_labels_and_missing_paths(tiny_run, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "x", "text": "Seoul voted.", "spans": [{"start": 0, "end": 5, "label": "VOTER"}], "meta": {"labeled": ["VOTER"]}}\n')
    with pytest.raises(RunDirError, match="VOTER"):
        evaluate(tiny_run[0], other, tmp_path / "e")
    with pytest.raises(RunDirError, match="no such run directory"):
        evaluate(tmp_path / "nope", other)
    with pytest.raises(RecordError, match="missing.jsonl: no such file"):
        evaluate(tiny_run[0], tmp_path / "missing.jsonl")


def test_existing_run_dir_is_not_overwritten(tiny_run):
    cfg = load_config(tiny_run[0] / "config.yaml")
    with pytest.raises(RunDirExists, match="--overwrite"):
        train(cfg)


def test_same_seed_gives_the_same_metrics(tmp_path):
    a = json.loads((train(tiny_cfg(tmp_path / "a")).run_dir / "metrics.json").read_text())["dev"]
    b = json.loads((train(tiny_cfg(tmp_path / "b")).run_dir / "metrics.json").read_text())["dev"]
    assert {k: v for k, v in a.items() if "runtime" not in k and "per_second" not in k} == {
        k: v for k, v in b.items() if "runtime" not in k and "per_second" not in k
    }


class Kill(TrainerCallback):
    def on_save(self, args, state, control, **kwargs):
        raise KeyboardInterrupt("killed after the first checkpoint")


def test_killed_run_resumes_to_a_valid_run_dir(tmp_path):
    cfg = tiny_cfg(tmp_path, "train.num_train_epochs=2")
    with pytest.raises(KeyboardInterrupt):
        train(cfg, callbacks=[Kill()])
    # the killed run lives in the staging sibling; the run directory itself does not exist yet
    assert list((staging_dir(cfg.run_dir) / "checkpoints").glob("checkpoint-*")) and not cfg.run_dir.exists()
    with pytest.raises(RunDirExists, match="--resume to continue"):
        train(cfg)  # a plain restart would throw the checkpoints away: it asks first
    run_dir = train(cfg, resume=True).run_dir
    assert not staging_dir(cfg.run_dir).exists()
    log = json.loads((run_dir / "train_log.json").read_text())
    assert max(e.get("epoch", 0) for e in log) == 2.0
    Predictor.from_run_dir(run_dir)  # loads: the run directory is complete


def test_uncovered_labels_are_masked_out_of_the_loss():
    """An "O" token of a record that does not cover ACTOR costs nothing when the model says ACTOR."""
    logits = torch.tensor([[[0.0, 5.0, 0.0]]])  # tags O, B-ACTOR, I-ACTOR: the model says B-ACTOR
    labels = torch.tensor([[0]])  # gold "O"
    covered = partial_label_loss(logits, labels, torch.tensor([[0, 0, 0]]))
    uncovered = partial_label_loss(logits, labels, torch.tensor([[0, 1, 1]]))
    assert covered > 4.0 and uncovered < 0.01
    ignored = partial_label_loss(logits, torch.tensor([[-100]]), torch.tensor([[0, 0, 0]]))
    assert ignored == 0.0


@pytest.mark.slow
def test_tiny_model_overfits_two_articles(tmp_path):
    two = tmp_path / "two.jsonl"
    two.write_text("".join((REPO / "data" / "starter" / "train.jsonl").read_text().splitlines(keepends=True)[:2]))
    cfg = tiny_cfg(tmp_path, f"data.train={two}", f"data.dev={two}", "train.num_train_epochs=150", "early_stopping_patience=1000",
                   "train.learning_rate=3e-3", "train.warmup_steps=0")
    run_dir = train(cfg).run_dir
    assert json.loads((run_dir / "metrics.json").read_text())["dev"]["macro_f1"] == 1.0


def test_a_student_keeps_the_first_layers_of_the_pretrained_encoder(tiny_run, tmp_path):
    from newsevents.config import ModelConfig
    from newsevents.model import build_model

    run_dir, teacher = tiny_run
    labels = load_config(run_dir / "config.yaml").labels
    student = build_model(ModelConfig(name=str(run_dir), layers=1), labels)
    assert student.config.num_hidden_layers == 1 and len(student.base_model.encoder.layer) == 1
    first = dict(teacher.base_model.encoder.layer[0].named_parameters())
    assert all(torch.equal(p, first[n]) for n, p in student.base_model.encoder.layer[0].named_parameters())
    with pytest.raises(ValueError, match="has 2 encoder layers"):
        build_model(ModelConfig(name=str(run_dir), layers=3), labels)


# --- training precision (issue #14): bf16 where the hardware runs it fast, fp32 everywhere else -----


def test_forced_fp32_trains_in_float32_and_the_run_says_so(tmp_path):
    run_dir, model = train(tiny_cfg(tmp_path, "precision=fp32"))
    assert json.loads((run_dir / "metrics.json").read_text())["precision"] == "fp32"
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_bf16_training_keeps_float32_weights_and_records_bf16(tmp_path):
    run_dir, model = train(tiny_cfg(tmp_path, "precision=bf16"))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["precision"] == "bf16" and metrics["dev"]["loss"] == metrics["dev"]["loss"]  # not NaN
    assert all(p.dtype == torch.float32 for p in model.parameters())  # autocast: the master weights stay fp32
    assert "float32" in (run_dir / "config.json").read_text()  # and so does the saved checkpoint


def test_auto_precision_is_fp32_on_a_cpu_without_bf16(tmp_path, monkeypatch):
    from newsevents import precision

    monkeypatch.setattr(precision, "cpu_flags", lambda: {"avx2", "fma"})  # a CPU without bf16 instructions
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert precision.resolve("auto") == "fp32"
    run_dir = train(tiny_cfg(tmp_path, "precision=auto")).run_dir
    assert json.loads((run_dir / "metrics.json").read_text())["precision"] == "fp32"


def test_the_partial_label_loss_is_float32_and_finite_from_bf16_logits():
    # bf16 logits large enough that a bf16 logsumexp over the masked tags would lose the loss
    logits = (torch.randn(2, 5, 9) * 60).to(torch.bfloat16)
    labels = torch.tensor([[0, 1, 2, 0, -100], [3, 0, 0, 4, 0]])
    unknown = torch.tensor([[0, 0, 0, 1, 1, 0, 0, 0, 0], [0] * 9])
    loss = partial_label_loss(logits, labels, unknown)
    assert loss.dtype == torch.float32 and torch.isfinite(loss)
    assert torch.allclose(loss, partial_label_loss(logits.float(), labels, unknown))


def test_attention_dropout_is_set_on_the_model_config(tmp_path):
    from newsevents.config import ModelConfig
    from newsevents.model import build_model

    cfg = load_config(REPO / "configs" / "tiny.yaml", ["model.attention_dropout=0.0"]).model
    assert build_model(cfg, ["ACTOR"], vocab_size=100).config.attention_probs_dropout_prob == 0.0
    kept = load_config(REPO / "configs" / "tiny.yaml", ["model.attention_dropout=null"]).model
    assert build_model(kept, ["ACTOR"], vocab_size=100).config.attention_probs_dropout_prob == 0.1
    assert isinstance(cfg, ModelConfig)
