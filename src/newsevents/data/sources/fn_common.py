"""What the framenet and geneva readers share: detokenising and judging FrameNet-style frames.

Both corpora come as space-tokenised sentences ("Seoul has n't met Tokyo ( yet ) .") with targets
(a frame or event type, a trigger and its role fillers). ``detokenize`` rebuilds readable text and
maps offsets; ``Judge`` turns targets into our trigger spans with the word lists of the ``lexicon``
section of configs/data/framenet.yaml, and says which labels a sentence is annotated for.

>>> text, pos = detokenize("Seoul has n't met `` Tokyo '' ( yet ) .")
>>> text, text[pos[14]:pos[16] + 1]
("Seoul hasn't met “Tokyo” (yet).", 'met')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Detokenising: tokens glued to the previous / next one, and clitics split off by the tokenizer.
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "”", "...", "'", "’"}
NO_SPACE_AFTER = {"(", "[", "{", "“", "$", "#", "‘"}
CLITICS = re.compile(r"(n't|'s|'re|'ve|'ll|'d|'m|'t)", re.IGNORECASE)
# Judging fillers: "leaders of X" is judged by X; the head phrase ends at a comma, clause or preposition.
RELATIONAL = re.compile(r"^.*\b(?:leaders?|members?|heads?|chairm[ae]n|spokes\w+|officials?|representatives?|"
                        r"officers?|staff|delegates?|delegations?|presidents?)\s+of\s+(.+)$", re.I)
LEADING_PREP = re.compile(r"^(by|from|with|between|among|to|of)\s+", re.I)
HEAD_END = re.compile(r"(?:^|\s)(?:,|;|:|\(|--|—|who|which|that|whose|for|as|in|at|on|from|over|about)\s", re.I)
CONJUNCTION = re.compile(r"\s(?:and|or|&)\s(?:by\s)?", re.I)
PRONOUN = re.compile(r"(?:it|they|them|he|she|him|her|we|us|you|i|which|who|that|these|those|this)", re.I)
# A DEPLOYMENT participle used as an adjective ("the deployed units") and a bare "forces" mover.
ADJECTIVAL = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|our|your|of|these|those|forward|newly|any|no)"
                        r"\s+|-\s*)$", re.I)
BARE_FORCES = re.compile(r"(?:(?:the|its|their|his|more|additional|some|new)\s+)*(?:forces|units?|divisions|corps)",
                         re.I)
REPLACE = {"``": "“", "`": "“", "''": "”", "--": "—", "-LRB-": "(", "-RRB-": ")"}


def norm_key(text: str) -> str:
    """A sentence's identity across corpora: lower-cased letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def detokenize(text: str) -> tuple[str, list[int]]:
    """Readable text and ``pos``: for each char of ``text``, its index in the new text (-1 for
    spaces). A replaced token (quotes, "--") maps its first char to the new token's start and the
    others to its last char, so ``(pos[s], pos[e - 1] + 1)`` maps any token-aligned span."""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    out, pos, open_quote = "", [-1] * len(text), False
    for i, (start, tok) in enumerate(tokens):
        new = REPLACE.get(tok, tok)
        if tok == '"':  # straight quotes alternate; BNC opens with ` and closes with "
            new = "”" if open_quote else "“"
        if new in ("“", "‘"):
            open_quote = True
        elif new in ("”", "’"):
            open_quote = False
        prev = REPLACE.get(tokens[i - 1][1], tokens[i - 1][1]) if i else ""
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        glue = not out or new in NO_SPACE_BEFORE or new[0] in ",.;:!?)]}%”" or CLITICS.fullmatch(new)
        glue = glue or out[-1] in NO_SPACE_AFTER or out[-1] == "“" and prev == "“"
        # a lone hyphen or slash between two words was split off by the tokenizer: "six - party"
        glue = glue or new in ("-", "/") and out[-1].isalnum() and nxt[:1].isalnum()
        glue = glue or prev in ("-", "/") and len(out) > 1 and out[-2].isalnum() and new[0].isalnum()
        out += "" if glue else " "
        for k in range(len(tok)):
            pos[start + k] = len(out) + (k if new == tok else (0 if k == 0 else len(new) - 1))
        out += new
    return out, pos


@dataclass
class Target:
    """One annotated frame (or event) in a sentence; offsets are into the tokenised sentence."""

    frame: str
    spans: list[tuple[int, int]]          # the target words (end-exclusive)
    roles: dict[str, list[str]] = field(default_factory=dict)  # role name -> filler texts


