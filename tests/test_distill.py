"""Distillation: a student learns from a trained run's soft predictions (``distill.teacher``)."""

import json

import pytest
import torch

from newsevents.config import load_config
from newsevents.distill import distill_loss, teacher_logits
from newsevents.features import encode
from newsevents.predict import Predictor
from newsevents.schema import read_jsonl
from newsevents.train import Collator, PartialLabelTrainer, train

from conftest import REPO


def test_distill_loss_is_zero_when_the_student_matches_the_teacher_and_grows_with_the_gap():
    teacher = torch.tensor([[[3.0, 0.0, 0.0], [0.0, 3.0, 0.0]]])
    mask = torch.tensor([[True, True]])
    assert distill_loss(teacher.clone(), teacher, mask, 2.0) == 0.0
    near, far = teacher * 0.9, teacher.flip(-1)
    assert 0 < distill_loss(near, teacher, mask, 2.0) < distill_loss(far, teacher, mask, 2.0)


def test_distill_loss_ignores_masked_tokens():
    teacher = torch.tensor([[[3.0, 0.0], [3.0, 0.0]]])
    student = torch.tensor([[[3.0, 0.0], [0.0, 9.0]]])  # wrong only on the masked (padding) token
    assert distill_loss(student, teacher, torch.tensor([[True, False]]), 1.0) == 0.0


def test_teacher_logits_are_the_teacher_models_logits_for_each_window_in_dataset_order(tiny_run):
    run_dir, _ = tiny_run
    teacher = Predictor.from_run_dir(run_dir)
    records = read_jsonl(REPO / "data" / "starter" / "dev.jsonl")[:3]
    ds = encode(records, teacher.tokenizer, teacher.labels, 64, 16)
    soft = teacher_logits(run_dir, ds, teacher.tokenizer, teacher.labels, batch_size=4)
    assert len(soft) == len(ds) > 3  # long records give several windows
    for i in (0, len(ds) - 1):
        alone = teacher.forward([ds[i]["input_ids"]])[0]
        assert soft[i].shape == (len(ds[i]["input_ids"]), len(teacher.labels) * 2 + 1)
        assert torch.allclose(torch.tensor(soft[i]), torch.tensor(alone), atol=1e-5)


def test_a_teacher_with_other_labels_is_refused(tiny_run):
    run_dir, _ = tiny_run
    teacher = Predictor.from_run_dir(run_dir)
    ds = encode(read_jsonl(REPO / "data" / "starter" / "dev.jsonl")[:1], teacher.tokenizer, ["ACTOR"], 64, 16)
    with pytest.raises(ValueError, match="the teacher tags"):
        teacher_logits(run_dir, ds, teacher.tokenizer, ["ACTOR"])


def test_with_full_weight_the_training_loss_is_the_distillation_loss(tiny_run):
    run_dir, model = tiny_run
    cfg = load_config(run_dir / "config.yaml", ["distill.weight=1.0", "distill.temperature=2.0"])
    tok = Predictor.from_run_dir(run_dir).tokenizer
    ds = encode(read_jsonl(REPO / "data" / "starter" / "dev.jsonl")[:2], tok, cfg.labels, 64, 16)
    ds = ds.add_column("teacher_logits", [x.tolist() for x in teacher_logits(run_dir, ds, tok, cfg.labels)])
    batch = Collator(tok)([ds[0], ds[1]])
    trainer = PartialLabelTrainer.__new__(PartialLabelTrainer)  # compute_loss needs only .distill
    trainer.distill = cfg.distill
    model.eval()
    # the teacher is the model itself: nothing left to learn from it
    assert trainer.compute_loss(model, dict(batch)) < 1e-6
    trainer.distill = None  # without distillation the same batch has a gold loss
    assert trainer.compute_loss(model, dict(batch)) > 0.01


def test_a_distilled_student_trains_into_a_self_contained_run_dir(tiny_run, tmp_path):
    run_dir, _ = tiny_run
    cfg = load_config(REPO / "configs" / "tiny.yaml", [f"output_dir={tmp_path / 'student'}", "train.num_train_epochs=1",
                                                        f"model.name={run_dir}", "model.layers=1", f"distill.teacher={run_dir}"])
    student_dir = train(cfg).run_dir
    assert json.loads((student_dir / "config.json").read_text())["num_hidden_layers"] == 1
    assert load_config(student_dir / "config.yaml").distill.teacher == str(run_dir)
    assert f"Distilled from `{run_dir}`" in (student_dir / "README.md").read_text()
    assert Predictor.from_run_dir(student_dir).predict(["Seoul summoned the Russian ambassador."])[0] is not None
