"""Understanding a therapist's question: which client, which sessions, what kind of answer, what topic.

Pure and deterministic. The client is found only among the clients the caller passes (one therapist's),
by the same fuzzy and phonetic matching as memos (core.language.client_match.match_name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from core.language.client_match import STRONG, ClientRecord, close_matches, match_name, norm_token
from core.memory.categories import FEEDBACK, alliance_kinds, direction, risk_kinds
from core.memory.intent import asks_across, caseload_kind, day_ahead, forward, unseen_days
from core.memory.question_time import parse_time, yearless
from core.memory.topics import QUERY_ONLY, query_key, stem, word_keys
from core.language.words import COMMON, MONTH_ABBR, MONTHS, TITLES, WEEKDAYS

__all__ = ["Query", "parse_question", "parse_time", "stem", "word_keys", "query_key", "KINDS", "TIMES"]

KINDS = ("general", "homework", "risk", "measures", "follow_ups", "alliance", "prep")
TIMES = ("all", "last", "last_n", "nth", "date", "range", "first")


@dataclass(frozen=True)
class Query:
    question: str
    status: str  # "match" | "ambiguous" | "unknown" (a name, or a near miss) | "none" (no name) | "caseload"
    client: ClientRecord | None = None
    candidates: tuple[ClientRecord, ...] = ()  # the clients to ask about, or near names to suggest
    unknown_name: str | None = None  # a capitalised name that matched none of the clients
    kind: str = "general"
    time: str = "all"
    count: int | None = None  # for "last_n" (that many latest) and "nth" (1 = the latest session)
    start: date | None = None  # for "date" (start == end) and "range"
    end: date | None = None
    terms: tuple[str, ...] = ()  # topic keys: stems or synonym groups ("father" for "dad")
    words: tuple[str, ...] = ()  # the topic words as asked, for fuzzy matching
    measure: str | None = None  # "PHQ-9" when the question names one measure
    any_year: bool = False  # a date said without its year ("on November 3"): an earlier year may be meant
    scope: str = "client"  # "client" | "caseload" (the question spans the therapist's clients)
    risk_kinds: tuple[str, ...] = ()  # the risk categories asked about ("access_to_means"); () = any
    alliance_kinds: tuple[str, ...] = ()
    ahead: tuple[date, date, str] | None = None  # days ahead a forward-looking question names: [start, end), as said
    direction: str | None = None  # for score changes: "worse", "better", "up", "down"
    unseen_days: int = 28  # for "which clients haven't I seen in 3 weeks?"


# ---- what kind of answer --------------------------------------------------------------------------
_KIND_PATTERNS = (
    ("risk", r"\b(safety|safe|unsafe|risks?|risky|red flags?|flags?|warning signs?|suicid\w*|self[- ]?harm\w*|harm\w*|kill\w*|danger\w*|crisis|si|"
     r"overdos\w*|cutting|hopeless\w*|end (?:his|her|their) life)\b"),
    ("measures", r"\b(phq[- ]?\d*|gad[- ]?\d*|pcl[- ]?\d*|bdi|bai|ors|srs|suds|dass\w*|audit(?:-c)?|epds|k[- ]?10|core[- ]?10|"
     r"scores?|measures?|measurements?|"
     r"questionnaires?|trend|outcomes?|ratings?)\b"),
    ("homework", r"\b(homework|assign\w*|tasks?|worksheets?|exercises?|practi[cs]e|between sessions)\b"),
    ("follow_ups", r"\b(follow(?:[- ]?ups?| up)?|pick up|check (?:in|on)|next (?:time|session)|to do next|open items|"
     r"remember to|plan|plans|next steps?|agreed?(?: on| to)?)\b"),
    ("alliance", r"\b(alliance|ruptures?|repairs?|ambivalen\w*|resistan\w*|therapeutic relationship|engagement)\b"),
)
_MEASURES = (
    (r"phq[- ]?9|phq\b", "PHQ-9"), (r"gad[- ]?7|gad\b", "GAD-7"), (r"pcl[- ]?5|pcl\b", "PCL-5"),
    (r"\bbdi\b", "BDI"), (r"\bbai\b", "BAI"), (r"\bors\b", "ORS"), (r"\bsrs\b", "SRS"), (r"\bsuds\b", "SUDS"),
    (r"\bdass\w*", "DASS"), (r"\baudit", "AUDIT"), (r"\bepds\b", "EPDS"), (r"\bk[- ]?10\b", "K10"), (r"\bcore[- ]?10\b", "CORE-10"),
)


# The client's feedback on the therapy as scores, with no scale named: "whose session feedback dropped?",
# "which clients rated the session lower?", "any dip in session ratings?".
_FEEDBACK = re.compile(
    r"\bfeedback (?:scores?|ratings?|measures?|forms?)\b|\bsession (?:feedback|ratings?)\b|\balliance (?:scores?|ratings?)\b"
    r"|\brat(?:ed|es|ing|e) (?:the |their |his |her |our |my |a |each |last |this )?(?:sessions?|therapy|me)\b"
    r"|\bfeedback (?:\w+ )?(?:dropp?\w*|dipp?\w*|fell|fall\w*|went (?:up|down)|got (?:worse|better)|worse\w*|declin\w*|improv\w*"
    r"|chang\w*|low\w*|high\w*|ros\w*|increas\w*|decreas\w*)"
    r"|\b(?:drop|dip|fall|decline|change|rise|increase|decrease)s? in (?:\w+ )?feedback\b"
)


def _kind(q: str) -> tuple[str, str | None]:
    kind = next((kind for kind, pattern in _KIND_PATTERNS if re.search(pattern, q)), "general")
    named = next((name for pat, name in _MEASURES if re.search(pat, q)), None)
    if kind in ("general", "measures") and not named and _FEEDBACK.search(q):
        return "measures", FEEDBACK
    return kind, named if kind == "measures" else None


# ---- the client and the topic ---------------------------------------------------------------------
_QSTOP = frozenset("""
what whats which who whom whose when where why how did does do done doing is are was were be been has have had
i me my we us our you your he him his she her hers they them their it its the a an and or of to in on at by for
with about from into since during any anything something some all every each there here this that these those
than then as if tell told say said says saying mention mentioned mentions mentioning talk talked talking talks
discuss discussed discussing bring brought bringing up raise raised come came comes report reported share
shared describe described note notes noted session sessions time times last latest recent recently previous
first earliest initially originally ever again anymore lately most recent today yesterday week month year
tomorrow tonight morning afternoon evening prep me try tried trying tries
ago day days client clients patient patients therapist therapists give gave given assign assigned homework
remind reminder know knew think can could would should will shall may might please show list
ask asked see saw seen agree agreed prep prepare brief catch overview recap before start started starting
summarize summarise summary recap happen happened happening going go went get got been feel felt feeling
feelings concerns concern anything else everything much many more less new current still ok okay
thing things stuff also just really very please need want like on bring raise brings
cover covered covering over happened discussed content contents couple few several none
zero one two three four five six seven eight nine ten
""".split()) | frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(MONTH_ABBR)
STOP_WORDS = _QSTOP  # question words that are never a topic (also used to compare homework with later notes)
_KIND_WORDS = frozenset("""
homework assignment assignments task tasks worksheet worksheets practice safety safe risk risks
concerns measure measures score scores trend questionnaire outcome outcomes follow followup followups pick check
plan plans next steps step alliance rupture ruptures engagement phq gad pcl bdi bai ors srs suds
""".split())


_WHAT_NEXT = re.compile(r"\bwhat (?:should|do|shall|can) i (?:need to |want to )?(?:bring up|raise|cover|ask|do|focus on|work on|"
                        r"address|remember|talk about|discuss|prepare)\b|\bwhat to (?:bring up|raise|cover|ask|focus on)\b")
# "Anything I should know before seeing Daniel?", "get me ready for Maya's session": what to prepare, from
# the latest notes. The words of the ask itself are not a topic; any other word is ("... about her drinking").
_PREP_ASK = re.compile(
    r"\b(?:know|remember|keep in mind|be aware of|watch (?:out )?for|look out for)\b.*\b(?:before|ahead of|for (?:the |my |our |"
    r"(?:his|her|their) )?(?:session|appointment|meeting))\b|\bbefore (?:i see|seeing|meeting|i meet|my session|our session|"
    r"the session|(?:his|her|their) session)\b|\b(?:prep|prepare|brief)(?: me)?\b|\bget (?:me )?ready\b|\bcatch me up\b"
    r"|\brefresh my memory\b|\bkeep in mind\b|\bimportant (?:for|about|with|before|to know)\b|\bheads[- ]up\b"
    r"|\bwhat should i know\b|\bwhat do i need to know\b|\bbe aware of\b"
)
_PREP_WORDS = frozenset(query_key(w) for w in """anything something everything know knowing keep mind aware ready get prep prepare
preparing brief briefing important remember remind seeing see meet meeting session sessions appointment before ahead heads need
should tomorrow today tonight next upcoming look watch catch refresh memory""".split())
# A question about clients in general with a topic ("who mentioned drinking?") or a stretch of days ("who did I
# see last week?"): the words that only ask it are not the topic.
_SAW = re.compile(r"\b(?:see|saw|seen|met|meet|had (?:a )?sessions?|sessions?|appointments?|in)\b")
_ACROSS_WORDS = frozenset(query_key(w) for w in "anyone anybody someone somebody everyone everybody client clients patient "
                                                   "patients people caseload mention mentioned mentions talked spoke said".split())
_SAW_WORDS = frozenset(query_key(w) for w in "see saw seen seeing met meet meeting had session sessions appointment "
                                                "appointments visit visits come came in".split())
# Capitalised first words of caseload questions ("Overdue homework?"); any other unknown first word may be a name.
_OPENERS = frozenset("overdue outstanding open new upcoming recent pending incomplete unfinished late current active "
                     "worsening rising falling worse better improving".split())
_QSTOP_STEMS = frozenset(stem(w) for w in _QSTOP | _KIND_WORDS if w not in {"thought"})


def _find_client(question: str, clients: Sequence[ClientRecord]):
    tokens = []  # (shown, norm, capitalised, sentence-initial)
    for i, m in enumerate(re.finditer(r"[^\W\d_][\w'’-]*\.?", question)):
        shown = re.sub(r"['’]s?\.?$|\.$", "", m.group(0))
        tokens.append((shown, norm_token(shown), shown[:1].isupper(), i == 0))
    names = {p for c in clients for p in _name_parts(c)}

    def candidate(k: int) -> bool:
        shown, norm, cap, first = tokens[k]
        if len(norm) == 1:
            return k > 0 and candidate(k - 1)  # "Daniel O."
        if norm in names:
            return norm not in COMMON or (cap and not first)
        if any(re.fullmatch(p, norm) for p, _ in _MEASURES):
            return False  # "EPDS", "AUDIT": a measure, not a name
        return len(norm) >= 2 and norm not in COMMON and norm not in _QSTOP and norm not in _KIND_WORDS

    best = None  # (score, length, start, near, clear)
    for start in range(len(tokens)):
        for length in (3, 2, 1):
            span = tokens[start : start + length]
            if len(span) < length or not all(candidate(start + k) for k in range(length)):
                continue
            if len(span[0][1]) == 1:
                continue
            nxt = tokens[start + length] if start + length < len(tokens) else None
            if nxt and len(nxt[1]) == 1 and nxt[2] and candidate(start + length):
                continue  # "Maya R.": the initial must agree, so "Maya" alone does not answer for Maya Thompson
            scored = match_name(" ".join(t[0] for t in span), clients)
            if not scored:
                continue
            score = scored[0][1]
            if length == 1 and not span[0][2] and score < 95:
                score = min(score, STRONG - 1)  # a lowercase word: only a near-exact name counts
            near, clear = close_matches(scored)
            key = (score >= STRONG, length, score)  # a longer clear name ("Maya R.") beats "Maya"
            if best is None or key > best[0]:
                best = (key, start, length, near, clear)
    unknown = next(
        (t[0] for k, t in enumerate(tokens) if t[2] and not t[3] and candidate(k) and len(t[1]) > 1 and t[1] not in names),
        None,
    )
    if best is not None and best[0][0] and best[2] == 1 and best[1] + 1 < len(tokens):
        shown, norm, cap, _ = tokens[best[1] + 1]
        if cap and shown[1:2].islower() and len(norm) >= 3 and norm not in names and norm not in COMMON and norm not in _QSTOP:
            # "Daniel Brooks" when the only Daniel is Daniel Okafor: someone else, not a first name alone
            scored = match_name(tokens[best[1]][0], clients)
            best = ((False, 2, 0.0), best[1], 2, tuple(c for c, _ in scored[:3]), False)
            unknown = f"{tokens[best[1]][0]} {shown}"
    if best is None or best[0][0] is False:  # a known first name with an initial no client has: "Maya R."
        for k in range(len(tokens) - 1):
            (shown, norm, _, _), (initial, inorm, icap, _) = tokens[k], tokens[k + 1]
            if norm in names and len(inorm) == 1 and icap and candidate(k + 1):
                scored = match_name(shown, clients)
                near = tuple(c for c, _ in scored[:3])
                best = ((False, 2, 0.0), k, 2, near, False)
                unknown = f"{shown} {initial.upper()}."
                break
    lead = None
    if tokens and tokens[0][2] and candidate(0) and tokens[0][1] not in _OPENERS | names:
        shown = tokens[0][0]
        acronym = shown.isupper() and len(shown) <= 6 or any(re.match(p, shown.lower()) for p, _ in _MEASURES)
        lead = None if acronym else shown  # "EPDS changes?" asks about scores; "Maya's homework" names someone
    return best, unknown or None, tokens, lead


def _name_parts(client: ClientRecord) -> set[str]:
    return {norm_token(p) for n in (client.name, *(client.aliases or ())) for p in n.split() if norm_token(p)}


def parse_question(question: str, clients: Sequence[ClientRecord], today: date) -> Query:
    """Which client (only among `clients`), which sessions, which kind of answer, which topic."""
    if isinstance(today, datetime):
        today = today.date()
    clients = list(clients)
    q = " ".join((question or "").split())
    lower = q.lower()
    kind, measure = _kind(lower)
    time, count, start, end = parse_time(lower, today)
    any_year = time == "date" and yearless(lower)
    best, unknown, tokens, lead = _find_client(q, clients)
    used: set[int] = set()
    status, client, candidates = "none", None, ()
    if best is not None:
        (_, _, score), first, length, near, clear = best
        if score >= STRONG:
            used = set(range(first, first + length))
            status = "match" if clear else "ambiguous"
            client = near[0] if clear else None
            candidates = near
            unknown = None
        else:
            status, candidates = "unknown", near
    elif unknown:
        status = "unknown"
    risks, bond = risk_kinds(lower), alliance_kinds(lower)
    if risks and kind in ("general", "follow_ups", "homework"):
        kind = "risk"  # "does Daniel have access to means?"
    elif bond and kind == "general":
        kind = "alliance"  # "who is pushing back in therapy?"
    scope, ahead = "client", None
    if (status == "none" or (status == "unknown" and unknown is None)) and lead is None:  # no name, or a lowercase near-miss
        across = caseload_kind(lower, kind)
        if across:
            scope, kind, status, unknown = "caseload", across, "caseload", None
    looking_ahead = forward(lower)
    if scope == "caseload" or looking_ahead:
        ahead = day_ahead(lower, today)
    if scope == "client" and looking_ahead and (ahead or time == "date" and start == today):
        time, start, end = "all", None, None  # "what should I pick up with Daniel on Thursday?" -> the latest notes
    elif kind in ("follow_ups", "homework") and time == "date" and start == today:
        time, start, end = "all", None, None  # "what should I pick up with Maya today?" -> the latest note
    if scope == "client" and looking_ahead and kind == "general" and _WHAT_NEXT.search(lower):
        kind = "follow_ups"  # "what should I bring up with Maya tomorrow?"
    terms, words = _topic(tokens, used)
    if status == "none" and lead is None and kind == "general" and asks_across(lower):
        seen = time in ("date", "range") and _SAW.search(lower)
        terms, words = _without(terms, words, _ACROSS_WORDS | (_SAW_WORDS if seen else frozenset()))
        if terms or time in ("date", "range"):
            scope, kind, status = "caseload", "topic" if terms else "seen", "caseload"
    if scope == "client" and kind in ("general", "follow_ups") and _PREP_ASK.search(lower):
        terms, words = _without(terms, words, _PREP_WORDS)
        if not terms:
            kind, time, start, end = "prep", "all", None, None
    return Query(q, status, client, tuple(candidates), unknown, kind, time, count, start, end, terms, words, measure,
                 any_year, scope, risks, bond, ahead, direction(lower), unseen_days(lower))


def _without(terms, words, asking: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The topic without the words that only ask the question."""
    kept = [(t, w) for t, w in zip(terms, words) if t not in asking]
    return tuple(t for t, _ in kept), tuple(w for _, w in kept)


