"""Training speed: ``newsevents train`` in each precision and batching variant vs a plain Hugging
Face ``run_ner``-style recipe, on the same training records, model, batch size and learning rate,
for the same number of steps, each in its own process.

    python benchmarks/training.py --config configs/base.yaml --steps 60
    python benchmarks/training.py --config configs/base.yaml --steps 60 --variants fp32,default

A variant is the config plus overrides (``VARIANTS``): ``fp32`` is the step of the default before
the training-speed issue (float32, the checkpoint's attention dropout), ``default`` the shipped one
(``precision: auto``, no attention dropout). The ``run_ner`` recipe is the one in transformers'
examples: one example per sentence (truncated at ``max_length``), ``DataCollatorForTokenClassification``
padding, random batches, the model's own cross-entropy, float32. newsevents trains on whole-document
windows in length-grouped batches. Speed is sentences of training text consumed per second: for
newsevents, the share of the epoch's windows its steps covered times the sentences in the records.
Each row also gives the process's peak RSS and the share of the batches' token slots that are
padding (one epoch of the Trainer's length-grouped sampler, seeded).
"""

from __future__ import annotations

import argparse
import dataclasses
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


VARIANTS = {  # name -> overrides of the config
    "fp32": ["precision=fp32", "model.attention_dropout=null"],
    "bf16": ["precision=bf16", "model.attention_dropout=null"],
    "fp32 no-attn-dropout": ["precision=fp32", "model.attention_dropout=0.0"],
    "default": [],
    "default+sentences": ["model.windows=sentences"],
    "default+compile": ["train.torch_compile=true"],
    "default+fused-adamw": ["train.optim=adamw_torch_fused"],  # what transformers 5 picks anyway: run-to-run noise
}


def padding_share(cfg) -> float:
    """Share of the token slots of one epoch's length-grouped batches that are padding."""
    import torch
    from transformers.trainer_pt_utils import get_length_grouped_indices

    from newsevents.features import encode
    from newsevents.model import build_tokenizer

    m = cfg.model
    lengths = [len(x) for x in encode(records(cfg), build_tokenizer(m), cfg.labels, m.max_length, m.stride, m.windows)["input_ids"]]
    bs = cfg.train["per_device_train_batch_size"]
    order = get_length_grouped_indices(lengths, bs, generator=torch.Generator().manual_seed(cfg.seed))
    batches = [[lengths[i] for i in order[k : k + bs]] for k in range(0, len(order), bs)]
    return 1 - sum(map(sum, batches)) / sum(max(b) * len(b) for b in batches)


def run_newsevents(config: str, steps: int, threads: int, variant: str = "default") -> dict:
    from newsevents.config import load_config
    from newsevents.schema import read_jsonl, write_jsonl
    from newsevents.train import train

    tmp = Path(tempfile.mkdtemp())
    probe = load_config(config)
    write_jsonl(read_jsonl(probe.data.dev, probe.labels)[:3], tmp / "dev.jsonl")  # the final dev pass is not timed; keep it short
    cfg = load_config(config, [f"output_dir={tmp / 'run'}", f"data.dev={tmp / 'dev.jsonl'}", f"train.max_steps={steps}",
                               "train.eval_strategy='no'", "train.save_strategy='no'", "train.load_best_model_at_end=false",
                               "train.disable_tqdm=true", *VARIANTS[variant]])
    run_dir = train(cfg).run_dir
    m = json.loads((run_dir / "metrics.json").read_text())
    # the Trainer's own clock around its training loop, as for the run_ner recipe below
    runtime = next(e["train_runtime"] for e in json.loads((run_dir / "train_log.json").read_text()) if "train_runtime" in e)
    n_sent = len(sentences(records(cfg)))
    share = steps * cfg.train["per_device_train_batch_size"] / m["train_windows"]
    return {"recipe": "newsevents train", "variant": f"{variant} ({m['precision']})", "steps": steps, "seconds": runtime,
            "sentences": round(share * n_sent), "examples": f"{m['train_windows']} windows", "peak RSS MB": C.peak_rss_mb(),
            "padding %": 100 * padding_share(cfg)}


def run_ner_style(config: str, steps: int, threads: int) -> dict:
    from datasets import Dataset
    from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

    from newsevents.bio import spans_to_bio, tag_names
    from newsevents.config import load_config
    from newsevents.model import build_model, build_tokenizer

    cfg = load_config(config)
    set_seed(cfg.seed)
    tok = build_tokenizer(cfg.model)
    plain = dataclasses.replace(cfg.model, attention_dropout=None)  # what a user of the recipe trains: the checkpoint as it is
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
    trainer = Trainer(model=build_model(plain, cfg.labels, vocab_size=len(tok)), args=args, train_dataset=ds,
                      data_collator=DataCollatorForTokenClassification(tok), processing_class=tok)
    runtime = trainer.train().metrics["train_runtime"]
    lengths = [len(x) for x in ds["input_ids"]]
    bs = t["per_device_train_batch_size"]
    batches = [lengths[k : k + bs] for k in range(0, len(lengths), bs)]  # random batches: file order is as random as any
    return {"recipe": "run_ner-style Trainer", "variant": "fp32", "steps": steps, "seconds": runtime,
            "sentences": steps * bs, "examples": f"{len(ds)} sentences", "peak RSS MB": C.peak_rss_mb(),
            "padding %": 100 * (1 - sum(map(sum, batches)) / sum(max(b) * len(b) for b in batches))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="configs/base.yaml")
    ap.add_argument("--steps", type=int, default=100, help="optimizer steps for each recipe")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--variants", default="fp32,default", help=f"newsevents variants, comma-separated: {', '.join(VARIANTS)}")
    ap.add_argument("--out", help="JSON path (default benchmarks/results/training.json)")
    ap.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        recipe, config, steps, th, variant = args.worker
        C.set_threads(int(th))
        row = run_newsevents(config, int(steps), int(th), variant) if recipe == "newsevents" else run_ner_style(config, int(steps), int(th))
        print(json.dumps(row))
        return
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; choose from {list(VARIANTS)}")
    jobs = [("newsevents", v) for v in variants] + [("run_ner", "-")]
    rows = [C.in_child(__file__, [r, args.config, str(args.steps), str(args.threads), v]) for r, v in jobs]
    for r in rows:
        r["sentences/s"] = r["sentences"] / r["seconds"]
    base = next((r for r in rows if r["variant"].startswith("fp32 (")), rows[0])
    for r in rows:
        r["vs fp32"] = f"{r['sentences/s'] / base['sentences/s']:.2f}x"
    ratio = rows[0]["sentences/s"] / rows[-1]["sentences/s"]  # first variant / run_ner; JSON keeps full precision
    print(f"training speed, {args.config}, {args.steps} steps each, {args.threads} threads\n")
    print(C.table(rows, ["recipe", "variant", "examples", "steps", "seconds", "sentences/s", "vs fp32", "peak RSS MB", "padding %"]))
    print(f"\n{rows[0]['recipe']} ({rows[0]['variant']}) / run_ner-style: {ratio:.2f}x sentences/s")
    print(f"wrote {C.save('training', {'config': args.config, 'steps': args.steps, 'threads': args.threads, 'rows': rows, 'ratio': ratio}, args.out)}")


if __name__ == "__main__":
    main()
