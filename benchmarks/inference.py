"""Inference speed: newsevents' ``Predictor`` vs ``transformers.pipeline`` on the same run directory,
the same articles, the same machine and thread count, in one run; plus how far their spans agree.

    python benchmarks/inference.py --run models/default-s13          # gold test texts, 200 articles
    python benchmarks/inference.py --run models/starter --articles 20 --data data/starter/test.jsonl
    python benchmarks/inference.py --run models/default-s13 --student models/student-s13 \
        --methods newsevents,newsevents+sentences,student+sentences,pipeline

A method is ``newsevents`` (the Predictor on ``--run``), ``student`` (the Predictor on ``--student``,
a faster model distilled from ``--run``), ``pipeline`` or ``pipeline-batched`` (the transformers
pipeline on ``--run``, batch 1 / ``--batch-size``), ``student-pipeline`` (the pipeline on
``--student``, batch 1: what the student alone buys a pipeline user). Flags: ``+sentences`` reads
sentence-packed windows instead of stride windows, ``+onnx`` runs ``RUN/model.onnx`` (``newsevents
export RUN``) under ONNX Runtime, ``+bf16`` runs the model in bfloat16 (pipelines take it too: a
pipeline user can do that as well), ``+first`` gives a pipeline ``aggregation_strategy="first"``
(a word takes its first sub-word's tag, as newsevents decodes). Each row also reports its spans' agreement with the pipeline's
and its gold-test F1.

The pipeline is what a user would otherwise write: ``pipeline("token-classification",
aggregation_strategy="simple", stride=...)``, given the run's window length (``model.max_length``)
so both read the same windows; ``simple`` aggregation groups tokens the way ``bio.bio_to_spans``
does. Agreement is the F1 of the pipeline's (start, end, label) spans against newsevents' spans,
over all spans and over the spans that touch no window overlap (``overlap_zones``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def parse_method(method: str) -> tuple[str, dict]:
    """``"student+sentences+bf16"`` -> ``("student", {"windows": "sentences", "backend": "torch", "precision": "bf16"})``.

    >>> parse_method("newsevents")
    ('newsevents', {'windows': None, 'backend': 'torch', 'precision': 'fp32', 'aggregation': 'simple'})
    >>> parse_method("pipeline+first")[1]["aggregation"]
    'first'
    """
    base, *flags = method.split("+")
    if base not in ("newsevents", "student", "pipeline", "pipeline-batched", "student-pipeline"):
        raise SystemExit(f"unknown method {method!r}: newsevents, student, pipeline, pipeline-batched or student-pipeline, "
                         "with +sentences/+onnx/+bf16 (+first/+bf16 for a pipeline)")
    pipe_flags = {"bf16", "first"}
    if "pipeline" in base and set(flags) - pipe_flags or "pipeline" not in base and set(flags) - {"sentences", "onnx", "bf16"}:
        raise SystemExit(f"method {method!r}: flags are +sentences, +onnx, +bf16; a pipeline takes only +bf16 and +first")
    if {"onnx", "bf16"} <= set(flags):
        raise SystemExit(f"method {method!r}: the ONNX export is fp32")
    # windows None: the run's own model.windows
    return base, {"windows": "sentences" if "sentences" in flags else None, "backend": "onnx" if "onnx" in flags else "torch",
                  "precision": "bf16" if "bf16" in flags else "fp32", "aggregation": "first" if "first" in flags else "simple"}


def worker(method: str, run: str, data: str, n: int, threads: int, batch_size: int) -> dict:
    C.set_threads(threads)
    from newsevents.config import load_config

    cfg = load_config(Path(run) / "config.yaml")
    texts = [a["text"] for a in C.articles(data, n)]
    base, opts = parse_method(method)
    t0 = time.perf_counter()
    if base in ("newsevents", "student"):
        from newsevents.predict import Predictor

        predictor = Predictor.from_run_dir(run, batch_size=batch_size, **{k: v for k, v in opts.items() if k != "aggregation"})

        def run_all(xs):
            return [[(s.start, s.end, s.label) for s in doc] for doc in predictor.predict(xs)]
    else:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

        tok = AutoTokenizer.from_pretrained(run, model_max_length=cfg.model.max_length)
        model = AutoModelForTokenClassification.from_pretrained(
            run, use_safetensors=True, dtype=torch.bfloat16 if opts["precision"] == "bf16" else torch.float32)
        pipe = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy=opts["aggregation"],
                        stride=cfg.model.stride, device="cpu", batch_size=batch_size if base == "pipeline-batched" else 1)

        def run_all(xs):
            return [[(e["start"], e["end"], e["entity_group"]) for e in doc] for doc in pipe(xs)]
    load_s = time.perf_counter() - t0
    run_all(texts[:2])  # warm-up: first-call allocations are not what an archive run pays per article
    t0 = time.perf_counter()
    spans = run_all(texts)
    seconds = time.perf_counter() - t0
    return {"method": method, "seconds": seconds, "load_seconds": load_s,  # full precision; the table rounds
            "peak_rss_mb": C.peak_rss_mb(), "spans": spans}


def overlap_zones(texts: list[str], run: str) -> list[list[tuple[int, int]]]:
    """Char ranges of each text that two consecutive stride windows of ``run`` both read: where the
    pipeline's merge rule (keep the longest of overlapping spans from either window) and newsevents'
    (each token from the window where it has most context) can disagree."""
    from transformers import AutoTokenizer

    from newsevents.config import load_config
    from newsevents.features import tokenize, window_bounds

    cfg, tok = load_config(Path(run) / "config.yaml"), AutoTokenizer.from_pretrained(run)
    zones = []
    for text in texts:
        doc = tokenize(tok, text)
        bounds = window_bounds(len(doc.ids), cfg.model.max_length - 2, cfg.model.stride)
        zones.append([(doc.offsets[s][0], doc.offsets[e - 1][1]) for (_, e), (s, _) in zip(bounds, bounds[1:])])
    return zones


def outside(spans: list[list], zones: list[list[tuple[int, int]]]) -> list[list]:
    """Each article's spans that touch no zone.

    >>> outside([[(0, 5, "ACTOR"), (10, 12, "ACTOR")]], [[(11, 20)]])
    [[(0, 5, 'ACTOR')]]
    """
    return [[s for s in doc if not any(s[0] < b and a < s[1] for a, b in z)] for doc, z in zip(spans, zones)]


def agreement(a: list[list], b: list[list]) -> dict:
    """Span-level F1 of ``b`` (the pipeline's spans) against ``a`` (a newsevents method's) over all
    articles (the project's scorer, every label covered), and the first few differences."""
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
    ap.add_argument("--student", help="a faster run directory distilled from --run (for the student methods)")
    ap.add_argument("--data", default="data/processed/gold_test.jsonl", help="JSONL records whose texts are the articles")
    ap.add_argument("--articles", type=int, default=200, help="articles to tag (the data's texts, repeated)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--methods", default="newsevents,pipeline",
                    help="comma-separated: newsevents, student, pipeline, pipeline-batched, student-pipeline (pipelines: +first for "
                         "aggregation_strategy='first'); "
                         "flags +sentences, +onnx, +bf16 (module docstring)")
    ap.add_argument("--out", help="JSON path (default benchmarks/results/inference.json)")
    ap.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        m, run, data, n, th, bs = args.worker
        print(json.dumps(worker(m, run, data, int(n), int(th), int(bs))))
        return
    if not args.run:
        ap.error("--run is required")
    methods = args.methods.split(",")
    runs = {m: args.student if parse_method(m)[0].startswith("student") else args.run for m in methods}
    if None in runs.values():
        ap.error("a student method needs --student RUN_DIR")
    texts = [a["text"] for a in C.articles(args.data, args.articles)]
    from transformers import AutoTokenizer

    n_tokens = sum(len(t) for t in AutoTokenizer.from_pretrained(args.run)(texts, add_special_tokens=False, verbose=False)["input_ids"])
    results = {}
    for m in methods:
        results[m] = C.in_child(__file__, [m, runs[m], args.data, str(args.articles), str(args.threads), str(args.batch_size)])
    base = results.get("pipeline")
    gold = {m: gold_f1(args.data, r["spans"]) for m, r in results.items()}
    agree = {m: agreement(r["spans"], base["spans"]) for m, r in results.items() if base and m != "pipeline"}
    if agree:  # the same agreement without the spans that touch a window overlap (overlap_zones)
        zones = overlap_zones(texts, args.run)
        for m in agree:
            agree[m]["outside_overlaps"] = agreement(outside(results[m]["spans"], zones), outside(base["spans"], zones))["agreement_f1"]
    rows = []
    for m, r in results.items():
        rows.append({"method": m, "run": runs[m], "articles/s": args.articles / r["seconds"], "tokens/s": n_tokens / r["seconds"],
                     "seconds": r["seconds"], "peak RSS MB": r["peak_rss_mb"],
                     "vs pipeline": f"{base['seconds'] / r['seconds']:.2f}x" if base else "",
                     "agreement": agree[m]["agreement_f1"] if m in agree else "",
                     "outside overlaps": agree[m]["outside_overlaps"] if m in agree else "",
                     "gold macro F1": gold[m]})
    print(f"{args.articles} articles ({n_tokens} tokens) from {args.data}, {args.threads} threads\n")
    print(C.table(rows, ["method", "run", "articles/s", "tokens/s", "seconds", "peak RSS MB", "vs pipeline", "agreement", "outside overlaps", "gold macro F1"]))
    print()
    for m, a in agree.items():
        print(f"span agreement of the pipeline with {m}: {a['agreement_f1']:.4f} "
              f"({a['same']} same, {a['only_newsevents']} only {m}, {a['only_pipeline']} only pipeline); "
              f"{a['outside_overlaps']:.4f} outside window overlaps")
    path = C.save("inference", {"run": args.run, "student": args.student, "data": args.data, "articles": args.articles,
                                "tokens": n_tokens, "threads": args.threads, "batch_size": args.batch_size, "rows": rows,
                                "agreement": agree}, args.out)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
