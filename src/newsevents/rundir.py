"""The run directory contract: which files make one, how it is checked before loading, and how
training replaces one without ever losing the previous run or a file the project did not write.

Training writes into a staging sibling, ``<run>.partial``, and swaps it in only when the run is
complete; a failed or killed ``--overwrite`` therefore leaves the previous run as it was, and a
killed run resumes from the checkpoints in ``<run>.partial``. Only a directory whose every entry is
one this project writes is ever removed.

>>> staging_dir(Path("models/starter"))
PosixPath('models/starter.partial')
>>> is_run_file("model.safetensors"), is_run_file("my-notes.txt")
(True, False)
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

RUN_FILES = ("config.yaml", "labels.json", "config.json", "model.safetensors", "tokenizer.json")  # needed to load a run
# Everything train, evaluate and export write into a run directory (tokenizer files vary by model type).
PROJECT_FILES = frozenset(RUN_FILES) | {
    "metrics.json", "train_log.json", "README.md", "checkpoints", "eval", "model.onnx", "generation_config.json",
    "thresholds.json",  # `newsevents calibrate`: per-label score thresholds chosen on gold dev
    "training_args.bin", "model.safetensors.index.json",  # the Trainer's, between save_model and our cleanup
    "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
    "vocab.txt", "vocab.json", "merges.txt", "spm.model", "sentencepiece.bpe.model",
}
STAGING, PREVIOUS = ".partial", ".previous"  # suffixes of the siblings used while replacing a run


class RunDirError(ValueError):
    """A run directory that is missing, incomplete or unreadable; the message says which file."""


class RunDirExists(FileExistsError):
    """The run directory exists; pass overwrite (start again) or resume (continue)."""


def is_run_file(name: str) -> bool:
    return name in PROJECT_FILES


def staging_dir(run_dir: Path) -> Path:
    return run_dir.with_name(run_dir.name + STAGING)


def foreign_entries(path: Path) -> list[str]:
    """Names in ``path`` that this project does not write (empty for a directory of run files only)."""
    return sorted(p.name for p in path.iterdir() if not is_run_file(p.name))


def check_target(run_dir: Path, overwrite: bool, resume: bool) -> Path:
    """Check, touching nothing, that a run may be trained into ``run_dir``; returns the staging
    directory to train in. Raises RunDirExists or RunDirError with one line saying why not."""
    if overwrite and resume:
        raise RunDirError("--overwrite and --resume exclude each other: start again, or continue the killed run")
    if not run_dir.resolve().name:
        raise RunDirError(f"{run_dir}: cannot train into a file system root")
    staging = staging_dir(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise RunDirError(f"{run_dir}: exists and is not a directory")
    for d in (staging, run_dir.with_name(run_dir.name + PREVIOUS)):
        if d.exists():
            _refuse_foreign(d, "is in the way of training")
    has_run = run_dir.is_dir() and any(run_dir.iterdir())
    unfinished = checkpoints(staging)
    if has_run:
        if not (overwrite or resume) and unfinished:
            raise RunDirExists(f"{run_dir} exists, and an unfinished run of it is in {staging} ({unfinished[-1].name}); "
                               "pass --resume to continue that, or --overwrite to start again")
        if not (overwrite or resume):
            raise RunDirExists(f"{run_dir} exists; pass --overwrite to replace it")
        if resume and not unfinished:
            raise RunDirExists(f"{run_dir}: a finished run, nothing to resume; pass --overwrite to train it again")
        _refuse_foreign(run_dir, "was not replaced")  # it will be replaced when the new run is complete
        if not (run_dir / "config.yaml").is_file():
            raise RunDirError(f"{run_dir}: was not replaced: it has no config.yaml, so it is not a newsevents run directory")
    if unfinished and not (resume or overwrite):
        raise RunDirExists(f"{staging}: an unfinished run of this name ({unfinished[-1].name}); "
                           "pass --resume to continue it or --overwrite to start again")
    return staging


def start(staging: Path, resume: bool, config_text: str, labels: list[str]) -> bool:
    """Make the staging directory (the caller has passed ``check_target``) and write the resolved
    config and the label list; returns whether an unfinished run is resumed from its checkpoints.
    A resumed run must have the same config."""
    if resume and checkpoints(staging):
        saved = (staging / "config.yaml").read_text(encoding="utf-8") if (staging / "config.yaml").is_file() else None
        if saved != config_text:
            raise RunDirError(f"{staging}: cannot resume, its config.yaml differs from this config")
        return True
    if staging.exists():  # a failed start or a run the caller chose to start again: only run files in it
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / "config.yaml").write_text(config_text, encoding="utf-8")
    write_json(staging / "labels.json", labels)
    return False


def commit(staging: Path, run_dir: Path) -> Path:
    """Swap the finished staging directory in for ``run_dir``; the previous run is removed only after
    the new one is in place (a kill between the two renames leaves it in ``<run>.previous``)."""
    previous = run_dir.with_name(run_dir.name + PREVIOUS)
    if previous.exists():
        shutil.rmtree(previous)  # checked by check_target: run files only
    if run_dir.is_dir() and any(run_dir.iterdir()):
        os.rename(run_dir, previous)
    elif run_dir.is_dir():
        run_dir.rmdir()
    os.rename(staging, run_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return run_dir


def checkpoints(staging: Path) -> list[Path]:
    """The Trainer checkpoints of an unfinished run, oldest first."""
    found = (staging / "checkpoints").glob("checkpoint-*") if staging.is_dir() else []
    return sorted(found, key=lambda p: int(p.name.rsplit("-", 1)[-1]) if p.name.rsplit("-", 1)[-1].isdigit() else -1)


def check_run_dir(path: str | Path) -> Path:
    """The run directory as a Path, or RunDirError naming what is missing or unreadable."""
    from newsevents.bio import tag_names
    from newsevents.config import ConfigError, load_config

    run_dir = Path(path)
    if not run_dir.is_dir():
        hint = ""
        if run_dir.with_name(run_dir.name + PREVIOUS).is_dir():
            hint = f" (an interrupted --overwrite left the previous run in {run_dir.name}{PREVIOUS})"
        elif staging_dir(run_dir).is_dir():
            hint = f" (an unfinished training run is in {run_dir.name}{STAGING}; --resume continues it)"
        raise RunDirError(f"{run_dir}: no such run directory{hint}")
    missing = [f for f in RUN_FILES if not (run_dir / f).is_file()]
    if missing:
        raise RunDirError(f"{run_dir}: incomplete run directory, missing {', '.join(missing)}")
    try:
        cfg = load_config(run_dir / "config.yaml")
    except (ConfigError, OSError) as e:
        raise RunDirError(f"{run_dir / 'config.yaml'}: cannot read the run's config: {e}") from None
    try:
        labels = json.loads((run_dir / "labels.json").read_text(encoding="utf-8"))
    except (ValueError, OSError) as e:
        raise RunDirError(f"{run_dir / 'labels.json'}: cannot read the label list: {e}") from None
    if labels != tag_names(cfg.labels):
        raise RunDirError(f"{run_dir}: labels.json does not match the labels in config.yaml")
    _check_safetensors(run_dir / "model.safetensors")
    return run_dir


def finish(staging: Path, run_dir: Path, cfg, metrics: dict, log_history: list, command: str = "") -> Path:
    """Complete a trained run in ``staging`` (its weights and tokenizer saved there): ``metrics.json``,
    ``train_log.json`` and the model card ``README.md``, checkpoints removed, then swapped in as
    ``run_dir`` (``commit``)."""
    write_json(staging / "metrics.json", metrics)
    write_json(staging / "train_log.json", log_history)
    (staging / "README.md").write_text(model_card(cfg, metrics, command), encoding="utf-8")
    shutil.rmtree(staging / "checkpoints", ignore_errors=True)
    return commit(staging, run_dir)


def model_card(cfg, metrics: dict, command: str) -> str:
    """The run directory's README.md: what was trained on what, and how well it did on dev."""
    dev = metrics["dev"]
    rows = "\n".join(f"| {label} | {dev.get('f1_' + label, 0):.3f} |" for label in cfg.labels)
    return f"""# newsevents run `{cfg.name}`

Token-classification model for {", ".join(cfg.labels)} (IOB2 tags over words: {'the first sub-word of each word carries its tag' if cfg.model.label_subwords == 'first' else 'every sub-word carries its word’s tag'}).

- Base model: `{cfg.model.name or "tiny random model (" + str(cfg.model.tiny) + ")"}`
- Train data: `{cfg.data.train}` ({metrics["train_records"]} records, {metrics["train_windows"]} windows of at most {cfg.model.max_length} tokens, {cfg.model.windows} windows, stride {cfg.model.stride})
- Dev data (model selection): `{cfg.data.dev}`{_distilled(cfg)}
- Seed: {cfg.seed}; precision: {metrics["precision"]}; training time: {metrics["train_seconds"]} s; epochs run: {metrics["epochs_run"]}
- Made by: `{command or "newsevents.train.train(cfg)"}`

## Dev scores (strict span match)

| label | F1 |
|---|---|
{rows}
| **macro** | **{dev.get("macro_f1", 0):.3f}** |
| micro | {dev.get("micro_f1", 0):.3f} |

The resolved configuration is `config.yaml`; labels in id order are in `labels.json`.
"""


def _distilled(cfg) -> str:
    d, m = cfg.distill, cfg.model
    if not d.teacher:
        return ""
    return (f"\n- Distilled from `{d.teacher}` (temperature {d.temperature}, weight {d.weight})"
            + (f"; the first {m.layers} encoder layers of `{m.name}`" if m.layers else ""))


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- helpers -------------------------------------------------------------------------------------


def _refuse_foreign(path: Path, what: str) -> None:
    if not path.is_dir():
        raise RunDirError(f"{path}: {what}: it is a file, not a run directory")
    foreign = foreign_entries(path)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise RunDirError(f"{path}: {what}: it holds files newsevents did not write ({shown}); "
                          "move them, or choose another output_dir")


def _check_safetensors(path: Path) -> None:
    """Read the weights' header (cheap) so that a damaged file is one clear line, not a deep error."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            f.keys()
    except Exception as e:  # safetensors raises its own error types for every kind of damage
        raise RunDirError(f"{path}: damaged weights file ({e}); train the run again") from None
