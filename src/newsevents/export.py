"""``export_onnx(run_dir) -> path``: the run's model as ONNX, for serving on other hardware or runtimes.

The graph takes ``input_ids`` and ``attention_mask`` (int64, any batch size and length up to the
model's position limit) and returns ``logits``; windows, stitching and decoding stay in Python, so
``Predictor.from_run_dir(run, backend="onnx")`` gives the same spans as the torch backend. After
writing, the export is checked: ONNX Runtime must reproduce torch's logits on a padded batch.

    >>> export_onnx("models/starter")          # doctest: +SKIP
    PosixPath('models/starter/model.onnx')
"""

from __future__ import annotations

from pathlib import Path

from newsevents.rundir import RUN_FILES, check_run_dir

ONNX_FILE = "model.onnx"


class ExportError(ValueError):
    """The export cannot run (missing extra) or does not reproduce the torch model; the CLI prints it."""


def export_onnx(run_dir: str | Path, out: str | Path | None = None, overwrite: bool = False, atol: float = 1e-3) -> Path:
    """Write ``out`` (default ``RUN_DIR/model.onnx``) and return its path; ``atol`` bounds the logit difference."""
    import numpy as np
    import torch
    from transformers import AutoModelForTokenClassification

    from newsevents.safeio import atomic_path, check_output

    run_dir = check_run_dir(run_dir)
    out = check_output(Path(out) if out else run_dir / ONNX_FILE, [run_dir / f for f in RUN_FILES], overwrite)
    try:
        import onnxruntime  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as e:
        raise ExportError(f"ONNX export needs the export extra: pip install -e '.[export]' ({e})") from None
    model = AutoModelForTokenClassification.from_pretrained(str(run_dir), use_safetensors=True, trust_remote_code=False).eval()
    limit = model.config.max_position_embeddings
    batch, tokens = torch.export.Dim("batch"), torch.export.Dim("tokens", max=limit)
    ids = torch.full((2, 16), 100, dtype=torch.long)
    mask = torch.ones_like(ids)
    with atomic_path(out) as tmp:  # a failed export or check leaves the previous file as it was
        torch.onnx.export(model, (ids, mask), str(tmp), input_names=["input_ids", "attention_mask"], output_names=["logits"],
                          dynamic_shapes=({0: batch, 1: tokens}, {0: batch, 1: tokens}), dynamo=True, verbose=False)
        # the check: a batch of another shape, with padding, must give torch's logits
        ids = torch.randint(1000, 2000, (3, 37), generator=torch.Generator().manual_seed(0)) % model.config.vocab_size
        mask = torch.ones_like(ids)
        mask[0, 20:] = 0
        got = onnx_session(tmp).run(["logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        with torch.inference_mode():
            want = model(input_ids=ids, attention_mask=mask).logits.numpy()
        diff = float(np.abs(got - want)[mask.numpy().astype(bool)].max())
        if diff > atol:
            raise ExportError(f"{out}: ONNX Runtime logits differ from torch's by {diff:.2e} (> {atol})")
    return out


def onnx_session(path: str | Path):
    """An ONNX Runtime CPU session for ``path``."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise ExportError(f"{path}: running ONNX needs the export extra: pip install -e '.[export]'") from None

    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
