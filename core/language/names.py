"""Finding the names a therapist's memo uses for a person: "Session with Maya", "Daniel Okafor today",
"note for Priya", "Maya T.", "met with sam again" (transcripts may lack capitals).

Pure functions; no client list needed. core.language.client_match matches what is found here to the therapist's clients.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.language.words import COMMON, NAMELIKE, RELATIONS, TITLES

_TOKEN = re.compile(
    r"(?P<w>[^\W\d_](?:[\w'’-]*[^\W_])?)(?P<dot>\.)?|(?P<end>[!?]+|\n+)|(?P<num>\d(?:[\d:/-]|\.(?=\d))*)(?P<numdot>\.(?!\w))?"
    r"|(?P<punct>[,;:()\"“”])"
)
_BEFORE_CUES = {"saw", "seeing", "see", "met", "client", "patient", "with", "for"}
_SESSION_WORDS = {
    "session", "sessions", "met", "note", "notes", "memo", "appointment", "meeting", "saw", "checkin",
    "check-in", "call", "visit", "intake", "seeing", "see", "therapy", "finished", "done", "wrapped", "working",
}
_AFTER_CUES = {"today", "again", "tonight", "yesterday", "this", "came", "comes", "presented", "presents", "arrived"}
_WEAK_AFTER_CUES = {  # evidence only mid-sentence: at a sentence start any word is capitalised
    "said", "says", "reported", "reports", "mentioned", "talked", "shared", "told", "described", "was", "is",
    "seemed", "session", "appointment",
}
_LOWER_AFTER_CUES = {"today", "again", "tonight", "yesterday", "this", "came", "presented", "arrived", "reported"}
_FILLERS = {
    "so", "okay", "ok", "um", "uh", "er", "erm", "right", "alright", "well", "and", "now", "next", "today", "quick",
    "note", "memo", "hi", "hey", "progress",
}
# Small words that may open a memo before the name without making it a passing mention:
# "This is for jordan lee", "Quick one for Danny", "A note on Maya".
_OPENING = {"this", "is", "its", "it", "for", "one", "a", "an", "on", "about", "just", "here", "heres", "re", "regarding", "update"}
_DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "our", "each", "every"}
_NOT_NAME_SUFFIXES = ("ed", "ing", "tion", "ment", "ness", "ful", "ous", "ive", "ize", "ise")


@dataclass
class Tok:
    text: str  # as written, possessive removed
    norm: str  # lowercase letters only
    cap: bool
    initial: bool  # "T." after a name
    sent: int
    sent_start: bool
    brk: bool  # punctuation or a sentence boundary right before it
    possessive: bool
    # What comes before it in the text (kept here so opens_memo is O(1), not a scan: issue 12 measured a
    # 125 KB note at 100 s when every capitalised word rescanned the words before it).
    lead: bool = True  # only fillers and opening words before it
    after_session_word: bool = False  # a session word ("session", "met"...) somewhere before it


@dataclass
class Mention:
    name: str
    tokens: tuple[str, ...]
    strength: int  # 3 naming phrase, 2 first sentence, 1 elsewhere
    before_cue: bool
    lower: bool
    start: int
    end: int = -1  # index of the last token


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def norm_token(word: str) -> str:
    """Lowercase letters only, possessive dropped: "Maya's" -> "maya", "O'Brien" -> "obrien"."""
    word = _fold(word).lower()
    word = re.sub(r"['’]s$", "", word)
    return re.sub(r"[^a-z]", "", word)


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    sent, sent_start, brk = 0, True, True
    lead, session = True, False
    for m in _TOKEN.finditer(text):
        if m.group("w"):
            word = m.group("w")
            possessive = bool(re.search(r"['’]s?$", word)) and len(word) > 2
            shown = re.sub(r"['’]s?$", "", word)
            initial = len(shown) == 1 and shown.isupper() and bool(m.group("dot"))
            norm = norm_token(shown)
            toks.append(Tok(shown, norm, shown[:1].isupper(), initial, sent, sent_start, brk, possessive, lead, session))
            lead = lead and (norm in _FILLERS or norm in _OPENING)
            session = session or norm in _SESSION_WORDS
            sent_start, brk = False, False
            if m.group("dot") and not initial and norm_token(shown) not in TITLES | {"dr", "prof", "st"}:
                sent, sent_start, brk = sent + 1, True, True
        elif m.group("end") or m.group("numdot"):  # "session on November 17. She said ..."
            sent, sent_start, brk = sent + 1, True, True
        else:
            brk = True
    return toks


def _acronym(tok: Tok) -> bool:
    return len(tok.text) > 1 and tok.text.isupper()


def _strong_before(toks: list[Tok], i: int, lower: bool) -> bool:
    if i == 0 or toks[i].brk:
        return False
    prev = toks[i - 1].norm
    prev2 = toks[i - 2].norm if i >= 2 and not toks[i - 1].brk else ""
    if prev in TITLES:
        return True
    if prev in {"named", "called", "is"}:  # "a client named Grace", "next patient is christina cooper"
        return prev2 in {"client", "patient"}
    if prev not in _BEFORE_CUES or toks[i - 1].possessive:  # "the patient's tsh" names nobody
        return False
    if lower and prev in {"saw", "seeing", "see", "met"}:  # "i see articles": only "saw jordan" opening a memo
        return prev != "see" and (toks[i - 1].sent_start or prev2 in {"i", "im", "we", "were", "today", "just", "also"})
    if prev in {"client", "patient"} and prev2 in _DETERMINERS:  # "the patient underwent ..."
        return False
    if prev in {"with", "for"} and (lower or prev2 not in _SESSION_WORDS):
        return prev2 in _SESSION_WORDS or (not lower and toks[i - 1].sent_start)
    return True


def _strong_after(toks: list[Tok], j: int, lower: bool) -> bool:
    """j: index of the last token of the run."""
    if j + 1 >= len(toks) or toks[j + 1].brk:
        return False
    nxt = toks[j + 1].norm
    if toks[j].possessive:
        return nxt in {"session", "appointment", "homework", "note"}
    if lower:
        return nxt in _LOWER_AFTER_CUES
    return nxt in _AFTER_CUES or (nxt in _WEAK_AFTER_CUES and not toks[j].sent_start)


def relation_before(toks: list[Tok], i: int) -> bool:
    if i == 0 or toks[i].brk:
        return False
    prev = toks[i - 1].norm
    if prev in {"named", "called"}:
        return not (i >= 2 and toks[i - 2].norm in {"client", "patient"})
    if prev in TITLES and i >= 2 and not toks[i - 1].brk:  # "the nurse practitioner Mrs. Smith"
        return relation_before(toks, i - 1)
    return prev in RELATIONS or (toks[i - 1].possessive and prev not in COMMON)


def opens_memo(toks: list[Tok], i: int) -> bool:
    """The name opens the memo ("Maya reported…", "So, Daniel, third session…": only fillers before it), or
    the first sentence is about a session ("Session on Tuesday with Daniel Okafor")."""
    return toks[i].sent == 0 and (toks[i].lead or toks[i].after_session_word)


def _wordlike(tok: Tok) -> bool:
    """Contractions ("I'm", "They're"), stutters ("and-and", "Mm-hmm") and plurals of common words."""
    if re.search(r"['’](m|re|ve|ll|d|t)$|n['’]t$", tok.text, re.I):
        return True
    if re.search(r"['’]", tok.text) and norm_token(re.split(r"['’]", tok.text)[0]) in COMMON:
        return True
    if "-" in tok.text:
        parts = [norm_token(p) for p in tok.text.split("-") if p]
        if any(p in COMMON or len(p) < 2 for p in parts) or len(set(parts)) < len(parts):
            return True
    return tok.norm.endswith("s") and tok.norm[:-1] in COMMON


def _cap_name(tok: Tok) -> bool:
    if not tok.cap or _acronym(tok) or len(tok.norm) < 2 or tok.norm in COMMON or _wordlike(tok):
        return False
    return not (tok.sent_start and tok.norm.endswith(_NOT_NAME_SUFFIXES) and len(tok.norm) > 5)


def mentions(text: str) -> list[Mention]:
    toks = tokenize(text)
    found: list[Mention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        cap_ok = _cap_name(tok) or (
            tok.cap and tok.norm in NAMELIKE and not tok.sent_start and _strong_before(toks, i, False)
        )
        lower_ok = (
            not tok.cap and len(tok.norm) >= 2 and tok.norm not in COMMON and tok.text.isalpha()
            and (_strong_before(toks, i, True) or (tok.sent_start and _strong_after(toks, i, True)))
        )
        if not (cap_ok or lower_ok) or relation_before(toks, i):
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and j - i < 2 and not toks[j + 1].brk and not toks[j].possessive:
            nxt = toks[j + 1]
            if cap_ok and (nxt.initial or _cap_name(nxt)):
                j += 1
            elif lower_ok and not nxt.cap and nxt.norm not in COMMON and len(nxt.norm) >= 2 and j == i:
                j += 1
            else:
                break
        run = toks[i : j + 1]
        before = _strong_before(toks, i, lower_ok and not cap_ok)
        after = _strong_after(toks, j, lower_ok and not cap_ok)
        strength = 3 if before or after else (2 if opens_memo(toks, i) else 1)
        name = " ".join(t.text + ("." if t.initial else "") for t in run)
        found.append(Mention(name, tuple(t.norm for t in run), strength, before, lower_ok and not cap_ok, i, j))
        i = j + 1
    found.sort(key=lambda m: (-m.strength, m.start))
    return found


def names_mentioned(text: str) -> list[str]:
    """Candidate names the text uses for a person, clearest first ("Session with Maya" before a name
    that merely appears later). Common words, weekdays, months, titles, acronyms and people introduced
    by a relation ("her sister Priya", "Dr. Patel") are left out."""
    seen: set[tuple[str, ...]] = set()
    names: list[str] = []
    for mention in mentions(text or ""):
        if mention.tokens not in seen:
            seen.add(mention.tokens)
            names.append(mention.name)
    return names


MAX_NAME_WORDS = 5


def looks_like_name(text: str) -> bool:
    """A short typed answer that reads as a person's name ("Nora Vance", "dr. priya raman", "O'Neil"),
    not as a sentence or a question ("shorten the plan", "what did she say?")."""
    words = text.replace(".", " ").split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or any(ch in text for ch in "?!:;,\"()[]{}<>/\\@#"):
        return False
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if len(letters) != len(words) or any(not all(ch.isalpha() or ch in "'’-" for ch in w) for w in words):
        return False
    return not any(norm_token(w) in COMMON for w in words if norm_token(w) not in TITLES)
