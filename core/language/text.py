"""Text helpers shared by the note writers and the safety signals.

`split_sentences` cuts a transcript (Whisper output, a typed note, a speaker-tagged dialogue) into
sentences; `clean_sentence` removes spoken fillers and dictation artefacts without adding any word;
`normalise` maps text to a canonical form used to check that what a note says was said.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

_ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "mx", "prof", "st", "vs", "etc", "approx", "appt", "apt", "dept", "jr", "sr",
    "no", "mt", "ft", "min", "max", "e.g", "i.e", "a.m", "p.m", "u.s", "cf", "fig", "wk", "wks", "hr", "hrs",
}
_SPEAKER_TAG = re.compile(r"\[\s*[A-Za-z][A-Za-z _-]{0,24}\]")
_SPEAKER_LABEL = re.compile(
    r"(?:^|(?<=[.!?]\s))\s*(?:therapist|client|patient|doctor|counsell?or|clinician|interviewer|speaker\s*\d+)"
    r"\s*:\s*",
    re.I | re.M,
)
_SPEAKER_LETTER = re.compile(r"^\s*[TCP]\s*:\s*", re.I | re.M)
# A typed note with one-letter headings ("S: ...", "O: ...", "A: ...", "P: ..."): there "P:" is the plan.
LETTER_HEADING = re.compile(r"^[ \t]*(?P<letter>[SOAPDBG])[ \t]*:", re.M)


def letter_headed(text: str) -> bool:
    return len({m.group("letter") for m in LETTER_HEADING.finditer(text)}) >= 2
# Dictation commands spoken into a memo.
_DICTATION = [
    (re.compile(r"\b(?:new|next)\s+(?:paragraph|line)\b[.,]?", re.I), "\n"),
    (re.compile(r"\bfull\s+stop\b[.,]?", re.I), "."),
    (re.compile(r"\bquestion\s+mark\b[.,]?", re.I), "?"),
    (re.compile(r"\s*\bcomma\b,?(?=\s+\w)", re.I), ","),
]
# Penn-Treebank style tokenisation ("do n't", "it 's", "word ,") as in some ASR corpora.
_DETOKENISE = [
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r"\s+([,.!?;:%])"), r"\1"),
    (re.compile(r"\$\s+(?=\d)"), "$"),
]
_FILLER_WORD = r"(?:u+m+|u+h+m*|e+r+m+|hmm+|mm+-?hmm+|mhm+|uh-huh|uh-uh)"
_FILLERS = [
    re.compile(rf"(?<![\w'])-*{_FILLER_WORD}(?:-+{_FILLER_WORD})*(?![\w'])[-—–]*[,.]?", re.I),
    re.compile(r"(?<![\w'-])(?:er|ah)(?![\w'-]),?"),  # lower case only: "ER" is the emergency room
    # "you know" / "I mean" / "like" only when set off as a filler, never "do you know" or "I was like".
    re.compile(r"(?:(?<=^)|(?<=[,.;!?\n]))\s*(?:you\s+know|i\s+mean)\s*,", re.I),
    re.compile(r",\s*(?:you\s+know|i\s+mean)(?=\s*[,.;!?]|\s*$)", re.I),
    re.compile(r",\s*like\s*,|^\s*like\s*,", re.I),
]
# Never across a line break: a line is an utterance or a dictated paragraph.
_FRAGMENT = re.compile(r"(?<![\w'-])[A-Za-z]{1,3}-[ \t]+(?=[A-Za-z])")  # false starts: "c- colonoscopy"
_STUTTER_HYPHEN = re.compile(r"\b([\w']+(?:[ \t]+[\w']+){0,2})[ \t]*-+[ \t]*(\1)\b", re.I)  # "it's-it's", "I don't- I don't"
# "I I think", not "I I've"; never numbers: "PHQ-9 9" is a score equal to the scale's digit, not a stutter.
_NUMBER_WORDS = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty)"
_REPEAT = re.compile(rf"(?<![\w'])(?!\d|{_NUMBER_WORDS}\b)([\w']+)(?:[ \t]+\1(?![\w']))+", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


_NOUN_PERIOD = {
    "a", "the", "this", "that", "her", "his", "my", "their", "your", "our", "any", "each", "same", "trial",
    "grace", "waiting", "time", "week", "month", "day", "year", "short", "long", "menstrual", "first", "last",
    "whole", "postpartum", "probation", "probationary", "refractory", "honeymoon", "adjustment", "transition",
}
_PERIOD = re.compile(r"\b([\w']+)\s+period\b[.,]?(?!\s+of\b)", re.I)


def _period(match: re.Match[str]) -> str:
    """"period" is a dictation command unless it is a noun ("a two week period", "her period")."""
    word = match.group(1)
    return match.group(0) if word.lower() in _NOUN_PERIOD else f"{word}."


_WRAPPED = re.compile(r"(?<=[\w,])[ \t]*\n[ \t]*(?=[a-z])")
_MAYBE_DICTATION = re.compile(r"paragraph|line|stop|mark|comma|period", re.I)
_MAYBE_FILLER = re.compile(
    r"-|\b(?:u+[mh]+|e+r+m*|ah|hmm+|mm+|mhm+|like|you\s+know|i\s+mean)\b|\b([\w']+)[ \t]+\1\b", re.I
)


def _prepare(text: str, *, speaker_letters: bool = True) -> str:
    """Speaker tags and dictation commands become boundaries; ASR tokenisation is undone; a hard-wrapped
    line that continues in lower case is joined to the previous one."""
    if "\n" in text:
        text = _WRAPPED.sub(" ", text)
    if "[" in text:
        text = _SPEAKER_TAG.sub("\n", text)
    if ":" in text:
        text = _SPEAKER_LABEL.sub("", text)
        if speaker_letters and not letter_headed(text):
            text = _SPEAKER_LETTER.sub("", text)
    if _MAYBE_DICTATION.search(text):
        for pattern, repl in _DICTATION:
            text = pattern.sub(repl, text)
        text = _PERIOD.sub(_period, text)
    for pattern, repl in _DETOKENISE:
        text = pattern.sub(repl, text)
    return text


def _strip_fillers(text: str) -> str:
    """Repeated to a fixed point so that cleaning a cleaned sentence changes nothing."""
    if not _MAYBE_FILLER.search(text):
        return _SPACES.sub(" ", re.sub(r"[ \t]+([,.!?;:])", r"\1", text))
    for _ in range(6):
        new = _REPEAT.sub(r"\1", _STUTTER_HYPHEN.sub(r"\1", text))
        for pattern in _FILLERS:
            new = pattern.sub(" ", new)
        new = _FRAGMENT.sub("", new)
        new = re.sub(r"[ \t]+([,.!?;:])", r"\1", new)
        new = re.sub(r"([,;:])[ \t]*(?=[,.!?;:])", "", new)
        new = _SPACES.sub(" ", new)
        if new == text:
            break
        text = new
    return text


def _ends_with_abbreviation(chunk: str, following: str = "") -> bool:
    """ "Dr. Lee", "Maya T. on Monday", "No. 5": the full stop does not end the sentence. "at times no. What"
    and "hep c. I'm surprised" do end it."""
    match = re.search(r"(\S+)\.[\"')\]]*$", chunk)
    if not match:
        return False
    token = match.group(1).lower().lstrip("(\"'")
    if token == "no":
        return following[:1].isdigit()
    if len(token) == 1 and token.isalpha() and token != "i":
        return not following or following[:1].isdigit() or (
            following[:1].islower() and not re.match(r"i(?:'\w+)?\b", following)
        )
    return token in _ABBREVIATIONS


_CLAUSE_START = re.compile(
    r"(?<!\band)(?<!\bso)(?<!\bbut)(?<!\bthen)(?<!\balso)(?<!\bbecause)(?<!\bwhen)(?<!\bif)(?<!\bthat)(?<!\bhow)"
    r"(?<!\bwhile)(?<!\buntil)(?<!\bbefore)(?<!\bafter)(?<!\bwhere)(?<!\bwhether)(?<!\bunless)(?<!\bonce)\s+(?=(?:(?:and|so|but|then|also|because)\s+)?(?:(?:she|he|they|we|i)(?:'s|'ll|'m|'re|'ve|\s+(?:said|says|"
    r"appeared|appears|looked|was|is|were|are|mentioned|reported|reports|feels|felt|think|thinks|thought|practiced|"
    r"practised|did|used|talked|discussed|agreed|will|want|wants|wanted|has|had|have|seemed|seems|denied|denies|"
    r"explored|worked|tried|scored))\b|(?:for\s+homework|homework\s+is|next\s+(?:session|time|week)|"
    r"(?:her|his|their)\s+affect|(?:the\s+)?plan\s+is)\b))",
    re.I,
)


def _split_long(sentence: str) -> list[str]:
    """Run-on ASR text: cut at commas/semicolons, then where a new clause starts ("... and she said ...")."""
    limit = 45 if re.search(r"[,;]", sentence) else 25
    if len(words(sentence)) <= limit:
        return [sentence]
    parts: list[str] = []
    for piece in re.split(r"(?<=[,;])\s+", sentence):
        if parts and len(words(parts[-1])) + len(words(piece)) <= 25:
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    out: list[str] = []
    for part in parts:
        if len(words(part)) <= 25:
            out.append(part)
            continue
        carry = ""  # a short lead-in ("i think", "and for homework") joins the clause after it
        for piece in _CLAUSE_START.split(part):
            piece = f"{carry} {piece}".strip()
            carry = piece if len(words(piece)) < 4 else ""
            if not carry:
                out.append(piece)
        if carry:
            if out:
                out[-1] = f"{out[-1]} {carry}"
            else:
                out.append(carry)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences in order, as they appear in the text (whitespace tidied, speaker tags removed)."""
    text = _prepare(text)
    chunks = [c.strip() for c in _BOUNDARY.split(text) if c and c.strip()]
    merged: list[str] = []
    for chunk in chunks:
        if merged and _ends_with_abbreviation(merged[-1], chunk):
            merged[-1] = f"{merged[-1]} {chunk}"
        else:
            merged.append(chunk)
    out: list[str] = []
    for sentence in merged:
        out.extend(_SPACES.sub(" ", s).strip() for s in _split_long(sentence))
    return [s for s in out if s]


