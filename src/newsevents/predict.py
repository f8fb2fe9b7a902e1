"""``Predictor``: a trained run directory -> scored char spans for any number of texts of any length.

All windows of all texts are batched together, sorted by length so that little is padded, and run
under ``torch.inference_mode``; ``decode.decode`` turns each document's window logits into spans of whole words.
On CPUs with AMX (Intel Sapphire Rapids and later) ``precision="bf16"`` is ~3x faster at the same F1
(README, Performance).

    >>> p = Predictor.from_run_dir("models/starter")          # doctest: +SKIP
    >>> p.predict(["Seoul summoned the Russian ambassador."])   # doctest: +SKIP
    [[(Span(start=0, end=5, label='ACTOR'), 0.98), (Span(start=6, end=14, label='MEETING'), 0.95), ...]]
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from newsevents.config import WINDOWS, Config, load_config
from newsevents.precision import has_amx_bf16, has_cpu_bf16, resolve as resolve_precision  # noqa: F401 (re-exported)
from newsevents.decode import decode, token_logits
from newsevents.features import bounds, length_batches, tokenize, with_specials
from newsevents.rundir import RUN_FILES, RunDirError, check_run_dir  # noqa: F401 (RUN_FILES, check_run_dir: re-exported)



class Predictor:
    """``model`` is a torch token-classification model, or an ONNX Runtime session (``backend="onnx"``).
    ``windows`` is how texts are cut (``features.bounds``; default: the run's ``model.windows``);
    ``precision`` says what the model computes in ("fp32" or "bf16")."""

    def __init__(self, model, tokenizer, cfg: Config, batch_size: int = 32, windows: str | None = None):
        windows = windows or cfg.model.windows  # the run's own, unless asked otherwise
        if windows not in WINDOWS:
            raise ValueError(f"windows must be one of {WINDOWS}, not {windows!r}")
        self.model, self.tokenizer, self.cfg, self.batch_size, self.windows = model, tokenizer, cfg, batch_size, windows
        self.onnx = not isinstance(model, torch.nn.Module)
        dtype = None if self.onnx else next(model.parameters()).dtype
        self.precision = {None: "fp32", torch.float32: "fp32", torch.bfloat16: "bf16"}.get(dtype, str(dtype))
        if not self.onnx:
            model.eval()
        self.labels = list(cfg.labels)

    @classmethod
    def from_run_dir(cls, path: str | Path, batch_size: int = 32, backend: str = "torch", windows: str | None = None,
                     precision: str = "fp32") -> "Predictor":
        """Load a run directory written by ``train``: safetensors weights only, no remote code.
        ``backend="onnx"`` runs ``RUN_DIR/model.onnx`` (written by ``newsevents export``) instead.
        ``windows`` overrides the run's ``model.windows`` (how articles are cut into windows).
        ``precision="bf16"`` runs the torch model in bfloat16: on CPUs with AMX (Intel Sapphire Rapids
        and later) its matrix products run on the AMX units, much faster; elsewhere it may be slower.
        ``"auto"`` is bf16 where the CPU has AMX-BF16, else fp32. Scores move by ~1e-2 at most."""
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        run_dir = check_run_dir(path)
        cfg = load_config(run_dir / "config.yaml")
        precision = resolve_precision(precision)
        if backend == "onnx" and precision != "fp32":
            raise ValueError("precision bf16 needs the torch backend; the ONNX export is fp32")
        if backend == "onnx":
            from newsevents.export import ONNX_FILE, onnx_session

            if not (run_dir / ONNX_FILE).is_file():
                raise RunDirError(f"{run_dir}: no {ONNX_FILE}; write it with: newsevents export {run_dir}")
            model = onnx_session(run_dir / ONNX_FILE)
        elif backend == "torch":
            with _loading(run_dir / "config.json", "model"):
                model = AutoModelForTokenClassification.from_pretrained(
                    str(run_dir), use_safetensors=True, trust_remote_code=False,
                    dtype=torch.bfloat16 if precision == "bf16" else torch.float32)
        else:
            raise ValueError(f"backend must be 'torch' or 'onnx', not {backend!r}")
        with _loading(run_dir / "tokenizer.json", "tokenizer"):
            tokenizer = AutoTokenizer.from_pretrained(str(run_dir), trust_remote_code=False)
        return cls(model, tokenizer, cfg, batch_size, windows)

    def predict(self, texts: Sequence[str], return_tokens: bool = False, progress: bool = False):
        """For each text, its spans with a score in [0, 1] (see ``decode.decode``); with
        ``return_tokens``, also ``(tokens_total, tokens_read)`` of each text, where a token is read
        when a window's logits reached it (``decode`` refuses a text with a token left unread)."""
        from tqdm.auto import tqdm

        docs = [tokenize(self.tokenizer, t) for t in texts]
        windows = [(d, s, e) for d, (text, doc) in enumerate(zip(texts, docs)) for s, e in self._bounds(text, doc)]
        per_doc: list[list] = [[] for _ in docs]
        read = [np.zeros(len(doc.ids), dtype=bool) for doc in docs]
        for batch in tqdm(self._batches(windows), desc="predict", unit="batch", disable=not progress):
            logits = self.forward([with_specials(self.tokenizer, docs[d].ids[s:e]) for d, s, e in batch])
            for (d, s, e), rows in zip(batch, logits):
                per_doc[d].append((s, e, rows))
                read[d][s : s + min(e - s, len(rows) - 1)] = True  # text tokens the window's logits reached
        out = [decode(doc, wins, self.labels) for doc, wins in zip(docs, per_doc)]
        return (out, [(len(d.ids), int(r.sum())) for d, r in zip(docs, read)]) if return_tokens else out

    def logits(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Raw per-token logits of each text, stitched (used to compare models bit for bit)."""
        out = []
        for text in texts:
            doc = tokenize(self.tokenizer, text)
            bounds = self._bounds(text, doc)
            rows = self.forward([with_specials(self.tokenizer, doc.ids[s:e]) for s, e in bounds])
            out.append(token_logits(len(doc.ids), [(s, e, r) for (s, e), r in zip(bounds, rows)]))
        return out

    # --- helpers ---------------------------------------------------------------------------------

    def _bounds(self, text: str, doc) -> list[tuple[int, int]]:
        return bounds(text, doc, self.cfg.model.max_length, self.cfg.model.stride, self.windows)

    def _batches(self, windows: list) -> list[list]:
        return [[windows[i] for i in b] for b in length_batches([w[2] - w[1] for w in windows], self.batch_size)]

    def forward(self, inputs: list[list[int]]) -> list[np.ndarray]:
        """Logits of one batch of windows (token ids with special tokens), unpadded: one
        (len(window), n_tags) array per window."""
        width = max(len(x) for x in inputs)
        pad = self.tokenizer.pad_token_id or 0
        ids = torch.tensor([x + [pad] * (width - len(x)) for x in inputs])
        mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in inputs])
        if self.onnx:
            logits = self.model.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        else:
            with torch.inference_mode():
                logits = self.model(input_ids=ids, attention_mask=mask).logits.float().numpy()
        return [logits[i, : len(x)] for i, x in enumerate(inputs)]


@contextlib.contextmanager
def _loading(path: Path, what: str):
    """Turn any failure of transformers' loaders (a damaged config.json or tokenizer.json) into one
    RunDirError naming the run's file."""
    try:
        yield
    except Exception as e:  # transformers and tokenizers raise many types for a damaged file
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise RunDirError(f"{path}: cannot load the run's {what}: {first}") from None
