"""Shared by the benchmark scripts: the articles, one child process per measurement, tables, JSON.

Every measurement runs in a fresh child process, so its peak RSS (``ru_maxrss``) is its own and no
warm cache of one method helps another; the parent prints a markdown table and writes JSON with
the machine, versions and the exact command.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def set_threads(n: int) -> None:
    """One thread count for torch and for every BLAS/OpenMP pool, set before any work runs."""
    import torch

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(n)
    torch.set_num_threads(n)


def articles(path: str, n: int) -> list[dict]:
    """``n`` articles: the records of ``path`` in file order, repeated until there are ``n``
    (ids get a ``#k`` suffix so repeats stay distinct)."""
    from newsevents.schema import read_jsonl

    recs = read_jsonl(path, labels=None)
    if not recs:
        raise SystemExit(f"{path}: no records")
    return [{"id": f"{recs[i % len(recs)].id}#{i // len(recs)}", "text": recs[i % len(recs)].text} for i in range(n)]


def long_text(path: str, n_chars: int) -> str:
    """One article of exactly ``n_chars`` characters, made of the texts of ``path`` joined by blank lines."""
    from newsevents.schema import read_jsonl

    texts = [r.text for r in read_jsonl(path, labels=None)]
    parts, size, i = [], 0, 0
    while size < n_chars:
        parts.append(texts[i % len(texts)])
        size += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts)[:n_chars]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def in_child(script: str, args: list[str]) -> dict:
    """Run ``python script --worker ARGS`` and return the JSON the worker prints on its last stdout line."""
    proc = subprocess.run([sys.executable, script, "--worker", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import torch
    import transformers

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__}


def table(rows: list[dict], cols: list[str]) -> str:
    """A markdown table of ``rows`` with the given columns."""
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(_fmt(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def _fmt(v) -> str:
    """Floats to 3 significant digits (never in exponent form); everything else as is."""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}" if abs(v) >= 0.001 else f"{v:.2g}"
    return str(v)


def save(name: str, payload: dict, out: str | None = None) -> Path:
    path = Path(out) if out else RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"command": "python " + " ".join(sys.argv), "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return path