def _topic(tokens, used: set[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms: list[str] = []
    words: list[str] = []
    for k, (shown, norm, _, _) in enumerate(tokens):
        low = shown.lower()
        if k in used or len(norm) < 2 or norm in _QSTOP or norm in _KIND_WORDS or stem(norm) in _QSTOP_STEMS:
            continue
        if norm in TITLES or norm in ("dr", "prof"):
            continue  # "Ms. Thompson": a title, not a topic
        if re.fullmatch(r"(st|nd|rd|th|of)", norm):
            continue
        if shown[:1].isupper() and any(
            0 <= k + 2 * d < len(tokens) and k + 2 * d in used and tokens[k + d][1] in ("and", "with") for d in (-1, 1)
        ):
            continue  # "did Rachel and Tom ...": the client's partner in the session, not a topic
        if norm in ("work", "worked", "working") and k + 1 < len(tokens) and tokens[k + 1][1] in ("on", "through"):
            continue  # "what did we work on?" asks what was done, not about their job
        key = query_key(low)
        if key not in terms:
            terms.append(key)
            words.append(low)
    if len(terms) > 1:  # "what coping skills has Maya been using?": "using" only means substances on its own
        kept = [(t, w) for t, w in zip(terms, words) if w not in QUERY_ONLY]
        terms, words = [t for t, _ in kept], [w for _, w in kept]
    return tuple(terms), tuple(words)
