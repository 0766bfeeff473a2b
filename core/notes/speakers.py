"""Who said each sentence, when a transcript has speaker tags ("[doctor] ...", "Therapist: ...").

A clinician's summary ("so she's a 58 year old with ...") is note material far more often than the
client's answer to a yes/no question; the salience model uses the speaker as one of its signals.
"""
from __future__ import annotations

import re

from core.language.text import clean_sentences

_TAG = re.compile(
    r"\[\s*(?P<bracket>[A-Za-z][A-Za-z _-]{0,24})\]|^[ \t]*(?P<label>therapist|client|patient|doctor|counsell?or|clinician|"
    r"interviewer|speaker\s*\d+|[TC])[ \t]*:",
    re.I | re.M,
)
_CLINICIAN = re.compile(r"^(?:doctor|dr|therapist|counsell?or|clinician|interviewer|provider|nurse|t)$", re.I)


def tagged_sentences(transcript: str) -> list[tuple[str, str | None]] | None:
    """(sentence, "clinician" | "client") in order, or None when the transcript has fewer than two tags."""
    tags = list(_TAG.finditer(transcript))
    if len(tags) < 2:
        return None
    out: list[tuple[str, str | None]] = [(s, None) for s in clean_sentences(transcript[:tags[0].start()])]
    for i, tag in enumerate(tags):
        end = tags[i + 1].start() if i + 1 < len(tags) else len(transcript)
        who = (tag.group("bracket") or tag.group("label") or "").strip()
        speaker = "clinician" if _CLINICIAN.match(who) else "client"
        out += [(s, speaker) for s in clean_sentences(transcript[tag.end():end])]
    return out
