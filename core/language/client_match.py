"""Finding the client a memo or question is about, and matching a name to the therapist's clients.

Pure functions over plain values: no storage, no logging. Matching combines rapidfuzz string similarity
with phonetic keys (jellyfish metaphone and NYSIIS) so that what the transcriber misheard ("Meyer" for
"Maya", "my Thompson" for "Maya Thompson") still finds the client. It is deliberately conservative:
filing a note under the wrong client is worse than asking, so a weak or split match is "ambiguous".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import jellyfish
from rapidfuzz import fuzz

from core.language.names import Mention, mentions, names_mentioned, norm_token, opens_memo, relation_before, tokenize
from core.language.words import COMMON, RELATIONS, TITLES

__all__ = [
    "ClientRecord", "Resolution", "names_mentioned", "match_name", "close_matches", "resolve_client", "norm_token",
    "token_similarity", "STRONG", "WEAK", "MARGIN",
]

STRONG = 88.0  # a name this close is the client
WEAK = 70.0  # this close: worth asking about, never filed without asking
MARGIN = 5.0  # two clients closer than this to each other are ambiguous


@dataclass(frozen=True)
class ClientRecord:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """kind: "match" (client set), "ambiguous" (ask; candidates set), "new" (new_name set) or "none".

    `new_name` is also set on "ambiguous" when the memo clearly named someone who only weakly resembles
    an existing client, so the caller can offer "new client" next to the candidates.
    """

    kind: str
    client: ClientRecord | None = None
    candidates: tuple[ClientRecord, ...] = ()
    new_name: str | None = None
    mention: str | None = None  # the words in the text that named the client
    score: float = 0.0


# ---- matching a name to clients -------------------------------------------------------------------
@lru_cache(maxsize=8192)
def _pkey(word: str) -> str:
    """Metaphone, with a final R after a vowel dropped (non-rhotic speech: "Meyer" ~ "Maya")."""
    key = jellyfish.metaphone(word)
    if len(key) > 1 and key.endswith("R") and re.search(r"[aeiouy]r+e?$", word):
        key = key[:-1]
    return key


@lru_cache(maxsize=8192)
def _nysiis(word: str) -> str:
    return jellyfish.nysiis(word)


@lru_cache(maxsize=65536)
def token_similarity(a: str, b: str) -> float:
    """0-100: how alike two normalised name tokens are in spelling or in sound."""
    if a == b:
        return 100.0
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    ka, kb = _pkey(a), _pkey(b)
    if min(len(a), len(b)) >= 3:
        if ka == kb and len(ka) >= 2:
            score = max(score, 90.0)
        elif _nysiis(a) == _nysiis(b) and len(_nysiis(a)) >= 3:
            score = max(score, 88.0)
    if ka and kb and ka[0] == kb[0] and (ka.startswith(kb) or kb.startswith(ka)):
        score = max(score, 80.0)
    return score


def _split(name: str) -> tuple[str, ...]:
    parts = [norm_token(p) for p in re.split(r"[\s,]+", name or "")]
    return tuple(p for p in parts if p and p not in TITLES and p not in {"dr", "prof"})


@lru_cache(maxsize=4096)
def _forms(client_name: str, aliases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    forms = [_split(client_name)] + [_split(a) for a in aliases]
    return tuple(f for f in forms if f)


def _score_form(query: tuple[str, ...], form: tuple[str, ...]) -> float:
    if query == form:
        return 100.0
    if len(query) == 1:
        token = query[0]
        if len(token) < 2:
            return 0.0
        best = token_similarity(token, form[0])
        for part in form[1:]:
            best = max(best, token_similarity(token, part) - 3.0)  # surname alone: a shade less sure
        return best
    first, last = query[0], query[-1]
    if len(form) == 1:
        return min(token_similarity(first, form[0]), 85.0) if len(query) == 2 else 0.0
    fs = token_similarity(first, form[0])
    if len(last) == 1:
        ls = 100.0 if form[-1].startswith(last) else 0.0
        score = min((fs + ls) / 2, min(fs, ls) + 15) - 4.0
    else:
        ls = token_similarity(last, form[-1])
        score = min((fs + ls) / 2, min(fs, ls) + 15)
        score = max(score, fuzz.ratio(" ".join(query), " ".join(form)) if min(fs, ls) >= 60 else 0.0)
    return score


def match_name(name: str, clients: Iterable[ClientRecord]) -> list[tuple[ClientRecord, float]]:
    """Clients whose name or alias resembles `name` (full name, first name, surname, "Maya T.",
    possessives, misheard spellings), best first, with a 0-100 score; scores under WEAK are dropped."""
    query = _split(name)
    if not query:
        return []
    scored = []
    for client in clients:
        score = max((_score_form(query, f) for f in _forms(client.name, tuple(client.aliases or ()))), default=0.0)
        if score >= WEAK:
            scored.append((client, round(score, 1)))
    scored.sort(key=lambda cs: (-cs[1], cs[0].name))
    return scored


def close_matches(scored: Sequence[tuple[ClientRecord, float]]) -> tuple[tuple[ClientRecord, ...], bool]:
    """From match_name's list: (the clients to consider, whether exactly one is a clear match)."""
    if not scored:
        return (), False
    top = scored[0][1]
    if top < STRONG:
        return tuple(c for c, _ in scored[:3]), False
    exact = [c for c, s in scored if s >= 100]
    if len(exact) == 1:  # "Tamar Lindqvist" as written is Tamar, however close "Amar Lindqvist" is
        return (exact[0],), True
    near = tuple(c for c, s in scored if s >= STRONG and top - s < MARGIN)
    return near, len(near) == 1


