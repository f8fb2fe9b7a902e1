"""Knowledge distillation: a small student learns from a trained run's soft predictions as well as
from the gold tags (``distill.teacher`` in the config).

The teacher's logits for every training window are computed once, before training (one forward
pass over the training set, ~1 min for the default corpus on 2 CPU cores), and travel with the
window as ``teacher_logits``; training then costs what the student costs. The loss blends the gold
loss with the KL divergence between temperature-softened teacher and student tag distributions
(Hinton et al. 2015), scaled by T^2 so its gradients keep their size as T changes:

    loss = (1 - weight) * partial_label_loss + weight * T^2 * KL(teacher_T || student_T)

On partly labelled records the teacher also speaks for the labels the record does not cover.

>>> s = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]]); mask = torch.tensor([[True, True]])
>>> float(distill_loss(s, s.clone(), mask, temperature=2.0))
0.0
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import torch

from newsevents.features import length_batches

log = logging.getLogger(__name__)


def distill_loss(student: torch.Tensor, teacher: torch.Tensor, mask: torch.Tensor, temperature: float) -> torch.Tensor:
    """Mean over the ``mask``ed tokens of T^2 * KL(softmax(teacher/T) || softmax(student/T)).

    student, teacher (batch, seq, n_tags) logits; mask (batch, seq) bool, True where a text token is.
    """
    t = temperature
    log_p_student = torch.log_softmax(student.float() / t, -1)
    log_p_teacher = torch.log_softmax(teacher.float() / t, -1)
    kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(-1)
    return (kl[mask].mean() if mask.any() else student.sum() * 0.0) * t * t


def teacher_logits(run_dir: str | Path, dataset, tokenizer, labels, batch_size: int = 32) -> list[np.ndarray]:
    """The teacher run's logits for each window of ``dataset`` (its ``input_ids``, specials included),
    in dataset order: one (len(input_ids), n_tags) float32 array per window.

    The teacher must tag the same labels and read the same vocabulary as the student, else its
    logits mean something else: both are checked, and a mismatch is a ValueError naming the run."""
    from tqdm.auto import tqdm

    from newsevents.predict import Predictor

    teacher = Predictor.from_run_dir(run_dir, batch_size=batch_size)
    if list(teacher.labels) != list(labels):
        raise ValueError(f"{run_dir}: the teacher tags {teacher.labels}, the student {list(labels)}")
    if teacher.tokenizer.get_vocab() != tokenizer.get_vocab():
        raise ValueError(f"{run_dir}: the teacher's tokenizer differs from the student's; distil between models of one vocabulary")
    windows = dataset["input_ids"]
    out: list = [None] * len(windows)
    for chunk in tqdm(length_batches([len(w) for w in windows], batch_size), desc="teacher", unit="batch"):
        for i, logits in zip(chunk, teacher.forward([windows[i] for i in chunk])):
            out[i] = logits.astype(np.float32)
    log.info("teacher %s: logits for %d windows", run_dir, len(out))
    return out
