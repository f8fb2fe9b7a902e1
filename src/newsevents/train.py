"""``train(cfg) -> TrainedRun(run_dir, model)``: records -> windows -> Hugging Face Trainer -> a run directory.

The run directory holds everything ``evaluate`` and ``predict`` need: ``config.yaml`` (resolved),
``labels.json``, ``model.safetensors`` + ``config.json``, the tokenizer, ``metrics.json`` (dev scores of
the kept checkpoint), ``train_log.json`` and a model card ``README.md``. While training, the run lives
in ``<run>.partial`` (``rundir``) with ``checkpoints/``, from which a killed run resumes
(``resume=True``); the finished run is swapped in whole and its checkpoints removed.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import NamedTuple

import torch
from torch.utils.data import SequentialSampler
from transformers import Trainer

from newsevents import rundir
from newsevents.bio import tag_names
from newsevents.config import Config, DataConfig, config_yaml  # noqa: F401 (DataConfig: the doctest of read_split)
from newsevents.decode import decode
from newsevents.features import encode, tokenize
from newsevents.metrics import span_scores
from newsevents.model import build_model, build_tokenizer
from newsevents.precision import resolve as resolve_precision
from newsevents.schema import read_jsonl

log = logging.getLogger(__name__)


class TrainedRun(NamedTuple):
    """What ``train`` returns: the finished run directory and the trained model, still in memory."""

    run_dir: Path
    model: torch.nn.Module


def train(cfg: Config, overwrite: bool = False, resume: bool = False, command: str = "", callbacks=()) -> TrainedRun:
    """Fine-tune per ``cfg``; returns the run directory and the in-memory model.

    Nothing on disk changes until the config, the data and the model have been checked; the run is
    trained in ``<run>.partial`` and swapped in at the end (``rundir``), so a failed or killed run
    never costs the previous one. ``callbacks`` are extra ``transformers.TrainerCallback`` objects
    (tests use one to kill a run)."""
    from transformers import EarlyStoppingCallback, TrainingArguments, set_seed
    from transformers.trainer_utils import get_last_checkpoint

    run_dir = cfg.run_dir
    staging = rundir.check_target(run_dir, overwrite, resume)
    set_seed(cfg.seed)
    # 1. data
    given = read_split(cfg, "train")
    train_records = select_train_records(given, cfg)
    if not train_records:
        why = (f"data.negative_fraction={cfg.data.negative_fraction} kept none of its span-less records"
               if any(set(r.labeled) & set(cfg.labels) for r in given) else
               f"none has a span or is annotated for any of {list(cfg.labels)} (meta.labeled)")
        raise DataError(f"{cfg.data.train}: no record to train on (config key data.train): of {len(given)} record(s), {why}")
    dev_records = read_split(cfg, "dev")
    # 2. tokenizer and windows
    tokenizer = build_tokenizer(cfg.model)
    m = cfg.model
    train_ds = encode(train_records, tokenizer, cfg.labels, m.max_length, m.stride, m.windows, m.label_subwords)
    dev_docs = [tokenize(tokenizer, r.text) for r in dev_records]  # tokenized once: the dev windows and the dev scorer
    dev_ds = encode(dev_records, tokenizer, cfg.labels, m.max_length, m.stride, m.windows, m.label_subwords, dev_docs)
    log.info("%d train records -> %d windows; %d dev records -> %d windows", len(train_records), len(train_ds), len(dev_records), len(dev_ds))
    if cfg.distill.teacher:  # the teacher reads each training window once, here, not every epoch
        from newsevents.distill import teacher_logits

        soft = teacher_logits(cfg.distill.teacher, train_ds, tokenizer, cfg.labels, cfg.train.get("per_device_eval_batch_size", 32))
        train_ds = train_ds.add_column("teacher_logits", [x.tolist() for x in soft])
    # 3. model
    model = build_model(cfg.model, cfg.labels, vocab_size=len(tokenizer))
    # 4. trainer arguments (a bad train.* value fails here, before anything is written)
    precision = resolve_precision(cfg.precision)
    args = TrainingArguments(
        output_dir=str(staging / "checkpoints"), seed=cfg.seed, remove_unused_columns=False, label_names=["labels"],
        **precision_args(precision), **cfg.train
    )
    # 5. the staging directory: the first write to disk, after every check
    resuming = rundir.start(staging, resume, config_yaml(cfg), tag_names(cfg.labels))
    # trainer: our loss, our dev scorer, best checkpoint by dev macro F1
    trainer = PartialLabelTrainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=Collator(tokenizer),
        processing_class=tokenizer,
        compute_metrics=DevScorer(dev_records, dev_docs, dev_ds, cfg.labels),
        distill=cfg.distill if cfg.distill.teacher else None,
        callbacks=([EarlyStoppingCallback(cfg.early_stopping_patience)] if args.load_best_model_at_end else []) + list(callbacks),
    )
    last = get_last_checkpoint(args.output_dir) if resuming else None
    started = time.time()
    trainer.train(resume_from_checkpoint=last)
    seconds = time.time() - started
    # 6. the run directory, written in staging and swapped in whole
    trainer.save_model(str(staging))
    (staging / "training_args.bin").unlink(missing_ok=True)  # a pickle: the run dir keeps only safe formats
    tokenizer.save_pretrained(str(staging))
    dev = trainer.evaluate()
    metrics = {
        "dev": {k.removeprefix("eval_"): v for k, v in dev.items()},
        "train_seconds": round(seconds, 1),
        "train_records": len(train_records),
        "train_windows": len(train_ds),
        "precision": precision,
        "best_checkpoint": trainer.state.best_model_checkpoint and Path(trainer.state.best_model_checkpoint).name,
        "epochs_run": trainer.state.epoch,
    }
    rundir.finish(staging, run_dir, cfg, metrics, trainer.state.log_history, command)
    log.info("run directory: %s (dev macro F1 %.3f)", run_dir, metrics["dev"].get("macro_f1", float("nan")))
    # under bf16 accelerate wraps the model's forward in autocast; hand back the plain fp32 model
    return TrainedRun(run_dir, trainer.accelerator.unwrap_model(trainer.model, keep_fp32_wrapper=False))


class DataError(ValueError):
    """A training or dev data file that cannot be used; the message names the file and its config key."""


def read_split(cfg: Config, key: str) -> list:
    """The records of ``cfg.data.<key>``, or DataError naming the file, the config key and the problem.

    >>> read_split(Config(data=DataConfig(dev="no/such.jsonl")), "dev")
    Traceback (most recent call last):
    ...
    newsevents.train.DataError: no/such.jsonl: no such file (config key data.dev)
    """
    path = Path(getattr(cfg.data, key))
    if not path.exists():
        raise DataError(f"{path}: no such file (config key data.{key})")
    if path.is_dir():
        raise DataError(f"{path}: is a directory; config key data.{key} must name a JSONL file")
    records = read_jsonl(path, cfg.labels)
    if not records:
        raise DataError(f"{path}: no records (config key data.{key})")
    return records


def precision_args(precision: str) -> dict:
    """TrainingArguments for ``"fp32"`` or ``"bf16"``: bf16 is the Trainer's autocast (matrix products
    in bfloat16, weights, optimizer state and our loss in float32); on a machine without CUDA it
    runs on the CPU, which the Trainer must be told.

    >>> precision_args("fp32")
    {}
    """
    if precision == "fp32":
        return {}
    import torch

    return {"bf16": True} | ({} if torch.cuda.is_available() else {"use_cpu": True})


def select_train_records(records, cfg: Config) -> list:
    """Drop records that teach nothing (no span, no covered label: every token is masked) and keep a
    seeded ``data.negative_fraction`` of the span-less rest: the public sources are mostly sentences
    without any of our events, and at full weight they drown the rare positives.

    >>> from newsevents.schema import Record, Span
    >>> cfg = Config(); cfg.data.negative_fraction = 0.0
    >>> recs = [Record("a", "x", [Span(0, 1, "ACTOR")], {}), Record("b", "y", [], {}), Record("c", "z", [], {"labeled": []})]
    >>> [r.id for r in select_train_records(recs, cfg)]
    ['a']
    """
    import random

    informative = [r for r in records if r.spans or set(r.labeled) & set(cfg.labels)]
    rng = random.Random(cfg.seed)
    kept = [r for r in informative if r.spans or rng.random() < cfg.data.negative_fraction]
    log.info("train records: %d given, %d kept (%d without any span dropped by data.negative_fraction=%s)",
             len(records), len(kept), len(informative) - len(kept), cfg.data.negative_fraction)
    return kept


def partial_label_loss(logits: torch.Tensor, labels: torch.Tensor, unknown: torch.Tensor) -> torch.Tensor:
    """Cross-entropy where an "O" token of a partly labelled record may also be any label id the record
    does not cover: -log sum_{allowed} p. With nothing unknown it is plain cross-entropy.

    logits (batch, seq, n_tags); labels (batch, seq), -100 = ignore; unknown (batch, n_tags) in {0, 1}.

    >>> logits = torch.tensor([[[2.0, 0.0, 1.0]]]); labels = torch.tensor([[0]])
    >>> bool(partial_label_loss(logits, labels, torch.tensor([[0, 0, 1]])) < partial_label_loss(logits, labels, torch.zeros(1, 3)))
    True
    """
    logits = logits.float()  # in bf16 the masked logsumexp overflows to NaN (seen on an H100)
    valid = labels != -100
    safe = labels.clamp(min=0)
    allowed = torch.nn.functional.one_hot(safe, logits.shape[-1]).bool()
    is_o = (safe == 0) & valid
    allowed |= is_o.unsqueeze(-1) & unknown.bool().unsqueeze(1)
    nll = torch.logsumexp(logits, -1) - torch.logsumexp(logits.masked_fill(~allowed, float("-inf")), -1)
    return nll[valid].mean() if valid.any() else logits.sum() * 0.0


class PartialLabelTrainer(Trainer):
    """The HF Trainer with ``partial_label_loss``, blended with ``distill.distill_loss`` on batches
    that carry ``teacher_logits`` when ``distill`` is given; everything else is stock."""

    def __init__(self, *args, distill=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.distill = distill

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels, unknown, teacher = inputs.pop("labels"), inputs.pop("unknown"), inputs.pop("teacher_logits", None)
        outputs = model(**inputs)
        loss = partial_label_loss(outputs.logits, labels, unknown)
        if self.distill is not None and teacher is not None:
            from newsevents.distill import distill_loss

            soft = distill_loss(outputs.logits, teacher, labels != -100, self.distill.temperature)
            loss = (1 - self.distill.weight) * loss + self.distill.weight * soft
        return (loss, outputs) if return_outputs else loss

    def _get_eval_sampler(self, eval_dataset):
        # DevScorer maps predictions back to windows by position: evaluation must keep dataset
        # order (transformers 5 length-groups eval batches too when training does)
        return SequentialSampler(eval_dataset)

    def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
        # evaluation needs the loss with the same masking, and logits aligned with labels
        labels = inputs["labels"]
        with torch.no_grad(), self.compute_loss_context_manager():  # the training precision, as the stock step
            loss, outputs = self.compute_loss(model, dict(inputs), return_outputs=True)
        return (loss.detach(), None if prediction_loss_only else outputs.logits.detach().float(), labels)


class Collator:
    """Pad a batch of windows: input_ids with the pad id, labels with -100, ``teacher_logits`` (if
    any) with zeros (padding is masked by the labels); stack ``unknown``."""

    def __init__(self, tokenizer):
        from transformers import DataCollatorForTokenClassification

        self.pad = DataCollatorForTokenClassification(tokenizer, label_pad_token_id=-100)

    def __call__(self, rows: list[dict]) -> dict:
        batch = self.pad([{k: r[k] for k in ("input_ids", "attention_mask", "labels")} for r in rows])
        batch["unknown"] = torch.tensor([r["unknown"] for r in rows])
        if "teacher_logits" in rows[0]:
            width, n_tags = batch["input_ids"].shape[1], len(rows[0]["teacher_logits"][0])
            soft = torch.zeros(len(rows), width, n_tags)
            for i, r in enumerate(rows):
                soft[i, : len(r["teacher_logits"])] = torch.tensor(r["teacher_logits"])
            batch["teacher_logits"] = soft
        return batch


class DevScorer:
    """``compute_metrics`` for the Trainer: each dev record's window logits through the one decoder
    (``decode.decode``), then the one scorer. Returns macro/micro strict F1 and per-label F1."""

    def __init__(self, records, docs, dataset, labels):
        self.records, self.docs, self.labels = records, docs, labels
        self.windows = list(zip(dataset["record_index"], dataset["token_start"], dataset["n_tokens"]))

    def __call__(self, eval_pred) -> dict:
        logits = eval_pred.predictions  # (windows, padded length, n_tags), in dataset order
        per_record: dict[int, list] = {i: [] for i in range(len(self.records))}
        for w, (ri, start, n) in enumerate(self.windows):
            per_record[ri].append((start, start + n, logits[w]))
        preds = [decode(doc, per_record[i], self.labels) for i, doc in enumerate(self.docs)]
        s = span_scores(self.records, preds, self.labels)
        out = {"macro_f1": s["macro"]["f1"], "micro_f1": s["micro"]["f1"]}
        out.update({f"f1_{label}": v["f1"] for label, v in s["per_label"].items()})
        return out
