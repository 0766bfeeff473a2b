"""Questions across one therapist's caseload, and the wording issue 11 saw break answers.

Data: the invented caseloads under tests/core/questions/ (Ana's practice unless said otherwise; today is
Tuesday 2026-11-24 there). Every answer is checked to copy its lines from cited notes.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.memory.ask import NO_NOTE, answer_question
from core.memory.caseload import InMemoryCaseload, Session
from core.types import Flag, Measure
from tests.core.ask_fixtures import CLIENTS, DANIEL, MAYA, NOTES, TODAY
from tests.core.questions.caseloads import CASELOADS, ScoredMeasure, copied_parts, load, note_texts

ANA = load("ana")


def ask(question, data=ANA, today=None):
    caseload = data.caseload()
    return answer_question(question, caseload, today or data.today), caseload.loaded


def names(answer) -> set[str]:
    return {c.client_name for c in answer.citations}


def assert_copied(answer, data=ANA):
    """Every quoted part of the answer is text of a note the answer cites."""
    cited = {(c.client_name, c.note_id) for c in answer.citations}
    texts = {t for notes in data.notes.values() for n in notes if (n.client_name, n.note_id) in cited for t in note_texts(n)}
    for part in copied_parts(answer):
        assert any(part in t for t in texts), part


# ---- the examples --------------------------------------------------------------------------
def test_which_clients_have_risk_flags_lists_present_flags_with_since_dates():
    answer, _ = ask("which clients have risk flags?")
    assert answer.found
    assert names(answer) == {"Daniel Okafor", "Sofia Alvarez", "Grace Lin", "Elena Petrova", "Ahmed Karimi"}
    assert "Daniel Okafor — passive ideation since 2026-10-27 (latest 2026-11-10; no plan)" in answer.text
    assert "His father keeps a hunting rifle at the house where Daniel stays at weekends." in answer.text
    assert "She denies any thoughts of suicide." not in answer.text  # a screening, never a risk
    assert "Screened and denied (not a risk): Maya Thompson (2026-09-08)" in answer.text
    assert_copied(answer)


def test_any_ruptures_this_week():
    answer, _ = ask("any ruptures this week?")
    assert names(answer) == {"Priya Shah"}
    assert "- Priya Shah — rupture 2026-11-23: Priya said talking about her grandmother" in answer.text
    assert "Maya" not in answer.text  # her rupture was in October
    assert_copied(answer)


def test_who_am_i_seeing_tomorrow_and_what_to_prepare():
    answer, _ = ask("who am I seeing tomorrow?")
    assert answer.text.startswith("Wednesday 2026-11-25 — 2 sessions:")
    assert "- 10:00 Daniel Okafor — last session 2026-11-10" in answer.text
    assert "- 13:00 Priya Shah — last session 2026-11-23" in answer.text
    prep, _ = ask("prep me for tomorrow")
    assert "  - to follow up: Check the rifle is still at his father's and locked." in prep.text
    assert "  - homework: Update his CV and send two applications." in prep.text
    assert "  - open risk (passive ideation since 2026-10-27, latest 2026-11-10): Passive thoughts continue" in prep.text
    assert names(prep) == {"Daniel Okafor", "Priya Shah"}
    assert_copied(prep)


def test_a_day_with_a_new_client_and_an_unassigned_slot():
    answer, _ = ask("what's on Thursday?")
    assert "- 09:30 Jordan Lee — no notes yet" in answer.text
    answer, _ = ask("who am I seeing today?")
    assert "- 15:00 Unassigned session" in answer.text
    answer, _ = ask("any sessions on Saturday?")
    assert not answer.found and answer.text == "No sessions booked for Saturday 2026-11-28."


def test_honorifics_and_last_session():
    for question in ("what did Ms. Thompson talk about last session?", "what did Ms Thompson talk about last session?",
                     "what did Mrs Thompson say last session?", "Dr. Thompson last session"):
        answer, loaded = ask(question)
        assert answer.found and loaded == [1], question
        assert [c.session_date for c in answer.citations] == [date(2026, 11, 17)]


def test_what_to_pick_up_on_a_coming_day_reads_the_latest_notes():
    answer, _ = ask("what should I pick up with Daniel on Thursday?")  # the coming Thursday, not the last one
    assert answer.found
    assert "Check the rifle is still at his father's and locked." in answer.text
    assert [c.session_date for c in answer.citations] == [date(2026, 11, 10)]
    past, _ = ask("what did Daniel say last Thursday?")  # said as the past: still the past
    assert not past.found and "2026-11-19" in past.text


def test_coping_skills_find_breathing_and_exposure():
    answer, _ = ask("coping skills with Maya")
    assert "We practised 4-7-8 breathing in session and she said it slowed her heart rate." in answer.text
    assert "exposure" in answer.text
    assert_copied(answer)


def test_access_to_means_finds_the_flag():
    answer, _ = ask("does Daniel have access to means?")
    assert answer.found
    assert "(access to means; means): His father keeps a hunting rifle" in answer.text
    assert "better off without him" not in answer.text  # another kind of risk


def test_using_means_substances_and_shows_the_latest_mention():
    answer, _ = ask("Is Luis still using?", load("ben"))
    assert "Luis was arrested for a DUI in December." in answer.text  # the flag
    assert "Luis has been sober for thirty days" in answer.text  # what the notes say since


@pytest.mark.parametrize("question, line", [
    ("Maya anxeity", "anxiety"), ("Daniel drinkng", "two beers"), ("Priya's jurnaling", "Journaling in the morning"),
])
def test_misspelt_topic_words(question, line):
    answer, _ = ask(question)
    assert answer.found and line in answer.text


# ---- risk kinds ------------------------------------------------------------------------------------
def test_old_and_new_ideation_kinds_answer_the_same_question():
    old = NOTES[DANIEL.id][1]  # "passive_suicidal_ideation" and qualifiers, as older notes hold it
    new = replace(old, note_id=9202, risks=(replace(old.risks[0], kind="passive_ideation"),))
    for notes in ([old], [new]):
        caseload = InMemoryCaseload(CLIENTS, {DANIEL.id: notes})
        for question in ("any passive ideation for Daniel?", "which clients have passive ideation?"):
            answer = answer_question(question, caseload, TODAY)
            assert "better off without him" in answer.text, (question, notes[0].risks[0].kind)


def test_a_denial_closes_an_open_flag_and_is_never_listed_as_a_risk():
    daniel = NOTES[DANIEL.id]
    denial = replace(daniel[2], risks=(Flag("suicidal_ideation", "He denies suicidal ideation.", "denied"),))
    caseload = InMemoryCaseload(CLIENTS, {DANIEL.id: [daniel[0], daniel[1], denial]})
    answer = answer_question("who is suicidal?", caseload, TODAY)
    assert not answer.found and "Daniel Okafor (2026-11-10; after passive suicidal ideation noted 2026-10-27)" in answer.text
    assert "better off without him" not in answer.text


def test_history_is_not_an_open_risk():
    answer, _ = ask("any past suicide attempts?", load("ben"))
    assert answer.text.startswith("No open suicide-related risk flags")
    assert "Past history noted: Sam Carter (2026-03-03)." in answer.text


# ---- homework, scores, clients not seen ------------------------------------------------------------
def test_overdue_homework_leaves_out_reported_done_and_shows_not_done():
    answer, _ = ask("overdue homework", load("chloe"))
    assert "- Lily Chen — assigned 2026-05-18: Sit in the exam hall at lunch for five minutes." in answer.text
    assert "  - reported not done 2026-05-27: She did not sit in the exam hall at lunch." in answer.text
    assert "Noah" not in answer.text  # he went for a run as agreed
    assert "Ethan" not in answer.text  # assigned four days ago: not overdue yet
    assert_copied(answer, load("chloe"))


def test_scores_that_got_worse_know_which_way_is_worse():
    answer, _ = ask("any scores getting worse?")
    assert "- Daniel Okafor — PHQ-9 14 (2026-10-27) → 16 (2026-11-10), up 2" in answer.text
    assert "- Elena Petrova — ORS 26 (2026-11-05) → 21 (2026-11-20), down 5" in answer.text  # ORS: higher is better
    assert "Maya" not in answer.text.split("Not compared")[0]


def test_an_uncertain_score_is_never_compared_or_shown_as_a_number():
    answer, _ = ask("any scores getting worse?")
    assert "Not compared, the latest score is marked uncertain: Tom Becker GAD-7 (2026-11-17)." in answer.text
    single, _ = ask("Tom's GAD-7 scores")
    assert "GAD-7: 14 (2026-10-20) → 17 (2026-11-10) → uncertain (2026-11-17)" in single.text
    assert "→ 12" not in single.text
    assert "- 2026-11-17 (GAD-7, uncertain): Scored GAD-7 of around 12 or 13" in single.text


def test_an_earlier_score_said_in_the_same_note_is_compared():
    note = NOTES[MAYA.id][0]
    with_earlier = replace(note, measures=(ScoredMeasure("PHQ-9", 17, "PHQ-9 went from 12 to 17.", earlier=12),))
    answer = answer_question("whose PHQ-9 went up?", InMemoryCaseload(CLIENTS, {MAYA.id: [with_earlier]}), TODAY)
    assert "- Maya Thompson — PHQ-9 12 (earlier, as noted) → 17 (2026-09-08), up 5" in answer.text


def test_measures_without_the_new_fields_still_work():
    answer = answer_question("whose GAD-7 went down?", InMemoryCaseload(CLIENTS, NOTES), TODAY)
    assert isinstance(NOTES[MAYA.id][0].measures[0], Measure)
    assert "- Maya Thompson — GAD-7 13 (2026-09-29) → 9 (2026-11-17), down 4" in answer.text


def test_clients_not_seen():
    answer, _ = ask("which clients haven't I seen in 3 weeks?")
    assert "- Marcus Hill — last session 2026-10-06 (7 weeks ago)" in answer.text
    assert "No notes yet: Jordan Lee." in answer.text
    assert names(answer) == {"Marcus Hill"}


# ---- one therapist's data, and only what a question needs -------------------------------------------
def test_a_question_about_one_client_reads_only_that_clients_notes():
    _, loaded = ask("what homework did I give Tom?")
    assert loaded == [4]


def test_another_therapists_client_is_not_answered_across_the_caseload():
    for question in ("Maya's homework", "what did Daniel Brooks say about his flashbacks?"):
        for name in CASELOADS:
            data = load(name)
            answer, _ = ask(question, data)
            own = {c.name for c in data.clients}
            assert all(c.client_name in own for c in answer.citations)
    answer, loaded = ask("Maya's homework", load("ben"))
    assert not answer.found and loaded == []


def test_sessions_are_shown_in_the_therapists_time():
    tz = ZoneInfo("America/New_York")
    caseload = InMemoryCaseload(CLIENTS, NOTES, [Session(MAYA.id, MAYA.name, datetime(2026, 11, 25, 8, 5, tzinfo=tz))])
    answer = answer_question("who am I seeing tomorrow?", caseload, TODAY)
    assert "- 08:05 Maya Thompson — last session 2026-11-17" in answer.text


def test_nothing_to_report_is_said_plainly():
    answer, _ = ask("who has psychosis flags?")
    assert not answer.found and answer.text.startswith(NO_NOTE) and answer.citations == ()
