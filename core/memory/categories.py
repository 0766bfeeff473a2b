"""What a question's words say about risk, alliance and measures: which flag kinds it asks about, and which
way a score moving is worse. Pure tables and small functions; no note text is kept."""
from __future__ import annotations

import re
from typing import Callable

from core.notes.scales import is_alliance_measure
from core.types import Flag

# Risk kinds as the note writer records them (and the older kinds still in stored notes).
IDEATION = ("passive_ideation", "active_ideation", "suicidal_ideation", "passive_suicidal_ideation")
SUICIDE = IDEATION + ("preparatory_behaviour", "suicide_attempt")

# (flag kinds, question pattern); suicide exposure is looked for first and its words removed, so that
# "exposure to suicide" does not also ask about the client's own suicidality.
_EXPOSURE = re.compile(
    r"\bexpos\w* to (?:a )?suicide|\bsuicide (?:loss|exposure|bereave\w*)|\bbereaved by suicide|\blost \w+ to suicide"
    r"|\bsomeone (?:who )?(?:died by|completed) suicide"
)
_RISK_CATEGORIES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (kinds, re.compile(pattern))
    for kinds, pattern in (
        (("passive_ideation", "passive_suicidal_ideation"), r"\bpassive (?:suicidal )?(?:ideation|si|thoughts?|death wish)"
                                                            r"|\bpassive\b.*\bsuicid|\bpassively suicidal"),
        (("active_ideation",), r"\bactive (?:suicidal )?(?:ideation|si)\b|\bactively suicidal"),
        (SUICIDE, r"\bsuicid\w*|\bs\.?i\b|\bideation\b|\bwants? to die\b|\bkill(?:ing)? (?:him|her|them|my)sel\w*"
                  r"|\bend(?:ing)? (?:his|her|their) (?:own )?life\b|\bbetter off dead\b|\bdeath wish"),
        (("preparatory_behaviour",), r"\bprepar\w* (?:behaviou?r|acts?|steps?)|\brehears\w*|\bgoodbye (?:notes?|letters?)"
                                     r"|\bsuicide notes?|\bgiving (?:things|belongings|stuff) away"),
        (("suicide_attempt",), r"\battempt\w*|\btried to (?:kill|end)\b"),
        (("self_harm",), r"\bself[- ]?harm\w*|\bself[- ]?injur\w*|\bnssi\b|\bcutting\b|\bcut(?:s|ting)? (?:him|her|them|my)sel\w*"
                         r"|\bburn\w* (?:him|her|them|my)sel\w*|\bhurt(?:ing)? (?:him|her|them|my)sel\w*"),
        (("harm_to_others",), r"\bharm(?:ing)? (?:to )?others\b|\b(?:risk|threat|danger) to others\b|\bhomicid\w*"
                              r"|\bviolen(?:t|ce) (?:toward|to|against)"
                              r"|\bviolent\b|\baggress\w*|\bthreat\w* to (?:hurt|kill|harm)|\bhurt(?:ing)? (?:someone|others|people)"
                              r"|\bdanger(?:ous)? to others"),
        (("abuse",), r"\babus\w*|\bdomestic violence|\bdv\b|\bipv\b|\bneglect\w*|\bsafeguarding|\bassault\w*"
                     r"|\bmandated report\w*|\bchild protect\w*|\bcps\b"),
        (("access_to_means",), r"\b(?:access to|lethal) means\b|\bmeans\b\W*$|\bmeans restriction|\bguns?\b|\bfirearms?\b"
                               r"|\bweapons?\b|\brifles?\b|\bpistols?\b|\bstockpil\w*|\bhoard\w* (?:pills|meds|medication)"
                               r"|\baccess to (?:pills|meds|medications?|medicines?|drugs|tablets|a car|knives|ropes?)"),
        (("substance_risk",), r"\bsubstance (?:use|risk|misuse|abuse)|\bdrinking (?:too much|heavily|a lot|problems?)|\bheavy drinking"
                              r"|\bbinge drinking|\bdrug problems?|\brelaps\w*|\boverdos\w*|\bdrug use\b"
                              r"|\b(?:alcohol|drinking) (?:risk|misuse|abuse)|\bdui\b"
                              r"|^(?!.*\b(?:what|which)\b).*\b(?:is|are|was|been|still|started|back to|who's|whos) using\b"),
        (("psychosis",), r"\bpsychos[ie]s\b|\bpsychotic\b|\bhallucinat\w*|\bhearing voices\b|\bvoices\b|\bparanoi\w*|\bdelusion\w*"),
        (("mania",), r"\bmani(?:a|c)\b|\bhypomani\w*|\bbipolar\b"),
        (("eating_disorder",), r"\beating (?:disorder\w*|problems?|issues?|difficult\w*)|\banorexi\w*|\bbulimi\w*"
                               r"|\bpurg(?:e|es|ed|ing)\b|\brestrict\w* (?:food|eating|intake)"),
        (("medical",), r"\bmedical (?:risk|issue|concern|problem|condition)s?\b|\bmedical\b(?! (?:records?|leave))"),
    )
)

# The topic group (core.memory.topics) whose words a note uses for a risk kind, to quote when nothing was flagged.
CATEGORY_TOPICS = {"access_to_means": "means", "substance_risk": "substance", "eating_disorder": "eating", "abuse": "abuse",
                   "psychosis": "psychosis", "mania": "mania"}

