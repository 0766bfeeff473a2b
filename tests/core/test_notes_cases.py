"""What the issue saw go wrong, as cases: shorthand kept, scores read right, homework only for homework,
dictated headings honoured, the summary is the session's theme, and the labelled risk sets."""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from bench.bench_risk import load_cases, outcome
from core.language.text import normalise
from core.notes.measures import find_measures
from core.notes.safety import RISK_KINDS, RISK_LABELS, detect_risks
from core.notes.writer import NOT_DISCUSSED, OfflineNoteWriter, note_sentences, unsupported
from core.language.text import clean_sentences
from core.types import Measure, NoteDraft

CASES = Path(__file__).resolve().parent / "notes_cases"
WRITER = OfflineNoteWriter()


def write(text: str, fmt: str = "SOAP", client: str | None = None) -> NoteDraft:
    return WRITER.write(text, note_format=fmt, session_date=date(2026, 11, 20), client_name=client)


SHORTHAND = [line for line in (CASES / "shorthand.txt").read_text().splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize("memo", SHORTHAND)
@pytest.mark.parametrize("fmt", ["SOAP", "DAP", "BIRP", "GIRP"])
def test_every_shorthand_fragment_is_in_the_note(memo, fmt):
    note = write(memo, fmt)
    said = " ".join(normalise(line) for line in note_sentences(note) + [m.raw for m in note.measures])
    body = " ".join(normalise(text) for _, text in note.sections)
    for fragment in clean_sentences(memo)[1:]:
        assert normalise(fragment) in said, (fragment, note.sections)
        assert normalise(fragment) in body or any(normalise(fragment) in normalise(m.evidence) for m in note.measures)
    assert not unsupported(note, memo)


@pytest.mark.parametrize("text, expected", [
    ("GAD-7 15, PHQ-9 9.", [("GAD-7", 15, None), ("PHQ-9", 9, None)]),
    ("PHQ-9 9.", [("PHQ-9", 9, None)]),
    ("GAD-7 7.", [("GAD-7", 7, None)]),
    ("PHQ nine nine.", [("PHQ-9", 9, None)]),
    ("GAD-7 was 11, down from 15.", [("GAD-7", 11, 15)]),
    ("PHQ-9 was 17, up from 14 last time.", [("PHQ-9", 17, 14)]),
    ("GAD-7 9 (was 14).", [("GAD-7", 9, 14)]),
    ("PHQ-9 went from 19 to 12.", [("PHQ-9", 12, 19)]),
    ("Y-BOCS 24.", [("Y-BOCS", 24, None)]),
    ("Why bocks was 31 today.", [("Y-BOCS", 31, None)]),
    ("P H Q nine was nineteen.", [("PHQ-9", 19, None)]),
    ("GAD seven of twelve.", [("GAD-7", 12, None)]),
    ("PCL-5 52.", [("PCL-5", 52, None)]),
    ("AUDIT 19.", [("AUDIT", 19, None)]),
    ("ORS 22.5, SRS 36.", [("ORS", 22.5, None), ("SRS", 36, None)]),
    ("WAI-SR 48.", [("WAI-SR", 48, None)]),
    ("EPDS of fifteen.", [("EPDS", 15, None)]),
    ("K10 was 28.", [("K10", 28, None)]),
    ("CORE-10 17.", [("CORE-10", 17, None)]),
    ("Rated SUDS down from 80 to 40 by the end.", [("SUDS", 40, 80)]),
    ("Mood 4/10.", [("Mood", 4, None)]),
    ("Anxiety 7 out of 10 and mood 3/10.", [("Anxiety", 7, None), ("Mood", 3, None)]),
    ("She rated the session 7 out of 10 on feeling heard.", [("Session rating (feeling heard)", 7, None)]),
    ("On the PHQ 9 questionnaire she scored 14.", [("PHQ-9", 14, None)]),
    ("She scored 12 on the GAD-7.", [("GAD-7", 12, None)]),
    ("We talked about the PHQ-9, she had three kids.", []),
    ("GAD-7 for 3 weeks now.", []),
])
def test_scores_read_right(text, expected):
    found = [(m.name, m.score, m.earlier) for m in find_measures(clean_sentences(text))]
    assert found == expected
    assert all(not m.uncertain for m in find_measures(clean_sentences(text)))


@pytest.mark.parametrize("text, name, raw", [
    ("GAD 7-1-11.", "GAD-7", "GAD 7-1-11"),
    ("PHQ-9 35.", "PHQ-9", "PHQ-9 35"),
    ("PHQ 917 today.", "PHQ-9", "PHQ 917"),
    ("GAD 7 1 11.", "GAD-7", "GAD 7 1 11"),
    ("K10 of 5.", "K10", "K10 of 5"),
    ("Mood 12/10.", "Mood", "Mood 12/10"),
])
def test_a_garbled_or_impossible_score_is_kept_as_text_and_uncertain(text, name, raw):
    [m] = find_measures(clean_sentences(text))
    assert (m.name, m.uncertain, m.raw, m.value) == (name, True, raw, None)
    assert math.isnan(m.score) and "unclear" in m.display
    again = NoteDraft.from_json(write(text).to_json()).measures
    assert [(x.name, x.uncertain, x.raw) for x in again] == [(name, True, raw)]


def test_measures_carry_their_scale_range_and_old_notes_still_load():
    [m] = find_measures(["PHQ-9 was 17, down from 21."])
    assert (m.scale_min, m.scale_max, m.earlier) == (0, 27, 21)
    old = {"client": "Maya", "session_date": "2025-01-02", "format": "SOAP", "sections": {"Subjective": "x"},
           "measures": [{"name": "PHQ-9", "score": 14, "evidence": "PHQ-9 14."}],
           "risks": [{"kind": "suicidal_ideation", "evidence": "Passive SI.", "status": "present", "qualifiers": ["passive"]},
                     {"kind": "suicidal_ideation", "evidence": "Denies SI.", "status": "denied"}]}
    note = NoteDraft.from_json(old)
    assert note.measures == (Measure("PHQ-9", 14, "PHQ-9 14."),)
    assert [(f.kind, f.status) for f in note.risks] == [("passive_ideation", "present"), ("active_ideation", "denied")]


@pytest.mark.parametrize("memo, homework, not_homework", [
    ("Session with Alex. Agreed to keep Thursday's appointment. Practice the breathing twice a day.",
     "breathing twice a day", "Thursday"),
    ("S: Low week.\nA: Improving, engaged with homework.\nP: Continue CBT. HW: thought record daily.",
     "thought record daily", "engaged"),
    ("She agreed to come to next week's session. For homework she will keep a sleep diary.", "sleep diary", "next week's session"),
    ("Next session we will start the exposure hierarchy. Between sessions she'll walk every morning.",
     "walk every morning", "exposure hierarchy"),
    ("Homework compliance good. Assigned two pleasant activities this week.", "pleasant activities", "compliance"),
    ("We scheduled a follow-up appointment in two weeks. He will call his brother before our next session.",
     "call his brother", "appointment"),
])
def test_homework_is_only_an_assignment_for_between_sessions(memo, homework, not_homework):
    note = write(memo)
    assert any(homework in h.lower() for h in note.homework), note.homework
    assert not any(not_homework in h for h in note.homework), note.homework


@pytest.mark.parametrize("memo, section, text", [
    ("Session with Maya. She was tired. Assessment is she is improving slowly.", "Assessment", "She is improving slowly."),
    ("Session with Maya. She was tired. For the plan, continue weekly sessions.", "Plan", "Continue weekly sessions."),
    ("Session with Maya.\nSubjective - reports better sleep.\nObjective - calm, good eye contact.", "Objective", "Calm, good eye contact."),
    ("S: Reports better sleep.\nO: Calm.\nA: Stable.\nP: Continue.", "Assessment", "Stable."),
    ("Session with Maya. The plan is to add a second session next week.", "Plan", "To add a second session next week."),
])
def test_dictated_headings_are_honoured(memo, section, text):
    assert text in dict(write(memo).sections)[section]


def test_summary_is_the_theme_not_the_denial_or_the_rupture():
    memo = ("Session with Maya. Denies SI. She was irritated with me about the fee. Most of the session focused on her "
            "grief about her father's death and the anniversary coming up.")
    assert "grief" in write(memo).summary


@pytest.mark.parametrize("memo, summary", [
    ("Session with Alex. Wife supportive. Slept ok. GAD-7 7. Y-BOCS 24.", "Wife supportive."),
    ("Jo. PHQ-9 12. Mood low. Appetite poor.", "Mood low."),
    ("Sam felt low.", "Sam felt low."),
    ("PHQ-9 12. GAD-7 9.", "PHQ-9 12."),  # nothing but scores: a score it is
])
def test_a_shorthand_summary_says_what_the_client_reported_before_a_bare_score(memo, summary):
    assert write(memo).summary == summary


def test_risk_labels_cover_every_kind():
    assert set(RISK_LABELS) == set(RISK_KINDS)
    assert RISK_LABELS["access_to_means"] == "access to means"


@pytest.mark.parametrize("sentence, kind", [
    ("Still some passive thoughts but no intent and no plan.", "passive_ideation"),
    ("She's been putting her affairs in order and updated her will last week.", "preparatory_behaviour"),
    ("He has been giving away his belongings.", "preparatory_behaviour"),
    ("She looked up how much of her medication would be a lethal dose.", "preparatory_behaviour"),
    ("He has access to firearms at home.", "access_to_means"),
    ("She had the pills in her hand but stopped herself.", "suicide_attempt"),
    ("The voices tell her to kill her mother.", "harm_to_others"),
])
def test_phrasings_from_the_issue_are_caught(sentence, kind):
    assert (kind, "present") in {(f.kind, f.status) for f in detect_risks(sentence)}


def test_a_denial_is_a_screening_result_not_a_warning():
    flags = detect_risks("Denies SI. Denies HI. No self-harm.")
    assert flags and all(f.status == "denied" for f in flags)


@pytest.mark.parametrize("name", ["dev", "heldout"])
def test_labelled_risk_sets(name):
    cases = load_cases(f"risk_{name}.tsv")
    assert len(cases) >= 150
    wrong = [(kind, status, s) for kind, status, s in cases if outcome(kind, status, s) != "ok"]
    assert not wrong, wrong


def test_girp_goals_name_the_session_theme_when_goal_is_not_said():
    memo = ("Session with Maya. We spent most of the session on her panic attacks on the train. "
            "She practised slow breathing. She found it helpful.")
    goals = dict(write(memo, "GIRP").sections)["Goals"]
    assert goals != NOT_DISCUSSED and "panic attacks" in goals


@pytest.mark.parametrize("memo, wanted", [
    ("Session with Daniel. He missed last week's homework and seemed irritated with me. Next time, follow up on the drinking.",
     "He missed last week's homework"),
    ("Session with Maya. She completed the homework and felt proud of herself. Plan: continue exposure.",
     "She completed the homework"),
])
def test_a_report_on_last_weeks_homework_is_not_the_plan(memo, wanted):
    note = write(memo)
    plan = dict(note.sections)["Plan"]
    assert wanted not in plan and any(wanted in text for name, text in note.sections if name != "Plan")
    assert not any(wanted in item for item in note.homework)


@pytest.mark.parametrize("sentence, score, earlier", [
    ("PCL-5 was 41 last month and is 35 now.", 35, 41),
    ("Her PHQ-9 dropped from 20 last session to 14 today.", 14, 20),
    ("PHQ-9 was 14 two weeks ago; today 10.", 10, 14),
    ("GAD-7 previously 16, now 11.", 11, 16),
    ("GAD-7 was 11, down from 15.", 11, 15),
])
def test_a_past_score_then_todays_stores_todays_with_the_earlier(sentence, score, earlier):
    from core.notes.measures import find_measures

    [measure] = find_measures([sentence])
    assert (measure.score, measure.earlier, measure.uncertain) == (score, earlier, False)


def test_a_score_said_only_as_the_past_is_not_todays():
    from core.notes.measures import find_measures

    [measure] = find_measures(["PHQ-9 was 18 in October."])
    assert measure.uncertain  # kept as text, never a clean number in today's trend
    [today] = find_measures(["PHQ-9 was 12 in session."])
    assert (today.score, today.uncertain) == (12, False)


@pytest.mark.parametrize("memo, item", [
    ("Session with Sam Patel. Between now and next week he will call his sponsor every day.",
     "Between now and next week he will call his sponsor every day."),
    ("Sam Patel. He will keep a mood log until we meet again.", "He will keep a mood log until we meet again."),
    ("Sam Patel. He will walk daily.", "He will walk daily."),
])
def test_an_assignment_said_without_the_word_homework_is_homework(memo, item):
    assert item in write(memo).homework


def test_someone_elses_daily_plans_are_not_the_clients_homework():
    assert write("Sam Patel. His mother will visit every day next week.").homework == ()
