"""Any question, grounded: several hundred generated questions (caseload topics, who was seen, what to
prepare, feedback drops, risk, odd topics) over the four invented caseloads. None may fail, every bullet
line must be copied from a note the answer cites, and nothing may be cited from outside the caseload."""
from __future__ import annotations

import random

import pytest

from core.memory.ask import answer_question
from tests.core.questions.caseloads import CASELOADS, load, score

TEMPLATES = (
    "who {v} about {t}?", "which clients {v} {t} this month?", "anyone {v} {t} last week?", "did anyone {v} {t}?",
    "anything I should know before seeing {n}?", "prep me for {n}", "what did {n} say about {t}?", "who did I see {w}?",
    "whose {m} went down?", "whose session feedback dropped {w}?", "who is at risk {w}?", "any ruptures {w}?",
    "what's important for {n} tomorrow?", "get me ready for {n}", "when did {n} first mention {t}?", "{n} {t}",
    "who hasn't done their homework?", "which clients mentioned {t} in {mo}?", "who had sessions on {d}?",
)
VERBS = ("talked", "mentioned", "spoke", "said something", "complained", "brought up")
TOPICS = ("sleep", "drinking", "their mother", "work", "panic attacks", "grief", "money", "school", "voices",
          "self-harm", "the breakup", "exercise", "xylophones")
WHEN = ("this week", "last week", "this month", "recently", "", "in October", "yesterday")


@pytest.mark.parametrize("name", CASELOADS)
def test_generated_questions_are_answered_from_the_cited_notes_only(name):
    rng = random.Random(name)
    data = load(name)
    firsts = [c.name.split()[0] for c in data.clients]
    for _ in range(150):
        question = rng.choice(TEMPLATES).format(
            v=rng.choice(VERBS), t=rng.choice(TOPICS), n=rng.choice(firsts), w=rng.choice(WHEN),
            m=rng.choice(("PHQ-9", "GAD-7", "SRS", "scores", "ratings")), mo=rng.choice(("October", "November")),
            d=rng.choice(("2026-11-17", "Tuesday", "last Friday")))
        answer = answer_question(question, data.caseload(), data.today)
        _, why = score({"found": answer.found}, answer, data, set())
        assert not [w for w in why if w.startswith(("LEAK", "ungrounded"))], (question, answer.text)