ALLIANCE_KINDS = ("rupture", "repair", "ambivalence", "resistance")
_ALLIANCE_CATEGORIES = (
    ("rupture", re.compile(r"\bruptur\w*|\b(?:annoyed|angry|upset|frustrated) with me\b"
                           r"|\bstrain\w* (?:in|on) (?:the|our) (?:alliance|relationship)")),
    ("repair", re.compile(r"\brepair\w*")),
    ("ambivalence", re.compile(r"\bambivalen\w*|\bon the fence\b|\bmixed feelings about (?:therapy|treatment|change|coming)"
                               r"|\bunsure about (?:therapy|treatment|coming)|\bnot sure (?:therapy|about therapy)")),
    ("resistance", re.compile(r"\bresist\w*|\bpush(?:ing|ed)? ?back\b|\bdefensive\b|\bdisengag\w*|\bnot engag\w*|\bdropping out\b")),
)


_OPEN = re.compile(r"\bopen\b|\bunrepaired\b|\bnot (?:yet )?(?:been )?repaired\b|\bnever (?:been )?repaired\b|\bunresolved\b"
                   r"|\bstill\b|\boutstanding\b|\bunaddressed\b|\bnot (?:yet )?(?:been )?(?:resolved|addressed)\b")


def asks_open(lower: str) -> bool:
    """ "which clients have an open rupture?", "any unrepaired ruptures?": only ruptures not repaired since."""
    return bool(_OPEN.search(lower))


def risk_kinds(lower: str) -> tuple[str, ...]:
    """The risk kinds a lowercased question asks about; () when it names no risk category."""
    kinds: list[str] = []
    if _EXPOSURE.search(lower):
        kinds.append("suicide_exposure")
        lower = _EXPOSURE.sub(" ", lower)
    for group, pattern in _RISK_CATEGORIES:
        if pattern.search(lower):
            kinds += [k for k in group if k not in kinds]
    return tuple(kinds)


def alliance_kinds(lower: str) -> tuple[str, ...]:
    return tuple(kind for kind, pattern in _ALLIANCE_CATEGORIES if pattern.search(lower))


def flag_kinds(flag: Flag) -> frozenset[str]:
    """The kinds a flag answers for: its own, plus the passive/active reading of the older kind."""
    kind = flag.kind.strip().lower().replace(" ", "_").replace("-", "_")
    out = {kind}
    if kind in ("suicidal_ideation", "passive_suicidal_ideation"):
        passive = kind.startswith("passive") or any("passive" in q for q in flag.qualifiers)
        out.add("passive_ideation" if passive else "active_ideation")
    return frozenset(out)


def canonical(flag: Flag) -> str:
    """One name per kind of risk, the older ideation kinds read as passive or active."""
    kinds = flag_kinds(flag)
    return next((k for k in ("passive_ideation", "active_ideation") if k in kinds), flag.kind)


def matches(flag: Flag, kinds: tuple[str, ...]) -> bool:
    return not kinds or bool(flag_kinds(flag) & set(kinds))


def category_label(kinds: tuple[str, ...]) -> str:
    """"access to means", "suicide-related", ... for a header; "risk" when the question named none."""
    if not kinds:
        return "risk"
    if set(kinds) >= set(SUICIDE):
        return "suicide-related risk"
    if set(kinds) <= set(IDEATION):
        return "passive ideation" if "passive_ideation" in kinds else "active ideation" if "active_ideation" in kinds else "ideation"
    return " or ".join(dict.fromkeys(k.replace("_", " ") for k in kinds if "suicidal" not in k))


def flag_label(flag: Flag) -> str:
    return flag.kind.replace("_", " ").replace("-", " ")


# ---- measures -------------------------------------------------------------------------------------
HIGHER_IS_BETTER = frozenset({"ors", "srs", "wemwbs", "swls", "whoqol"})  # outcome/session rating: up is good
FEEDBACK = "session feedback"  # a question about the client's feedback on the therapy, no scale named


def measure_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def worse_when_higher(name: str) -> bool:
    key = measure_key(name)
    return not (any(key.startswith(k) for k in HIGHER_IS_BETTER) or is_alliance_measure(name))


def measure_filter(asked: str | None) -> Callable[[str], bool]:
    """Which stored measure names a question's measure covers: every one, the feedback scales (SRS,
    WAI-SR, a session rating), or one scale however it is spelt ("PHQ9" is "PHQ-9")."""
    if asked is None:
        return lambda name: True
    if asked == FEEDBACK:
        return is_alliance_measure
    wanted = measure_key(asked)
    return lambda name: measure_key(name).startswith(wanted) or wanted.startswith(measure_key(name))


_WORSE = re.compile(r"\bwors\w*|\bdeteriorat\w*|\bdeclin\w*|\bslipp\w*|\bgetting bad|\bbad(?:ly)? direction|\bregress\w*")
_BETTER = re.compile(r"\bimprov\w*|\bbetter\b|\bprogress\w*|\brecover\w*")
_UP = re.compile(r"\bwent up\b|\bgo(?:ne|ing|es)? up\b|\bincreas\w*|\bhigher\b|\brais\w*|\brose\b|\brising\b"
                 r"|\bjump\w*|\bclimb\w*|\bspik\w*")
_DOWN = re.compile(r"\bwent down\b|\bgo(?:ne|ing|es)? down\b|\bdecreas\w*|\blower\b|\bdrop\w*|\bdip(?:s|ped|ping)?\b|\bfell\b|\bfall\w*|\breduc\w*")


def direction(lower: str) -> str | None:
    """"worse", "better", "up", "down" or None (any change) for a question about scores."""
    for name, pattern in (("worse", _WORSE), ("better", _BETTER), ("up", _UP), ("down", _DOWN)):
        if pattern.search(lower):
            return name
    return None
