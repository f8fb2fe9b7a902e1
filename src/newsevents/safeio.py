"""Writing files without losing anything: atomic replacement, never over an input, never over an
existing file unless asked.

A file is written to a temporary sibling and renamed over the target in one step, so a killed or
failed write leaves either the old file or the new one, never half of either.

>>> import os, tempfile
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "out.jsonl")
>>> _ = write_text(p, "one\\n"); open(p).read()
'one\\n'
>>> write_text(p, "two\\n", overwrite=False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
newsevents.safeio.OutputError: ...out.jsonl: exists; pass --overwrite to replace it
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator


class OutputError(ValueError):
    """An output path that would lose data (an input, a directory, an existing file); names the path."""


def check_output(path: str | Path, inputs: Iterable[str | Path] = (), overwrite: bool = True) -> Path:
    """The output path, or OutputError if writing it would replace an input, a directory, or (without
    ``overwrite``) any existing file. Call it before expensive work, so a bad ``-o`` fails at once."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name to write to")
    if path.exists():
        for given in map(Path, (x for x in inputs if x != "-")):
            # an input folder is read for its .txt files (inputs.read_inputs): those are inputs too
            inside = given.is_dir() and path.suffix == ".txt" and _same(path.parent, given)
            if inside or (given.exists() and _same(path, given)):
                raise OutputError(f"{path}: is also an input; writing it would replace what is read")
        if not overwrite:
            raise OutputError(f"{path}: exists; pass --overwrite to replace it")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: no such directory for the output {path.name}")
    return path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename, on
    failure it is removed and ``path`` is untouched."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain open() would have
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str, inputs: Iterable[str | Path] = (), overwrite: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically after ``check_output``."""
    path = check_output(path, inputs, overwrite)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