# ---- resolving a memo's client --------------------------------------------------------------------
def _title(name: str) -> str:
    return " ".join(w if any(ch.isupper() for ch in w) else w.capitalize() for w in name.split())


def hint_from_caption(caption: str | None) -> str | None:
    """A name written with a voice memo ("Maya", "session with Daniel O."), to use as the client hint;
    None when the caption names nobody (a caption is never treated as a new client's name by itself)."""
    if not caption or len(caption.split()) > 12:
        return None
    names = names_mentioned(caption)
    bare = caption.strip(" .,:;!?")
    if not names and len(bare.split()) <= 3 and bare[:1].isupper() and norm_token(bare.split()[0]) not in COMMON:
        names = [bare]  # a bare "Maya" or "Maya T."
    return names[0] if names else None


def _resolve_hint(hint: str, clients: Sequence[ClientRecord]) -> Resolution:
    scored = match_name(hint, clients)
    near, clear = close_matches(scored)
    name = _title(hint.strip())
    if clear:
        return Resolution("match", near[0], near, mention=hint, score=scored[0][1])
    if near:
        weak = scored[0][1] < STRONG
        return Resolution("ambiguous", None, near, new_name=name if weak else None, mention=hint, score=scored[0][1])
    return Resolution("new", None, (), new_name=name, mention=hint)


def _scan_exact(text: str, clients: Sequence[ClientRecord], taken: Iterable[Mention]) -> list[Mention]:
    """Clients' names written out exactly (any case) outside the names already found."""
    toks = tokenize(text)
    covered = {k for m in taken for k in range(m.start, max(m.start, m.end) + 1)}
    wanted: dict[str, None] = {}
    for client in clients:
        for form in _forms(client.name, tuple(client.aliases or ())):
            for part in form:
                if len(part) >= 3 and part not in COMMON:
                    wanted[part] = None
    out: list[Mention] = []
    for i, tok in enumerate(toks):
        if tok.norm in wanted and i not in covered and not relation_before(toks, i):
            last = out[-1] if out else None
            if last and last.end == i - 1 and not tok.brk and len(last.tokens) < 3:  # "jordan lee": one mention
                out[-1] = Mention(f"{last.name} {tok.text}", (*last.tokens, tok.norm), last.strength, False,
                                  last.lower and not tok.cap, last.start, i)
                continue
            out.append(Mention(tok.text, (tok.norm,), 2 if opens_memo(toks, i) else 1, False, not tok.cap, i, i))
    return out


# "Session with Maya, sorry, I meant Jordan": the name before the correction was a slip of the tongue.
_CORRECTION = re.compile(
    r"(?P<slip>\b[\w'’-]+(?:\s+[\w'’-]+)?)\s*[,.;:—–-]*\s*"
    r"(?:(?:sorry|no|correction|scratch\s+that|or\s+rather|rather)\b\s*[,.;:—–-]*\s*"
    r"(?:(?:I|i)\s+mean[t]?|make\s+that|it'?s|it\s+was|that'?s|that\s+should\s+be)?|(?:I|i)\s+mean[t]?|make\s+that)"
    r"\s*[,.;:—–-]*\s*(?P<name>[\w'’-]+)",
)


