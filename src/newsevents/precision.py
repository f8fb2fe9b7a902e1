"""Which number format a model computes in, here: bfloat16 where the hardware runs it fast, else float32.

CPUs with bfloat16 matrix instructions run bfloat16 products several times faster than float32:
Intel's AMX (Sapphire Rapids and later) and AVX512-BF16 (also AMD Zen 4). On CPUs without them
bfloat16 is emulated and can be slower, so ``auto`` picks it only where it was measured faster
(README, Performance): CPUs with AMX-BF16 or AVX512-BF16, and CUDA GPUs with bf16.

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
    return "bf16" if has_cpu_bf16() else "fp32"


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux: /proc/cpuinfo); empty where they cannot be read."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next((set(line.split(":", 1)[1].split()) for line in f if line.startswith("flags")), set())
    except OSError:
        return set()


def has_amx_bf16() -> bool:
    """Whether this CPU has Intel AMX with bfloat16."""
    return "amx_bf16" in cpu_flags()


def has_cpu_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (AMX-BF16 or AVX512-BF16)."""
    return bool({"amx_bf16", "avx512_bf16"} & cpu_flags())
