"""Topic words: a light stemmer and a small synonym table for common therapy topics, so that a question
about "drinking" finds "two beers" and one about "parents" finds "her dad". Pure and cached."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from core.language.words import COMMON

_IRREGULAR = {
    "drank": "drink", "drunk": "drink", "slept": "sleep", "felt": "feel", "fought": "fight", "went": "go",
    "gone": "go", "ate": "eat", "eaten": "eat", "thought": "think", "told": "tell", "said": "say",
    "lost": "lose", "children": "child", "kids": "kid", "wives": "wife", "men": "man", "women": "woman",
    "died": "die", "dying": "die", "dead": "die", "broke": "break", "broken": "break", "left": "leave",
    "quit": "quit", "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be",
    "drove": "drive", "driven": "drive", "spoke": "speak", "spoken": "speak", "rode": "ride", "ridden": "ride",
    "wrote": "write", "written": "write", "sat": "sit", "ran": "run", "met": "meet", "fell": "fall", "fallen": "fall",
    "began": "begin", "begun": "begin", "took": "take", "taken": "take", "gave": "give", "given": "give", "made": "make",
    "bought": "buy", "brought": "bring", "kept": "keep", "slept": "sleep", "woke": "wake", "woken": "wake",
    "hid": "hide", "hidden": "hide", "stole": "steal", "stolen": "steal", "threw": "throw", "thrown": "throw",
    "grew": "grow", "grown": "grow", "knew": "know", "known": "know", "saw": "see", "seen": "see", "wept": "weep",
    "fled": "flee", "hit": "hit", "hurt": "hurt", "cut": "cut", "shot": "shoot", "swam": "swim", "swum": "swim",
}
IRREGULAR_PAST = frozenset(_IRREGULAR) - {"children", "kids", "wives", "men", "women", "is", "are", "am", "dead", "dying"}

# group -> (member words, broader group or "")
_GROUPS: dict[str, tuple[str, str]] = {  # a word belongs to one group; a group may sit inside a broader one
    "father": ("father dad daddy papa stepfather stepdad", "parent"),
    "mother": ("mother mom mum mommy mummy mama stepmother stepmom", "parent"),
    "parent": ("parent parents", "family"),
    "sibling": ("sibling siblings sister brother sis bro", "family"),
    "child": ("child children kid son daughter baby", "family"),
    "grandparent": ("grandparent grandmother grandfather grandma grandpa nana granny", "family"),
    "family": ("family relatives relative aunt uncle cousin niece nephew", ""),
    "partner": ("partner husband wife spouse boyfriend girlfriend fiance fiancee", "relationship"),
    "breakup": ("breakup divorce divorced separation separated split", "relationship"),
    "relationship": ("relationship relationships dating marriage married", ""),
    "alcohol": ("alcohol drink drinking drunk beer beers wine vodka whiskey liquor booze sober sobriety", "substance"),
    "substance": ("substance drug drugs cannabis weed marijuana cocaine opioid", ""),
    "nightmare": ("nightmare nightmares", "sleep"),
    "sleep": ("sleep sleeping insomnia asleep awake bedtime", ""),
    "boss": ("boss manager supervisor", "work"),
    "colleague": ("coworker coworkers colleague colleagues", "work"),
    "work": ("work workplace office job jobs career employment unemployed employer fired promotion interview", ""),
    "school": ("school class teacher exam exams college university grades semester", ""),
    "panic": ("panic", "anxiety"),
    "anxiety": ("anxiety anxious worry worried worries nervous fear scared afraid stress stressed stressful", "mood"),
    "depression": ("depression depressed sad sadness hopeless", "mood"),
    "anger": ("anger angry irritable irritability rage furious", "mood"),
    "mood": ("mood moods affect emotions emotional", ""),
    "grief": ("grief grieving bereavement death funeral mourning", ""),
    "lonely": ("lonely loneliness isolated isolation", "friend"),
    "friend": ("friend friends friendship social", ""),
    "money": ("money finances financial debt rent bills afford", ""),
    "eating": ("eating food appetite binge purging meal meals weight lunch breakfast dinner snack snacks", ""),
    "medication": ("medication medications meds medicine medicines pill pills prescription dose sertraline fluoxetine "
                   "citalopram escitalopram venlafaxine bupropion mirtazapine lithium lamotrigine quetiapine olanzapine "
                   "risperidone aripiprazole antidepressant antidepressants antipsychotic antipsychotics ssri lorazepam "
                   "diazepam clonazepam methylphenidate adderall ritalin", ""),
    "abuse": ("abuse abused assault assaulted", "trauma"),
    "trauma": ("trauma traumatic flashback flashbacks ptsd", ""),
    "risk": ("suicide suicidal suicidality self-harm overdose safety unsafe crisis", ""),
    "means": ("means gun guns firearm firearms weapon weapons rifle rifles pistol pistols ammunition stockpile stockpiled "
              "stockpiling", "risk"),
    "psychosis": ("psychosis psychotic voices hallucination hallucinations hallucinating paranoid paranoia delusion "
                  "delusions delusional", ""),
    "mania": ("mania manic hypomania hypomanic", ""),
    "pregnancy": ("pregnancy pregnant prenatal antenatal postnatal postpartum perinatal miscarriage trimester", ""),
    "coping": ("coping cope copes coped skill skills strategy strategies technique techniques tool tools", ""),
    "breathing": ("breathing breathe breath breaths 4-7-8 diaphragmatic", "coping"),
    "grounding": ("grounding 5-4-3-2-1", "coping"),
    "exposure": ("exposure exposures erp", "coping"),
    "mindfulness": ("mindfulness mindful meditation meditate meditating", "coping"),
    "relaxation": ("relaxation relax relaxing pmr", "coping"),
    "journaling": ("journal journaling journalling", "coping"),
    "exercise": ("exercise exercising workout gym run running walk walking walks yoga swim swimming", "selfcare"),
    "selfcare": ("self-care selfcare", ""),
}
# Question words that ask about a group although in notes they mostly mean other things ("using the app").
QUERY_ONLY = {"using": "substance", "relapse": "substance", "relapsed": "substance", "relapsing": "substance"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: "drinking" -> "drink", "worries"/"worried"/"worry" -> "worri", "dad's" -> "dad"."""
    w = re.sub(r"['’]s?$", "", word.lower())
    if w in _IRREGULAR:
        base = _IRREGULAR[w]
        return base if base == w or base in ("be", "go", "die") else stem(base)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "ls":
            w = w[:-1]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "ls":
            w = w[:-1]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


