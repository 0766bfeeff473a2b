"""Note formats and the cue words that place a transcript sentence in a format's section.

Sentences are classified by cue families (what the client said, what was observed, the therapist's
assessment, interventions, the client's response, goals, plans); each format maps the families onto its
own sections. Nothing here writes text: it only chooses which transcript sentences go where.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from core.language.text import words
from core.notes.scales import PATTERNS as SCALE_PATTERNS

FORMAT_SECTIONS: dict[str, tuple[str, ...]] = {
    "SOAP": ("Subjective", "Objective", "Assessment", "Plan"),
    "DAP": ("Data", "Assessment", "Plan"),
    "BIRP": ("Behavior", "Intervention", "Response", "Plan"),
    "GIRP": ("Goals", "Intervention", "Response", "Plan"),
}
NOT_DISCUSSED = "Not discussed"

_FAMILIES: dict[str, str] = {
    "subjective": (
        r"\b(?:report(?:s|ed|ing)?|says?|said|states?|stated|feels?|felt|feeling|complain\w*|describ(?:es|ed)|"
        r"mention(?:s|ed)|shared|talked\s+about|told\s+me|express(?:es|ed)|endors(?:es|ed)|admit(?:s|ted)|disclosed|"
        r"(?:she|he|they)(?:'s|\s+has|\s+have|'ve)\s+been|struggl\w+|worr(?:y|ied|ies)|anxious|anxiety|stress(?:ed|ful)?|"
        r"sad|depress\w*|lonely|overwhelmed|upset|angry|guilt\w*|ashamed|hopeless|exhausted|sleep\w*|insomnia|"
        r"appetite|nightmares?|panic\w*|grie(?:f|v\w+)|irritab\w+|conflict|argument|fight|breakup|divorce)\b|\""
    ),
    "objective": (
        r"\b(?:appear(?:s|ed)(?!\s+to\s+be)|affect|presented|presentation|observed|eye\s+contact|tearful|teared\s+up|"
        r"cried|crying|speech|groomed|dressed|hygiene|oriented|alert|fidget\w*|restless|psychomotor|agitated|guarded|"
        r"flat|blunted|constricted|congruent|euthymic|dysphoric|arrived|on\s+time|minutes\s+late|scored|thought\s+process|"
        r"linear|coherent|mental\s+status|vitals?|exam|(?-i:PHQ|GAD|PCL|BDI|BAI|ORS|SRS|AUDIT|EPDS)(?:[\s-]?\d+)?)\b"
    ),
    "assessment": (
        r"\b(?:seems?|seemed|consistent\s+with|progress\w*|improv\w+|worse|worsen\w*|I\s+think|I\s+believe|I\s+wonder|"
        r"my\s+(?:impression|sense|concern)|impression|likely|suggest(?:s|ing)|indicat\w+|meets\s+criteria|diagnos\w+|"
        r"symptoms\s+(?:are|have|remain)|insight|motivat\w+|ready\s+to|readiness|stable|stabili[sz]\w+|risk\s+(?:is|appears|remains|level)|"
        r"overall|clinically|formulation|pattern|regress\w*|setback|prognosis|responding\s+well|"
        r"(?:contemplation|preparation|precontemplation)\s+stage|ambivalen\w+|appears\s+to\s+be|benefit\w*)\b"
    ),
    "plan": (
        r"\b(?:next\s+(?:session|week|time|appointment|visit)|will|we'll|I'll|(?:she|he|they)'ll|(?<!no\s)(?<!safety\s)plan(?:s|ned|ning)?|"
        r"homework|(?-i:HW)|we\s+agreed|agreed\s+to|going\s+to|continue|follow(?:[\s-]up)|refer\w*|schedul\w+|between\s+sessions|"
        r"assign\w*|by\s+next|check\s+in|revisit|in\s+(?:a|one|two|three|four|\d+)\s+weeks?|recommend\w*|titrat\w+)\b"
    ),
    "intervention": (
        r"\b(?:practi[cs]ed|I\s+used|explor(?:ed|ing)|(?-i:CBT|DBT|MI|ACT|EMDR|EFT|IFS)|motivational\s+interviewing|"
        r"reflect(?:ed|ing|ions?)|validat\w+|psycho-?educat\w+|taught|introduc(?:ed|ing)|role[\s-]?pla\w+|refram\w+|"
        r"cognitive\s+restructuring|challeng(?:ed|ing)\s+(?:the|her|his|their|that)|processed|grounding|breathing|"
        r"relaxation|mindfulness|exposure|worked\s+on|we\s+did|discussed|guided|modell?ed|normali[sz]ed|summari[sz]ed|"
        r"socratic|behaviou?ral\s+activation|chain\s+analysis|I\s+suggested|I\s+encouraged|encouraged|coached|reviewed|"
        r"I\s+gave|provided|safety\s+planning|went\s+over|we\s+looked\s+at|we\s+talked\s+about|empty\s+chair|genogram|"
        r"decisional\s+balance|thought\s+record|in\s+session|(?-i:ERP)|hierarchy|exposure\s+and\s+response)\b"
    ),
    "response": (
        r"\b(?:respond(?:ed|s|ing)|receptive|engag(?:ed|ing|ement)|open\s+to|was\s+able\s+to|participat\w+|tolerated|"
        r"found\s+(?:it|this|that|the\s+\w+)\s+(?:helpful|useful|hard|difficult)|appreciat\w+|resonated|willing|"
        r"reluctant|understood|demonstrated|in\s+response|relieved|calmer|hopeful|nodded|laughed|accepted|skeptical|"
        r"sceptical|embraced|took\s+to|identified|could\s+(?:name|identify|see))\b"
    ),
    "goals": (
        r"\b(?:goals?|wants?\s+to|would\s+like\s+to|working\s+(?:on|toward|towards)|work\s+(?:on|toward|towards)|"
        r"aim(?:s|ing)?\s+to|objective|hopes?\s+to|hoping\s+to|to\s+be\s+able\s+to|target|treatment\s+plan)\b"
    ),
}
FAMILY_RX = {name: re.compile(pattern, re.I) for name, pattern in _FAMILIES.items()}
# Where each family goes in each format, and the section for sentences with no cue.
_MAPPING: dict[str, dict[str, str]] = {
    "SOAP": {"subjective": "Subjective", "objective": "Objective", "intervention": "Objective",
             "response": "Objective", "assessment": "Assessment", "plan": "Plan", "goals": "Subjective"},
    "DAP": {"subjective": "Data", "objective": "Data", "intervention": "Data", "response": "Data",
            "goals": "Data", "assessment": "Assessment", "plan": "Plan"},
    "BIRP": {"subjective": "Behavior", "objective": "Behavior", "goals": "Behavior", "intervention": "Intervention",
             "response": "Response", "assessment": "Response", "plan": "Plan"},
    "GIRP": {"goals": "Goals", "intervention": "Intervention", "response": "Response", "assessment": "Response",
             "subjective": "Response", "objective": "Response", "plan": "Plan"},
}
_DEFAULT = {"SOAP": "Subjective", "DAP": "Data", "BIRP": "Behavior", "GIRP": "Response"}
_PRIORITY = ("plan", "response", "intervention", "assessment", "goals", "objective", "subjective")

_STOP = set(
    "a an the and or but so to of in on at for with from by as is are was were be been being it its this that these "
    "those i you he she they we me him her them us my your his their our im ive id its it's i'm okay ok yeah yes no "
    "not just really very like um uh well oh right alright also then there here what which who how when where why "
    "do does did done have has had can could would should will shall may might must about into over again more much "
    "some any all one two get got go going know think thing things kind sort lot bit little mean say said".split()
)
CLINICAL = re.compile(
    r"\b(?:anxi\w+|depress\w+|panic\w*|sleep\w*|insomnia|grie(?:f|v\w+)|trauma\w*|ptsd|mood|suicid\w+|self-harm|"
    r"drink\w*|alcohol|relaps\w+|craving\w*|avoid\w*|rumina\w+|worr\w+|stress\w*|conflict|marriage|partner|"
    r"father|mother|dad|mom|work|job|school|boss|family|homework|exposure|medication|meds|therap\w+|symptom\w*|"
    r"progress|goal\w*|cop(?:e|ing)|anger|shame|guilt|lonel\w+|isolat\w+|hopeless\w*|motivat\w+|appetite|nightmares?)\b",
    re.I,
)
_HEADER_CUE = re.compile(
    r"\b(?:session|note|notes|memo|saw|seen|seeing|met|meeting|visit|appointment|dictat\w+|recording|progress|"
    r"intake|follow[\s-]?up|individual|couples?|family|therapy|today|yesterday|this|is|for|with|client|patient)\b",
    re.I,
)
_DATE_WORDS = re.compile(
    r"\b(?:today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|last|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|\d+(?:st|nd|rd|th)?|"
    r"minutes?|hour|number|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|dr|mr|mrs|ms)\b",
    re.I,
)


# A typed or dictated note's own labels decide the family outright: "Assessment: ...", "Subjective - ...",
# "S: ...", and spoken "assessment is ...", "for the plan, ...", "plan is to ...".
SECTION_LABEL = re.compile(
    r"^(?:(?P<label>subjective|objective|assessment|plan|data|behaviou?r|interventions?|response|goals?|hw|homework)"
    r"\s*[:\-–—]|(?-i:(?P<letter>[SOAPDBG]))\s*:|(?:(?:for|in\s+terms\s+of)\s+(?:the\s+)?|(?:my|the|our)\s+)?"
    r"(?P<spoken>assessment|plan)(?:\s+is\b|\s*,)(?!\s+(?:to\s+)?(?:that|which|what)\b))\s*",
    re.I,
)
# Obvious chit-chat and voice commands to a dictation system: no content, never in a note.
_CHIT_CHAT = re.compile(
    r"^(?:(?:okay|ok|alright|all\s+right|right|so|yes|yeah|yep|nope|thanks|thank\s+you(?:\s+so\s+much)?|bye|goodbye|hello|"
    r"hi|hey|great|good|cool|sure|perfect|wonderful|awesome|anyway|oh|well|see\s+you(?:\s+next\s+(?:week|time))?|"
    r"take\s+care|nice\s+to\s+(?:see|meet)\s+you)\W*)+$"
    r"|^(?:hey|ok(?:ay)?)\W+dragon\b|^(?:end|stop)\s+(?:of\s+)?(?:dictation|recording)\b",
    re.I,
)
_LETTER_FAMILY = {"S": "subjective", "O": "objective", "A": "assessment", "P": "plan", "D": "subjective",
                  "B": "subjective", "G": "goals"}
_LABEL_FAMILY = {
    "subjective": "subjective", "objective": "objective", "assessment": "assessment", "plan": "plan", "data": "subjective",
    "behavior": "subjective", "behaviour": "subjective", "intervention": "intervention", "interventions": "intervention",
    "response": "response", "goal": "goals", "goals": "goals", "hw": "plan", "homework": "plan",
}


def label_family(label: re.Match[str]) -> str:
    if label.group("letter"):
        return _LETTER_FAMILY[label.group("letter")]
    return _LABEL_FAMILY[(label.group("label") or label.group("spoken")).lower()]


def content_words(sentence: str) -> list[str]:
    return [w for w in words(sentence.lower()) if len(w) > 2 and w not in _STOP]


def families(sentence: str) -> dict[str, int]:
    label = SECTION_LABEL.match(sentence)
    if label:
        return {label_family(label): 3}
    found = dict(_families(sentence))
    if any(rx.search(sentence) for _, rx in SCALE_PATTERNS) and re.search(r"\d|\b(?:ten|twenty|thirty)\b", sentence, re.I):
        found["objective"] = found.get("objective", 0) + 1  # a score ("Y-BOCS 24.") is an observation
    if found.get("plan") == 1 and _HOMEWORK_REPORT.search(sentence):
        del found["plan"]  # "He missed last week's homework": what happened, not what comes next
        found["subjective"] = found.get("subjective", 0) + 1
    return found


# Last assignment reported on: the client did (or didn't do) it. Its only plan cue is the word "homework".
_HOMEWORK_REPORT = re.compile(
    r"\b(?:missed|skipped|forgot|avoided|completed|finished|did(?:n't| not)?(?: do| complete| finish)?|has(?:n't| not)? done"
    r"|tried|brought|kept up with|struggled with|reported on)\b[^.;]{0,30}\b(?:homework|hw)\b", re.I)


@lru_cache(maxsize=4096)
def _families(sentence: str) -> tuple[tuple[str, int], ...]:
    counts = ((name, len(rx.findall(sentence))) for name, rx in FAMILY_RX.items())
    return tuple((name, n) for name, n in counts if n)


def is_header(sentence: str, client_name: str | None = None) -> bool:
    """ "Session with Maya Thompson today." — names the client/date, says nothing clinical."""
    if len(words(sentence)) > 14 or sentence.rstrip().endswith("?"):
        return False
    if not _HEADER_CUE.search(sentence) and not (client_name and _names_client(sentence, client_name)):
        return False
    name_parts = {p.lower() for p in words(client_name or "")}
    left = [
        w for w in content_words(sentence)
        if w not in name_parts and not _HEADER_CUE.fullmatch(w) and not _DATE_WORDS.fullmatch(w)
    ]
    capitalised = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", sentence)}
    left = [w for w in left if w not in capitalised]  # other names ("Session with Maya")
    return len(left) <= 1 and not CLINICAL.search(sentence)


def _names_client(sentence: str, client_name: str) -> bool:
    lowered = {w.lower() for w in words(sentence)}
    return any(part.lower() in lowered for part in words(client_name))


@lru_cache(maxsize=4096)
def informativeness(sentence: str) -> float:
    fams = _families(sentence)
    n_words = len(words(sentence))
    score = 0.2 * min(len(content_words(sentence)), 20)
    score += 1.2 * len(fams) + 0.8 * min(len(CLINICAL.findall(sentence)), 3)
    if sentence.rstrip().endswith("?"):
        score -= 3
    if n_words < 5:
        score -= 2
    if n_words > 45:
        score -= 1
    return score


def section_for(note_format: str, fams: dict[str, int]) -> str:
    """The section of the sentence's strongest cue family; the more specific family wins a tie."""
    if not fams:
        return _DEFAULT[note_format]
    best = max(fams, key=lambda name: (min(fams[name], 3), -_PRIORITY.index(name)))
    return _MAPPING[note_format][best]


