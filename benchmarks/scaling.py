"""Scaling: time and memory of prediction for 1, 10 and 100 articles and for one article of 10k,
100k and 1M characters. Each case runs in its own process; the cost per 1k tokens should stay flat
(linear growth), and memory should grow with the text, not with its square.

    python benchmarks/scaling.py --run models/default-s13
    python benchmarks/scaling.py --run models/default-s13 --precision bf16 --out benchmarks/results/scaling-bf16.json
    python benchmarks/scaling.py --run models/starter --cases articles:1,chars:10000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

CASES = "articles:1,articles:10,articles:100,chars:10000,chars:100000,chars:1000000"


def worker(case: str, run: str, data: str, threads: int, precision: str = "fp32") -> dict:
    C.set_threads(threads)
    from newsevents.predict import Predictor

    kind, n = case.split(":")
    texts = [a["text"] for a in C.articles(data, int(n))] if kind == "articles" else [C.long_text(data, int(n))]
    predictor = Predictor.from_run_dir(run, precision=precision)
    predictor.predict([texts[0][:2000]])  # warm-up, so the case pays only for its own text
    rss_before = C.peak_rss_mb()
    t0 = time.perf_counter()
    spans, tokens = predictor.predict(texts, return_tokens=True)
    seconds = time.perf_counter() - t0
    return {"case": case, "texts": len(texts), "chars": sum(map(len, texts)), "tokens": sum(t for t, _ in tokens),
            "spans": sum(map(len, spans)), "seconds": seconds,  # full precision; the table rounds
            "ms per 1k tokens": 1000 * seconds / max(1, sum(t for t, _ in tokens)) * 1000,
            "peak RSS MB": C.peak_rss_mb(), "RSS growth MB": C.peak_rss_mb() - rss_before}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", help="a run directory written by newsevents train (required)")
    ap.add_argument("--data", default="data/processed/gold_test.jsonl", help="JSONL records whose texts make the articles")
    ap.add_argument("--cases", default=CASES, help=f"comma-separated kind:n (default {CASES})")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32", help="as for newsevents predict")
    ap.add_argument("--out", help="JSON path (default benchmarks/results/scaling.json)")
    ap.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        case, run, data, th, precision = args.worker
        print(json.dumps(worker(case, run, data, int(th), precision)))
        return
    if not args.run:
        ap.error("--run is required")
    rows = []
    for case in args.cases.split(","):
        rows.append(C.in_child(__file__, [case, args.run, args.data, str(args.threads), args.precision]))
        print(f"  {case}: {rows[-1]['seconds']:.2f} s", file=sys.stderr)
    print(f"predict cost by input size, run {args.run}, {args.threads} threads, {args.precision}\n")
    print(C.table(rows, ["case", "texts", "chars", "tokens", "spans", "seconds", "ms per 1k tokens", "peak RSS MB", "RSS growth MB"]))
    print(f"wrote {C.save('scaling', {'run': args.run, 'data': args.data, 'threads': args.threads, 'precision': args.precision, 'rows': rows}, args.out)}")


if __name__ == "__main__":
    main()
