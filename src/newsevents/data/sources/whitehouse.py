"""whitehouse reader: White House Briefing Room statements, remarks and briefings (2021 - 2026), unlabelled.

Raw file ``whitehouse-briefings/whitehouse_briefing_room_selected.jsonl`` has one JSON object a line
(id, title, date, url, text; the text is Markdown hard-wrapped at ~72 columns). Each becomes a record
``whitehouse/<id>`` with no spans and ``labeled: []``: the project annotates these later, keyed by id
and the sha256 of the text, so the text must not change. It is built by
:mod:`newsevents.data.sources.official` (title line, then one line per paragraph with wrapped lines joined
and markup removed) with the options in ``configs/data/whitehouse.yaml``; meta carries title, date,
url, kind (statement, readout, remarks, press briefing, letter, ...) and ``questions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from newsevents.schema import Record
from newsevents.data.sources import official


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Records of the White House Briefing Room pages, in file order."""
    return official.read(raw_dir, cfg)
