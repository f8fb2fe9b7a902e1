"""statedept reader: U.S. Department of State press releases (May 2021 - Aug 2022), unlabelled.

Raw file ``state-dept-press/state_dept_press_releases_2021-2022.jsonl`` has one JSON object a line
(id, title, date, url, text). Each becomes a record ``statedept/<id>`` (e.g. ``statedept/sd-245393``)
with no spans and ``labeled: []``: the project annotates these later, keyed by id and the sha256 of
the text, so the text must not change. It is built by :mod:`newsevents.data.sources.official` (title line,
then one line per line of the feed text, whitespace normalised) with the options in
``configs/data/statedept.yaml``; meta carries title, date, url, kind (press briefing, readout,
statement, ...) and whether journalists' questions occur (``questions``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from newsevents.schema import Record
from newsevents.data.sources import official


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Records of the State Department press releases, in file order."""
    return official.read(raw_dir, cfg)
