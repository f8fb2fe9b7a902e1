"""Which number format a model computes in, here: bfloat16 where the hardware runs it fast, else float32.

On Intel CPUs with AMX (Sapphire Rapids and later) bfloat16 matrix products run on the AMX units,
several times faster than float32; on CPUs without it bfloat16 can be slower, so ``auto`` picks it
only where it was measured faster (README, Performance): AMX-BF16 CPUs and CUDA GPUs with bf16.

>>> resolve("fp32"), resolve("bf16")
('fp32', 'bf16')
>>> resolve("auto") in ("fp32", "bf16")
True
"""

from __future__ import annotations

PRECISIONS = ("fp32", "bf16", "auto")  # what training, predict and evaluate may compute in


def resolve(precision: str) -> str:
    """``"fp32"`` or ``"bf16"`` for a requested precision (``"auto"`` decided by the hardware)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        return precision
    import torch

    if torch.cuda.is_available():
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    return "bf16" if has_amx_bf16() else "fp32"


def has_amx_bf16() -> bool:
    """Whether this CPU has Intel AMX with bfloat16 (Linux: a flag in /proc/cpuinfo)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return any(line.startswith("flags") and " amx_bf16" in line for line in f)
    except OSError:
        return False