class Judge:
    """Decides, per sentence, which targets are our triggers and which labels are fully annotated.

    ``labels`` maps a label to {frames, who, whom}: the frames (or event types) that can carry it,
    the roles of its speaker/participants/mover, and the roles of its addressee/goal (``lexicon``:
    see configs/data/framenet.yaml)."""

    def __init__(self, lexicon: dict, labels: dict):
        def rx(words, flags=re.IGNORECASE):
            return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", flags)  # "U.S." too

        self.labels = labels
        self.trigger = {k: rx(v) for k, v in lexicon["triggers"].items()}
        self.gray = {k: rx(v) for k, v in lexicon["gray"].items()}
        self.actor = rx(lexicon["actor_nouns"])
        self.names = rx(lexicon["actor_names"], 0)  # case-sensitive: "Turkey", not "turkey"
        self.envoy = rx(lexicon["envoys"])
        self.private = rx(lexicon["private"])
        self.judicial = rx(lexicon["judicial"])
        self.judicial_context = rx(lexicon["judicial_context"])
        self.military = rx(lexicon["military"])
        self.places = rx(lexicon["places"])

    def is_actor(self, s: str) -> bool:
        return bool(self.actor.search(s) or self.names.search(s))

    def kind(self, fillers: list[str]) -> str:
        """'yes' if a filler's head phrase names an actor, 'no' if only private persons or
        non-state bodies, else 'unknown'. The head phrase ends before a comma, relative clause or
        preposition; "leaders/members/officials of X" are judged by X (rules 2, 4, 5, 10)."""
        verdicts = set()
        for f in fillers:
            head = HEAD_END.split(LEADING_PREP.sub("", f.strip()) + " ")[0]
            of = RELATIONAL.match(head)
            if of:  # the organisation after "of" decides
                head = HEAD_END.split(of.group(1) + " ")[0]
            for part in CONJUNCTION.split(head):  # "the government and the people": either may do
                verdicts.add("no" if self.private.search(part) else "yes" if self.is_actor(part) else "unknown")
        return "yes" if "yes" in verdicts else "no" if "no" in verdicts else "unknown"

    def decide(self, label: str, word: str, t: Target, sentence: str) -> str:
        """'yes', 'no' or 'unknown': is trigger ``word`` of target ``t`` a ``label`` span?"""
        cfg = self.labels[label]
        who = [x for r in cfg["who"] for x in t.roles.get(r, [])]
        whom = [x for r in cfg.get("whom", []) for x in t.roles.get(r, [])]
        if label == "DEPLOYMENT":  # the mover must be armed forces or military assets (rule 17)
            if who and all(BARE_FORCES.fullmatch(x.strip()) or PRONOUN.fullmatch(x.strip()) for x in who):
                return "unknown"  # "they were deployed"; "send forces" to a wildfire: crews or troops?
            if who:
                return "yes" if self.military.search(" | ".join(who)) else "no"
            return "unknown" if self.military.search(sentence) else "no"
        if label == "MEETING" and word.lower().startswith("summon"):  # envoys called in only
            return "yes" if self.envoy.search(" | ".join(whom)) else "no"
        if label == "MEETING" and word.lower().startswith("visit") and whom and self.kind(whom) != "yes":
            if self.places.search(" | ".join(whom)) or self.kind(whom) == "no":
                return "no"  # a visit to a place that is no state or counterpart: a hospital, a temple
        if label == "CONDEMNATION" and self.judicial.search(" | ".join(who)):
            return "no"  # judicial acts are O (rule 19)
        if who:
            return self.kind(who)
        if label == "CONDEMNATION":  # no speaker: "Iran was accused of ...", but not "arrested and accused"
            judicial = self.judicial_context.search(sentence)
            return "yes" if whom and self.kind(whom) == "yes" and not judicial else "unknown"
        return "yes" if self.is_actor(sentence) else "unknown"

    def judge(self, sentence: str, targets: list[Target]) -> tuple[list[tuple[int, int, str]], set[str]]:
        """Our spans in ``sentence`` (head words, rule 15) and the labels left unknown in it."""
        spans, unknown, covered = [], set(), []
        for t in targets:
            covered += t.spans
            for label, cfg in self.labels.items():
                if t.frame not in cfg["frames"]:
                    continue
                if self.gray[label].search(" ".join(sentence[s:e] for s, e in t.spans)):
                    unknown.add(label)  # "told off", "castigate": neither a span nor O is safe
                    continue
                words = [(s + m.start(), s + m.end()) for s, e in t.spans
                         for m in re.finditer(r"[\w'-]+", sentence[s:e])]
                for s, e in words:
                    if self.trigger[label].fullmatch(sentence[s:e]):
                        verdict = self.decide(label, sentence[s:e], t, sentence)
                        adjectival = sentence[s:e].endswith("ed") and ADJECTIVAL.search(sentence[:s])
                        if label == "DEPLOYMENT" and adjectival:
                            verdict = "no"  # "the deployed units", "forward-deployed forces": rule 17
                        if verdict == "yes":
                            spans.append((s, e, label))
                        elif verdict == "unknown":
                            unknown.add(label)
                        break  # one head word per target
        military = bool(self.military.search(sentence))
        for label in self.labels:  # a trigger or gray word that no target covers leaves the label open
            if label == "DEPLOYMENT" and not military:
                continue  # nothing military in the sentence: no deployment can hide in it
            for rx in (self.trigger[label], self.gray[label]):
                for m in rx.finditer(sentence):
                    if not any(s < m.end() and m.start() < e for s, e in covered):
                        unknown.add(label)
        return sorted(set(spans)), unknown