def _without_slips(text: str, clients: Sequence[ClientRecord]) -> str:
    """The text with a corrected name dropped: "with Maya, sorry, I meant Jordan" reads "with Jordan". Only a
    correction to a word that is one of the clients' names or capitalised counts ("I mean, it was hard" does not)."""
    parts = {p for c in clients for f in _forms(c.name, tuple(c.aliases or ())) for p in f}
    out, pos = [], 0
    for m in _CORRECTION.finditer(text):
        name = m.group("name")
        if norm_token(name) in COMMON or not (norm_token(name) in parts or name[:1].isupper()):
            continue
        cue = text[m.end("slip"):m.start("name")]
        if re.match(r"[\s,]*[.;:!?]\s*no\b", cue, re.I) and not re.search(r"\bmean", cue, re.I):
            continue  # "Session with Maya. No, Priya did not come." is not a correction
        slip = m.group("slip").split()
        slip_start = m.start("slip")
        if len(slip) == 2 and norm_token(slip[0]) in COMMON | RELATIONS:  # "with Maya": keep "with"
            slip_start = m.start("slip") + m.group("slip").index(slip[1])
        if norm_token(slip[-1]) in COMMON:
            continue
        out.append(text[pos:slip_start])
        pos = m.start("name")
    return "".join(out) + text[pos:] if out else text


def _with_previous(text: str, mention: Mention, toks: list | None = None) -> str | None:
    """"Thompson" after "my" -> "my Thompson": a first name the transcriber turned into a small word.
    `toks`: the text's tokens when the caller has them (tokenizing once per mention was quadratic)."""
    toks = tokenize(text) if toks is None else toks
    if len(mention.tokens) != 1 or mention.start == 0 or toks[mention.start].brk:
        return None
    prev = toks[mention.start - 1]
    return f"{prev.text} {toks[mention.start].text}" if prev.norm and prev.norm not in RELATIONS else None


def resolve_client(text: str, clients: Sequence[ClientRecord], *, hint: str | None = None) -> Resolution:
    """Which of the therapist's clients the memo is about. An explicit `hint` (CLI --client, "/client
    Maya") wins over the text. Never guesses: two close clients or only a weak resemblance -> "ambiguous"."""
    clients = list(clients)
    if hint and hint.strip():
        return _resolve_hint(hint, clients)
    text = _without_slips(text or "", clients)
    found = mentions(text)
    found += _scan_exact(text, clients, found)
    toks = tokenize(text)
    results = []  # (mention, near clients, clear, score)
    for mention in found:
        scored = match_name(mention.name, clients)
        extended = _with_previous(text, mention, toks)
        if extended:
            ext = match_name(extended, clients)
            if ext and ext[0][1] >= STRONG and (not scored or ext[0][1] > scored[0][1]):
                scored = ext
        near, clear = close_matches(scored)
        results.append((mention, near, clear, scored[0][1] if scored else 0.0))
    strong = [r for r in results if r[2] or (r[1] and r[3] >= STRONG)]
    if strong:
        tier = max(r[0].strength for r in strong)
        top = [r for r in strong if r[0].strength == tier]
        chosen: dict[int, ClientRecord] = {}
        for _, near, _, _ in top:
            for client in near:
                chosen.setdefault(client.id, client)
        clear_ids = {near[0].id for _, near, clear, _ in top if clear}
        consistent = len(clear_ids) == 1 and all(
            any(c.id in clear_ids for c in near) for _, near, _, _ in top
        )
        others = {near[0].id for m, near, clear, score in strong if clear and len(m.tokens) > 1 and score >= 95}
        if tier >= 2 and (len(chosen) == 1 or consistent) and others <= (clear_ids or set(chosen)):
            mention, near, _, score = next(r for r in top if r[1][0].id in (clear_ids or chosen))
            return Resolution("match", near[0], (near[0],), mention=mention.name, score=score)
        for m, near, clear, score in strong:  # another client named in full elsewhere in the memo
            if clear and near[0].id in others:
                chosen.setdefault(near[0].id, near[0])
        return Resolution("ambiguous", None, tuple(chosen.values()), mention=top[0][0].name, score=top[0][3])
    new_name = next((m.name for m in found if _clear_new_name(m)), None)
    weak = [r for r in results if r[1]]
    if weak:
        tier = max(r[0].strength for r in weak)
        candidates: dict[int, ClientRecord] = {}
        for r in weak:
            if r[0].strength == tier:
                for client in r[1]:
                    candidates.setdefault(client.id, client)
        return Resolution("ambiguous", None, tuple(candidates.values()), new_name=new_name, mention=weak[0][0].name)
    if new_name:
        return Resolution("new", None, (), new_name=_title(new_name), mention=new_name)
    return Resolution("none")


def _clear_new_name(mention: Mention) -> bool:
    """A name clear enough to create a client from: a naming phrase before it ("session with Priya"),
    or a full name in a naming phrase or in the memo's first sentence ("Priya Shah today")."""
    if any(len(t) < 2 for t in mention.tokens[1:]) and len(mention.tokens) > 1:
        return mention.strength == 3 and mention.before_cue
    if mention.before_cue:
        return True
    return len(mention.tokens) >= 2 and not mention.lower and mention.strength >= 2
