"""Shared reader of unlabelled official texts (statedept, whitehouse): JSONL rows id/title/date/url/text.

Each row becomes one record ``<source>/<id>`` without spans (``labeled: []``) whose text is stable,
because later annotations are stored as offsets keyed by document id and sha256 of this text:

- line 1 is the title; then one line per paragraph (or list item, heading), in source order;
- a paragraph is a block between blank lines; with ``unwrap`` its hard-wrapped lines are joined
  (White House), otherwise every line is kept as a line (State Department lists and signatures);
- with ``markdown``, Markdown/HTML markup is removed: links keep their text, images and ``<s>``
  struck-out words go, ``**``/``*`` emphasis goes, ``\\[`` escapes become the character;
- every line: NFC, invisible format characters dropped, whitespace runs (also no-break) -> one space;
- empty lines, horizontal rules and end marks ("# # #", "###") are dropped.

>>> body_lines("A **bold** [link](https://x.org) and\\nwrapped line.\\n\\n-   item one\\n-   item\\n    two\\n\\n\\\\###",
...            unwrap=True, markdown=True)
['A bold link and wrapped line.', 'item one', 'item two']
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from newsevents.data.sources.common import text_sha256
from newsevents.schema import Record
from newsevents.text import normalize_space

log = logging.getLogger(__name__)

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufffc]")  # soft hyphen, zero-width, word joiner
_BLANK = re.compile(r"\n[^\S\n]*\n\s*")  # a blank line (spaces, no-break spaces allowed) ends a paragraph
_ITEM = re.compile(r"^[ \t]*(?:([-*+])|\d+[.)])[ \t]+")  # a list item starts a new line; bullets dropped
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")  # horizontal rule
_END_MARK = re.compile(r"^[#*_\s]+$")  # "# # #", "###": end of release; "***", "____": section breaks
# Markdown/HTML markup, removed in this order (whole-text patterns, may span wrapped lines)
_MARKUP = [
    (re.compile(r"<s>.*?</s>\s*", re.S), ""),  # struck-out words of a corrected transcript: "<s>Quality</s> [Qualified]"
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks keep the address
    (re.compile(r"<[a-zA-Z/!][^<>]*>"), ""),  # other HTML tags (<u>, <sup>, <span ...>, <img ...>)
    (re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((?:[^()\s]|\([^()\s]*\))*\)"), r"\1"),  # [text](url) -> text
]
_INLINE = re.compile(r"\\([^\w\s]|_)|\*+")  # an escaped character is kept, emphasis asterisks dropped


def body_lines(text: str, unwrap: bool, markdown: bool) -> list[str]:
    """The lines of a body: one per paragraph, list item or heading (see the module docstring)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        for pattern, repl in _MARKUP:
            text = pattern.sub(repl, text)
    lines: list[str] = []
    for block in _BLANK.split(text):
        items: list[str] = []
        for raw in block.split("\n"):
            if _RULE.match(raw):
                continue
            item = _ITEM.match(raw) if markdown else None
            heading = markdown and re.match(r"^#{1,6}\s", raw)
            if not items or not unwrap or item or heading or items[-1].endswith(("  ", "\\")):
                items.append(raw[item.end() :] if item and item.group(1) else raw.lstrip("#") if heading else raw)
            else:
                items[-1] += " " + raw  # a hard-wrapped line continues its paragraph
        for item in items:
            if markdown:
                item = _INLINE.sub(lambda m: m.group(1) or "", item)
            item = normalize_space(item)
            if item and not _END_MARK.match(item):
                lines.append(item)
    return lines


def kind_of(title: str, url: str, byline: str, cfg: dict) -> str:
    """Document kind: the first ``cfg["kinds"]`` pattern matching the title, else the first
    ``cfg["byline_kinds"]`` pattern matching the body's first line ("Ned Price, Department Spokesperson"),
    else the kind of the url's section (``cfg["url_kinds"]``), else ``cfg["default_kind"]``."""
    for patterns, s in ((cfg["kinds"], title), (cfg.get("byline_kinds", []), byline)):
        for kind, pattern in patterns:
            if re.search(pattern, s, re.I):
                return kind
    for part, kind in cfg.get("url_kinds", {}).items():
        if f"/{part}/" in url:
            return kind
    return cfg["default_kind"]


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Records of the configured JSONL files, in file order (ids are unique in the source)."""
    rows = []
    for name in cfg["files"]:
        with (Path(raw_dir) / name).open(encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    built, first_of = [], {}
    for row in rows:
        title = normalize_space(_INVISIBLE.sub("", row["title"]))
        lines = body_lines(row["text"], cfg["unwrap"], cfg["markdown"])
        if not lines:
            log.warning("%s/%s: empty body, skipped", cfg["source"], row["id"])
            continue
        body = "\n".join(lines)
        first_of.setdefault(body, row["id"])  # the same body under two ids: keep them in one split
        built.append((row, title, body))
    for row, title, body in built:
        text = "\n".join([title, body])
        meta = {"source": cfg["source"], "licence": cfg["licence"], "labeled": list(cfg["labeled"]),
                "title": title, "date": row["date"], "url": row["url"], "kind": kind_of(title, row["url"], body.split("\n", 1)[0], cfg),
                # journalists' questions in the text ("QUESTION:", "Q ..." lines of a transcript)
                "questions": bool(re.search(cfg["question_pattern"], body, re.M)),
                "sha256": text_sha256(text)}  # what later annotations key on
        if first_of[body] != row["id"]:
            meta["group"] = f"{cfg['source']}/{first_of[body]}"
        yield Record(id=f"{cfg['source']}/{row['id']}", text=text, meta=meta)
