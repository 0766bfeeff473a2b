"""One therapist per name however it is typed at the terminal: "Dr Rivera", "Dr. Rivera" and "dr rivera"
are one identity (the console keys a therapist by a hash of the name). A name that only *resembles* one
on file ("Rivera" beside "Dr. Maria Rivera") may be someone else: the CLI asks before creating it."""
from __future__ import annotations

import re
import unicodedata

TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "phd", "psyd", "lcsw",
                    "lmft", "lpc", "lmhc", "md", "msw", "rn"})
_PUNCTUATION = re.compile(r"[.,'’‘\"`_\-–—()]+")


def console_key(name: str) -> str:
    """The identity a typed name stands for: case, punctuation and spacing don't count."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def legacy_key(name: str) -> str:
    """How databases before this keyed a console therapist (lower case, spaces collapsed)."""
    return " ".join(name.lower().split())


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in console_key(name).split() if t not in TITLES)


def resembles(typed: str, existing: str) -> bool:
    """Same person perhaps: the same names once titles are dropped ("Rivera" / "Dr. Rivera"), or one's
    names a part of the other's with the same surname ("Maria Rivera" / "Dr. Maria Elena Rivera")."""
    a, b = _tokens(typed), _tokens(existing)
    if not a or not b or console_key(typed) == console_key(existing):
        return False
    return a == b or (a[-1] == b[-1] and (set(a) <= set(b) or set(b) <= set(a)))