_LEADING_CONNECTIVE = re.compile(
    r"^(?:(?:and|but|also|then|okay|ok|alright|well|right)\b[\s,]*|so\b,?\s*(?=(?:she|he|they|we|I|you|her|his|the|today|"
    r"next|for)\b))+(?=[\w\"']\S*(?:\s+\S+){2})",
    re.I,
)


def clean_sentence(sentence: str) -> str:
    """Remove fillers, stutters and false starts; capitalise; end with punctuation. Adds no words."""
    text = _strip_fillers(_prepare(sentence, speaker_letters=False)).strip()  # split_sentences removed speaker letters
    text = re.sub(r"\bi\b", "I", text)
    for _ in range(4):
        before = text
        text = re.sub(r"^[\s,;:.\-–—…)\]\"']+", "", text)
        text = _strip_fillers(_LEADING_CONNECTIVE.sub("", text)).strip()
        if text == before:
            break
    text = re.sub(r"[\s,;:\-–—(\[]+$", "", text).strip()
    if not words(text):
        return ""
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?":
        text += "."
    return text


# A dictated heading that speech recognition ends with a full stop: "Homework. Plan one activity a day."
_LABEL_ONLY = re.compile(
    r"^(?:subjective|objective|assessment|plan|data|behaviou?r|interventions?|response|goals?|homework|"
    r"next steps|follow[- ]up)[.:]?$",
    re.I,
)