def _build_groups() -> dict[str, tuple[str, ...]]:
    by_stem: dict[str, list[str]] = {}
    for group, (members, _) in _GROUPS.items():
        for member in members.split() + [group]:
            for piece in {member, member.replace("-", "")}:
                by_stem.setdefault(stem(piece), [])
                if group not in by_stem[stem(piece)]:
                    by_stem[stem(piece)].append(group)
    return {s: tuple(g) for s, g in by_stem.items()}


_GROUP_OF = _build_groups()
_VOCABULARY = sorted({m for members, _ in _GROUPS.values() for m in members.split() if len(m) >= 5})
# A real word is not a misspelling of a topic word: "seeing" is not "sleeping", "waking" not "walking",
# "morning" not "mourning", "other" not "mother".
_REAL_WORD_STEMS = frozenset(stem(w) for w in COMMON)


def _ancestors(group: str) -> list[str]:
    out = []
    while group:
        out.append(group)
        group = _GROUPS[group][1] if group in _GROUPS else ""
    return out


@lru_cache(maxsize=65536)
def word_keys(word: str) -> frozenset[str]:
    """What a word in a note can match: its stem, its synonym groups and their broader groups."""
    s = stem(word)
    keys = {s}
    for group in _GROUP_OF.get(s, ()):
        keys.update(_ancestors(group))
    return frozenset(keys)


@lru_cache(maxsize=65536)
def is_real_word(word: str) -> bool:
    """An everyday or clinical English word (core.language.words.COMMON, any inflection): not a misspelling."""
    s = stem(word)
    return bool({s, stem(s)} & _REAL_WORD_STEMS)


@lru_cache(maxsize=8192)
def query_key(word: str) -> str:
    """The key a question word looks for: its synonym group ("dad" -> "father", "insomina" -> "sleep") or
    its stem."""
    s = stem(word)
    groups = _GROUP_OF.get(s, ())
    if groups:
        return groups[0]
    if word.lower() in QUERY_ONLY:
        return QUERY_ONLY[word.lower()]
    if len(word) >= 5 and not word[:1].isdigit() and not is_real_word(word):  # a misspelt topic word
        near = process.extractOne(word.lower(), _VOCABULARY, scorer=fuzz.ratio, score_cutoff=85)
        if near:
            return _GROUP_OF[stem(near[0])][0]
    return s


_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:-\d+)*")


def text_words(text: str) -> list[str]:
    """The words of a sentence, lowercased, for text_stems and text_keys (tokenise once, use twice)."""
    return [m.group(0) for m in _WORD.finditer(text.lower())]


def text_stems(words: list[str]) -> frozenset[str]:
    """The stems of a sentence's words, without synonyms: an exact word counts more than a synonym."""
    return frozenset(stem(word) for word in words)


def text_keys(words: list[str]) -> frozenset[str]:
    """The keys of every word in a sentence. Not cached by sentence, so note text is not kept in memory."""
    keys: set[str] = set()
    for word in words:
        keys |= word_keys(word)
        if "-" in word:
            keys.add(stem(word.replace("-", "")))
            for part in word.split("-"):
                keys |= word_keys(part)
    return frozenset(keys)
