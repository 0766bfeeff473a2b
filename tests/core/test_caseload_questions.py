"""The question set (tests/core/questions/): every answer right or a refusal, none wrong, none citing or
quoting another therapist's notes, every quoted line copied from a cited note."""
from __future__ import annotations

import pytest

from core.memory.ask import answer_question
from tests.core.questions.caseloads import CASELOADS, load, questions, score

LOADED = {name: load(name) for name in CASELOADS}
TEXTS = {name: data.texts() for name, data in LOADED.items()}


def _verdicts(items, meaning=None):
    out = []
    for item in items:
        data = LOADED[item["caseload"]]
        others = set().union(*(t for name, t in TEXTS.items() if name != data.name))
        answer = answer_question(item["q"], data.caseload(), data.today, meaning=meaning)
        out.append((item, *score(item, answer, data, others)))
    return out


@pytest.mark.parametrize("name", ["questions", "heldout"])
def test_question_set(name):
    items = questions(name)
    assert len(items) >= 70 and sum(i["cat"].startswith("caseload") for i in items) * 3 >= len(items) - 5
    results = _verdicts(items)
    wrong = [(i["q"], why) for i, verdict, why in results if verdict == "wrong"]
    leaks = [(i["q"], why) for i, _, why in results if any(w.startswith(("LEAK", "ungrounded")) for w in why)]
    right = sum(verdict == "right" for _, verdict, _ in results)
    assert not leaks
    assert not wrong
    assert right >= 0.95 * len(items)


def test_the_set_is_large_and_a_third_spans_the_caseload():
    items = questions("questions") + questions("heldout")
    assert len(items) >= 150
    assert sum(i["cat"].startswith("caseload") for i in items) * 3 >= len(items)


def test_meaning_model_loads_from_the_installed_wheel_without_network():
    pytest.importorskip("wordllama")
    from core.memory.meaning import Meaning

    model = Meaning(threshold=0.3)
    scores = model.scores("caffeine", ["He drinks coffee all day.", "Her sister visited from Sofia."])
    assert scores[0] > scores[1]
