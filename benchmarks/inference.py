"""Inference speed: newsevents' ``Predictor`` vs ``transformers.pipeline`` on the same run directory,
the same articles, the same machine and thread count, in one run; plus how far their spans agree.

    python benchmarks/inference.py --run models/default-s13          # gold test texts, 200 articles
    python benchmarks/inference.py --run models/starter --articles 20 --data data/starter/test.jsonl

The pipeline is what a user would otherwise write: ``pipeline("token-classification",
aggregation_strategy="simple", stride=...)``, given the run's window length (``model.max_length``)
so both read the same windows; ``simple`` aggregation groups tokens the way ``bio.bio_to_spans``
does. Agreement is the F1 of the pipeline's (start, end, label) spans against newsevents' spans.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def worker(method: str, run: str, data: str, n: int, threads: int, batch_size: int) -> dict:
    C.set_threads(threads)
    from newsevents.config import load_config

    cfg = load_config(Path(run) / "config.yaml")
    texts = [a["text"] for a in C.articles(data, n)]
    t0 = time.perf_counter()
    if method == "newsevents":
        from newsevents.predict import Predictor

        predictor = Predictor.from_run_dir(run, batch_size=batch_size)

        def run_all(xs):
            return [[(s.start, s.end, s.label) for s, _ in doc] for doc in predictor.predict(xs)]
    else:
        from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

        tok = AutoTokenizer.from_pretrained(run, model_max_length=cfg.model.max_length)
        model = AutoModelForTokenClassification.from_pretrained(run, use_safetensors=True)
        pipe = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy="simple",
                        stride=cfg.model.stride, device="cpu", batch_size=batch_size if method == "pipeline-batched" else 1)

        def run_all(xs):
            return [[(e["start"], e["end"], e["entity_group"]) for e in doc] for doc in pipe(xs)]
    load_s = time.perf_counter() - t0
    run_all(texts[:2])  # warm-up: first-call allocations are not what an archive run pays per article
    t0 = time.perf_counter()
    spans = run_all(texts)
    seconds = time.perf_counter() - t0
    return {"method": method, "seconds": seconds, "load_seconds": load_s,  # full precision; the table rounds
            "peak_rss_mb": C.peak_rss_mb(), "spans": spans}


def agreement(a: list[list], b: list[list]) -> dict:
    """Span-level F1 of ``b`` against ``a`` over all articles (the project's scorer, every label
    covered), and the first few differences."""
    from collections import Counter

    from newsevents.metrics import scores_from_counts, span_counts
    from newsevents.schema import Record, Span

    labels = sorted({s[2] for doc in a + b for s in doc})
    ref = [Record(str(i), "", [Span(*s) for s in doc], {"labeled": labels}) for i, doc in enumerate(a)]
    counts = span_counts(ref, [[Span(*s) for s in doc] for doc in b], labels)
    total = sum(counts.values(), Counter())
    diffs = []
    for i, (x, y) in enumerate(zip(a, b)):
        x, y = {tuple(s) for s in x}, {tuple(s) for s in y}
        if (x ^ y) and len(diffs) < 10:
            diffs.append({"article": i, "only_newsevents": sorted(x - y), "only_pipeline": sorted(y - x)})
    return {"agreement_f1": round(scores_from_counts(counts)["micro"]["f1"], 4), "same": total["tp"],
            "only_newsevents": total["fn"], "only_pipeline": total["fp"], "examples": diffs}


def gold_f1(data: str, spans: list[list]) -> float | str:
    """Macro strict F1 (the project's scorer) of one method's spans on the data's unique articles,
    so a difference in spans shows up as a difference in quality; "" when the data has no gold."""
    from newsevents.metrics import span_scores
    from newsevents.schema import LABELS, Span, read_jsonl

    gold = read_jsonl(data, labels=None)
    if not any(r.spans for r in gold):
        return ""
    k = min(len(gold), len(spans))
    pred = [[Span(*s) for s in doc] for doc in spans[:k]]
    return round(span_scores(gold[:k], pred, LABELS)["macro"]["f1"], 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", help="a run directory written by newsevents train (required)")
    ap.add_argument("--data", default="data/processed/gold_test.jsonl", help="JSONL records whose texts are the articles")
    ap.add_argument("--articles", type=int, default=200, help="articles to tag (the data's texts, repeated)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--methods", default="newsevents,pipeline", help="comma-separated: newsevents, pipeline, pipeline-batched")
    ap.add_argument("--out", help="JSON path (default benchmarks/results/inference.json)")
    ap.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        m, run, data, n, th, bs = args.worker
        print(json.dumps(worker(m, run, data, int(n), int(th), int(bs))))
        return
    if not args.run:
        ap.error("--run is required")
    texts = [a["text"] for a in C.articles(args.data, args.articles)]
    from transformers import AutoTokenizer

    n_tokens = sum(len(t) for t in AutoTokenizer.from_pretrained(args.run)(texts, add_special_tokens=False, verbose=False)["input_ids"])
    results = {}
    for m in args.methods.split(","):
        results[m] = C.in_child(__file__, [m, args.run, args.data, str(args.articles), str(args.threads), str(args.batch_size)])
    rows = []
    base = results.get("pipeline")
    for m, r in results.items():
        rows.append({"method": m, "articles/s": args.articles / r["seconds"], "tokens/s": n_tokens / r["seconds"],
                     "seconds": r["seconds"], "peak RSS MB": r["peak_rss_mb"],
                     "vs pipeline": f"{base['seconds'] / r['seconds']:.2f}x" if base else ""})
    agree = agreement(results["newsevents"]["spans"], base["spans"]) if base and "newsevents" in results else None
    for row, r in zip(rows, results.values()):
        row["gold macro F1"] = gold_f1(args.data, r["spans"])
    print(f"{args.articles} articles ({n_tokens} tokens) from {args.data}, run {args.run}, {args.threads} threads\n")
    print(C.table(rows, ["method", "articles/s", "tokens/s", "seconds", "peak RSS MB", "vs pipeline", "gold macro F1"]))
    if agree:
        print(f"\nspan agreement (F1 of pipeline spans against newsevents spans): {agree['agreement_f1']:.4f} "
              f"({agree['same']} same, {agree['only_newsevents']} only newsevents, {agree['only_pipeline']} only pipeline)")
    path = C.save("inference", {"run": args.run, "data": args.data, "articles": args.articles, "tokens": n_tokens,
                                "threads": args.threads, "batch_size": args.batch_size, "rows": rows, "agreement": agree},
                  args.out)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