def clean_sentences(text: str) -> list[str]:
    """split_sentences + clean_sentence, empty ones dropped; a heading alone is joined to what follows."""
    cleaned = [c for c in (clean_sentence(s) for s in split_sentences(text)) if c]
    joined: list[str] = []
    for sentence in cleaned:
        if joined and _LABEL_ONLY.match(joined[-1]):
            joined[-1] = f"{joined[-1].rstrip('.:')}: {sentence}"
        else:
            joined.append(sentence)
    return joined


def normalise(text: str) -> str:
    """Canonical form for matching: same clean-up as notes get, lower case, no punctuation."""
    text = _strip_fillers(_prepare(text)).lower()
    text = re.sub(r"[’‘`´]", "'", text)
    text = text.replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


class Evidence:
    """A transcript prepared once for many "was this said?" checks."""

    def __init__(self, source: str) -> None:
        self.normalised = f" {normalise(source)} "

    def supports(self, claim: str, *, min_ratio: float = 100.0) -> bool:
        """True when `claim` (after normalisation) occurs in the source; with `min_ratio` < 100, a fuzzy
        partial match of at least that ratio also counts (for paraphrasing writers)."""
        target = normalise(claim)
        if not target:
            return True
        if f" {target} " in self.normalised:
            return True
        if min_ratio >= 100.0:
            return False
        return fuzz.partial_ratio(target, self.normalised) >= min_ratio


def is_supported(claim: str, source: str, *, min_ratio: float = 100.0) -> bool:
    return Evidence(source).supports(claim, min_ratio=min_ratio)
