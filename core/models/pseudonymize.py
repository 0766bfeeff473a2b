"""ALLIANCE_LLM_PSEUDONYMIZE: names out before any external call, back in on the way home.

The client's known names and aliases, and any other capitalised person name in the text (a sister, a
boss, a partner), are replaced with placeholders such as [CLIENT], [CLIENT_FIRST], [PERSON_1] before a
prompt leaves the machine; the model's answer has them put back. Each distinct spelling gets its own
placeholder, so restore(scrub(text)) == text exactly; spellings of one person share a stem ([CLIENT],
[CLIENT_FIRST], [CLIENT_LAST]) so the model still sees they are the same person.

Detection leans towards replacing too much: a capitalised word that is not a common English word is
taken for a name even at the start of a sentence. A needless placeholder costs a little fluency; a
missed name leaks. Weekdays, months, acronyms (PHQ-9, CBT) and common words stay as they are.

Known limit: a text that already contains a literal placeholder such as "[PERSON_1]" is not escaped.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from core.language.words import COMMON, MONTHS, NAMELIKE, WEEKDAYS

_NAME = r"[A-Z][a-zA-Z]*(?:['’-][A-Z][a-zA-Z]*)*"
_RUN = re.compile(rf"(?<![\w'’-]){_NAME}(?:[ \t]+{_NAME}){{0,2}}(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n][\"')\]]*\s*)$")
_PLACEHOLDER = re.compile(r"\[(?:CLIENT|PERSON)[A-Z0-9_]*\]")


class Pseudonymizer:
    """One per request: the same spelling always maps to the same placeholder across every text scrubbed."""

    def __init__(self, people: Mapping[str, Sequence[str]] | None = None, *, detect: bool = True):
        """`people`: label -> known spellings, e.g. {"CLIENT": ["Maya Thompson", "Maya T."]}."""
        self.detect = detect
        self._forward: dict[str, str] = {}  # spelling -> placeholder
        self._back: dict[str, str] = {}  # placeholder -> spelling
        self._known: list[tuple[str, str]] = []  # (label, full spelling) matched without regard to case
        self._people = 0
        for label, names in (people or {}).items():
            for index, name in enumerate(n.strip() for n in names if n and n.strip()):
                self._known.append((label, name))
                self._register_person(label, name, alias=index)

    # ---- registering spellings -------------------------------------------------------------------------
    def _add(self, spelling: str, placeholder: str) -> None:
        if spelling in self._forward:
            return
        base, n = placeholder[1:-1], 2
        while placeholder in self._back:  # a second spelling for the same role: keep them distinct
            placeholder = f"[{base}_{n}]"
            n += 1
        self._forward[spelling] = placeholder
        self._back[placeholder] = spelling

    def _register_person(self, label: str, name: str, *, alias: int = 0) -> None:
        self._add(name, f"[{label}]" if alias == 0 else f"[{label}_ALIAS]")
        tokens = [t for t in re.split(r"\s+", name.replace(".", " ")) if len(t) >= 2]
        if len(tokens) >= 2:
            self._add(tokens[0], f"[{label}_FIRST]")
            self._add(tokens[-1], f"[{label}_LAST]")

    def _detected(self, text: str) -> Iterable[str]:
        for match in _RUN.finditer(text):
            words = match.group(0).split()
            start = match.start()
            kept: list[str] = []
            for position, word in enumerate(words):
                at_start = position == 0 and bool(_SENTENCE_START.search(text[:start]))
                if _is_name(word, at_start=at_start and not kept):
                    kept.append(word)
                elif kept:
                    yield " ".join(kept)
                    kept = []
            if kept:
                yield " ".join(kept)

    # ---- the two directions ----------------------------------------------------------------------------
    def scrub(self, text: str) -> str:
        if not text:
            return text
        for label, name in self._known:  # other capitalisations of a known name ("maya thompson")
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                self._add(match.group(0), f"[{label}_ALIAS]")
        if self.detect:
            for name in self._detected(text):
                if name not in self._forward:
                    self._people += 1
                    self._register_person(f"PERSON_{self._people}", name)
        if not self._forward:
            return text
        spellings = sorted(self._forward, key=len, reverse=True)  # "Maya Thompson" before "Maya"
        pattern = re.compile("|".join(rf"(?<![\w]){re.escape(s)}(?![\w])" for s in spellings))
        return pattern.sub(lambda m: self._forward[m.group(0)], text)

    def restore(self, text: str) -> str:
        if not text or not self._back:
            return text
        return _PLACEHOLDER.sub(lambda m: self._back.get(m.group(0), m.group(0)), text)

    def restore_value(self, value: Any) -> Any:
        """Restore every string inside a JSON-like value (dicts, lists, tuples)."""
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, dict):
            return {k: self.restore_value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.restore_value(v) for v in value)
        return value

    def placeholder_for(self, spelling: str) -> str:
        return self._forward.get(spelling, spelling)

    @property
    def replaced(self) -> int:
        """How many distinct spellings were hidden (for logs: a count, never the names)."""
        return len(self._forward)


class NoPseudonyms(Pseudonymizer):
    """Pseudonymisation switched off: both directions are the identity."""

    def __init__(self) -> None:
        super().__init__(detect=False)

    def scrub(self, text: str) -> str:
        return text

    def restore(self, text: str) -> str:
        return text

    def placeholder_for(self, spelling: str) -> str:
        return spelling


def make_pseudonymizer(enabled: bool, people: Mapping[str, Sequence[str]] | None = None) -> Pseudonymizer:
    return Pseudonymizer(people) if enabled else NoPseudonyms()


def _is_name(word: str, *, at_start: bool) -> bool:
    if len(word) < 2 or (word.isupper() and len(word) > 1):  # "I", acronyms: CBT, PHQ
        return False
    lower = word.lower().replace("’", "'")
    if lower in MONTHS or lower in WEEKDAYS:  # "in May", "on Monday": dates the note needs
        return False
    if lower in NAMELIKE and not at_start:  # Will, Hope: a name when capitalised mid-sentence
        return True
    return lower not in COMMON
