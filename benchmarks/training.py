"""Training speed: ``newsevents train`` vs a plain Hugging Face ``run_ner``-style recipe, on the same
training records, the same model, batch size and learning rate, for the same number of steps.

    python benchmarks/training.py --config configs/base.yaml --steps 100
    python benchmarks/training.py --config configs/starter.yaml --steps 20

The ``run_ner`` recipe is the one in transformers' examples: one example per sentence (truncated at
``max_length``), ``DataCollatorForTokenClassification`` padding, random batches, the model's own
cross-entropy. newsevents trains on whole-document windows in length-grouped batches. Both numbers
are sentences of training text consumed per second: for newsevents, the share of the epoch's
windows its steps covered times the sentences in the records.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def records(cfg):
    from newsevents.schema import read_jsonl
    from newsevents.train import select_train_records

    return select_train_records(read_jsonl(cfg.data.train, cfg.labels), cfg)


def sentences(recs) -> list[tuple[str, list]]:
    """Each record's sentences with their spans moved to sentence offsets (spans across a sentence
    break are cut to the sentence they start in)."""
    from newsevents.schema import Span
    from newsevents.text import split_sentences

    out = []
    for r in recs:
        for s, e in split_sentences(r.text):
            out.append((r.text[s:e], [Span(sp.start - s, min(sp.end, e) - s, sp.label) for sp in r.spans if s <= sp.start < e]))
    return out


def run_newsevents(config: str, steps: int, threads: int) -> dict:
    from newsevents.config import load_config
    from newsevents.schema import read_jsonl, write_jsonl
    from newsevents.train import train

    tmp = Path(tempfile.mkdtemp())
    probe = load_config(config)
    write_jsonl(read_jsonl(probe.data.dev, probe.labels)[:3], tmp / "dev.jsonl")  # the final dev pass is not timed; keep it short
    cfg = load_config(config, [f"output_dir={tmp / 'run'}", f"data.dev={tmp / 'dev.jsonl'}", f"train.max_steps={steps}",
                               "train.eval_strategy='no'", "train.save_strategy='no'", "train.load_best_model_at_end=false",
                               "train.disable_tqdm=true"])
    run_dir = train(cfg)
    m = json.loads((run_dir / "metrics.json").read_text())
    # the Trainer's own clock around its training loop, as for the run_ner recipe below
    runtime = next(e["train_runtime"] for e in json.loads((run_dir / "train_log.json").read_text()) if "train_runtime" in e)
    n_sent = len(sentences(records(cfg)))
    share = steps * cfg.train["per_device_train_batch_size"] / m["train_windows"]
    return {"recipe": "newsevents train", "steps": steps, "seconds": runtime, "sentences": round(share * n_sent),
            "examples": f"{m['train_windows']} windows"}


def run_ner_style(config: str, steps: int, threads: int) -> dict:
    from datasets import Dataset
    from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

    from newsevents.bio import spans_to_bio, tag_names
    from newsevents.config import load_config
    from newsevents.model import build_model, build_tokenizer

    cfg = load_config(config)
    set_seed(cfg.seed)
    tok = build_tokenizer(cfg.model)
    tag2id = {t: i for i, t in enumerate(tag_names(cfg.labels))}
    rows = []
    for text, spans in sentences(records(cfg)):
        enc = tok(text, truncation=True, max_length=cfg.model.max_length, return_offsets_mapping=True)
        offsets = [tuple(o) for o in enc.pop("offset_mapping")]
        tags = spans_to_bio([o if o[1] > o[0] else None for o in offsets], spans)
        enc["labels"] = [tag2id[t] if o[1] > o[0] else -100 for t, o in zip(tags, offsets)]
        rows.append(dict(enc))
    ds = Dataset.from_list(rows)
    t = cfg.train
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=steps, per_device_train_batch_size=t["per_device_train_batch_size"],
                             learning_rate=t["learning_rate"], weight_decay=t["weight_decay"], seed=cfg.seed, report_to="none",
                             save_strategy="no", logging_strategy="no", disable_tqdm=True, dataloader_pin_memory=False)
    trainer = Trainer(model=build_model(cfg.model, cfg.labels, vocab_size=len(tok)), args=args, train_dataset=ds,
                      data_collator=DataCollatorForTokenClassification(tok), processing_class=tok)
    runtime = trainer.train().metrics["train_runtime"]
    return {"recipe": "run_ner-style Trainer", "steps": steps, "seconds": runtime,
            "sentences": steps * t["per_device_train_batch_size"], "examples": f"{len(ds)} sentences"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="configs/base.yaml")
    ap.add_argument("--steps", type=int, default=100, help="optimizer steps for each recipe")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", help="JSON path (default benchmarks/results/training.json)")
    ap.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        recipe, config, steps, th = args.worker
        C.set_threads(int(th))
        fn = run_newsevents if recipe == "newsevents" else run_ner_style
        print(json.dumps(fn(config, int(steps), int(th))))
        return
    rows = [C.in_child(__file__, [r, args.config, str(args.steps), str(args.threads)]) for r in ("newsevents", "run_ner")]
    for r in rows:
        r["sentences/s"] = r["sentences"] / r["seconds"]
    ratio = rows[0]["sentences/s"] / rows[1]["sentences/s"]  # JSON keeps full precision; the table rounds
    print(f"training speed, {args.config}, {args.steps} steps each, {args.threads} threads\n")
    print(C.table(rows, ["recipe", "examples", "steps", "seconds", "sentences", "sentences/s"]))
    print(f"\nnewsevents / run_ner-style: {ratio:.2f}x sentences/s")
    print(f"wrote {C.save('training', {'config': args.config, 'steps': args.steps, 'threads': args.threads, 'rows': rows, 'ratio': ratio}, args.out)}")


if __name__ == "__main__":
    main()