def classify(
    sentences: Sequence[str], note_format: str, *, skip: set[int] = frozenset(), boost: dict[int, float] | None = None,
    per_section: int = 6, screening: set[int] = frozenset(), keep_uncued: bool = False,
    labelled: dict[int, str] | None = None,
) -> dict[str, list[int]]:
    """Indices of the sentences placed in each section of the format, in transcript order. `boost` marks
    sentences that must not be lost (risk, measures); `screening` ones with no other cue are assessment.
    `labelled`: the family of sentences that follow a heading on the same typed line.
    `keep_uncued`: a dictated memo is all content, so a sentence with no cue goes to the default section
    instead of being dropped as small talk."""
    boost = boost or {}
    candidates: dict[str, list[tuple[float, int]]] = {name: [] for name in FORMAT_SECTIONS[note_format]}
    for index, sentence in enumerate(sentences):
        if index in skip or sentence.rstrip().endswith("?"):
            continue
        fams = families(sentence) or ({"assessment": 1} if index in screening else {})
        if labelled and index in labelled:  # a later sentence on a line the therapist labelled "A:"
            fams = {labelled[index]: 3}
        if len(words(SECTION_LABEL.sub("", sentence))) < 1:
            continue
        if _CHIT_CHAT.match(sentence):
            continue
        # a dictated memo is all content ("Slept ok.", "Appetite poor."); a recording's fragments are not
        if len(words(sentence)) < (1 if keep_uncued else 2 if index in boost else 3 if fams else 4):
            continue
        score = informativeness(sentence) + boost.get(index, 0.0)
        if not fams and score < 2.0 and index not in boost and not keep_uncued:
            continue  # small talk with no cue ("Thanks for coming in.")
        candidates[section_for(note_format, fams)].append((score, index))
    placed: dict[str, list[int]] = {}
    for name, scored in candidates.items():
        best = sorted(scored, key=lambda item: (-item[0], item[1]))[:per_section]
        placed[name] = sorted(index for _, index in best)
    return placed
