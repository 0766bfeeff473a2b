"""Finding the client in a memo: the right record, or a question back — never the wrong record."""
from __future__ import annotations

import pytest

from core.language.client_match import ClientRecord, match_name, names_mentioned, resolve_client

MAYA = ClientRecord(1, "Maya Thompson")
DANIEL = ClientRecord(2, "Daniel Okafor", ("Danny",))
JORDAN = ClientRecord(3, "Jordan Lee")
SAM = ClientRecord(4, "Sam Rivera")
MAYA_R = ClientRecord(5, "Maya Reyes")
CLIENTS = [MAYA, DANIEL, JORDAN, SAM]
TWO_MAYAS = CLIENTS + [MAYA_R]


# ---- names_mentioned ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Session with Maya today. She talked about work.", "Maya"),
        ("Daniel Okafor today, he reported better sleep.", "Daniel Okafor"),
        ("Quick note for Priya, first session.", "Priya"),
        ("Maya T. came in late and apologised.", "Maya T."),
        ("met with sam again. he was tired.", "sam"),
        ("Saw Jordan Lee this morning.", "Jordan Lee"),
        ("Meyer again, she was anxious about work.", "Meyer"),
        ("session with maya thompson today she said work is hard", "maya thompson"),
        ("Session with Mrs. Chen about her sleep.", "Chen"),
        ("Saw Will today, he was upbeat.", "Will"),
    ],
)
def test_names_mentioned_finds_the_client_name_first(text, expected):
    assert names_mentioned(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Patel increased her sertraline. PHQ-9 was 14 on Tuesday in November.",
        "Reviewed CBT homework. GAD-7 improved since October.",
        "She talked about her sister Priya and her boss Karen.",
        "Anxious again today. Slept badly on Monday.",
        "Then you'll look after today, he talked about his job.",
        "",
    ],
)
def test_names_mentioned_skips_doctors_relatives_days_months_and_clinical_terms(text):
    assert names_mentioned(text) == []


def test_names_mentioned_puts_the_naming_phrase_before_other_capitalised_names():
    names = names_mentioned("She brought up Denver a lot. Session with Maya Thompson, week six.")
    assert names[0] == "Maya Thompson"
    assert "Denver" in names


# ---- match_name -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, client",
    [
        ("Maya", MAYA), ("maya's", MAYA), ("Maya T.", MAYA), ("Thompson", MAYA), ("Maya Thompson", MAYA),
        ("Daniel O.", DANIEL), ("Danny", DANIEL), ("Danielle Okafor", DANIEL), ("Daniels", DANIEL),
        ("Jordon Lee", JORDAN), ("Meyer", MAYA), ("Maya Tomson", MAYA),
    ],
)
def test_match_name_best_first(name, client):
    scored = match_name(name, CLIENTS)
    assert scored and scored[0][0] == client
    assert scored[0][1] >= 88
    assert all(scored[i][1] >= scored[i + 1][1] for i in range(len(scored) - 1))


def test_match_name_two_mayas_score_alike_but_an_initial_tells_them_apart():
    scored = match_name("Maya", TWO_MAYAS)
    assert {c for c, s in scored if s >= 88} == {MAYA, MAYA_R}
    assert [c for c, s in match_name("Maya R.", TWO_MAYAS) if s >= 88] == [MAYA_R]


@pytest.mark.parametrize("name", ["Priya", "Priya Shah", "Karen", "", "   ", "Dr."])
def test_match_name_unrelated_names_do_not_match(name):
    assert all(score < 88 for _, score in match_name(name, CLIENTS))


# ---- resolve_client -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, client",
    [
        ("Session with Maya today. She talked about her sister Priya.", MAYA),
        ("Daniel Okafor today, he reported better sleep.", DANIEL),
        ("Maya T. came in late.", MAYA),
        ("met with sam again. he was tired.", SAM),
        ("Saw Jordan Lee this morning, mood brighter.", JORDAN),
        ("Thompson today, reviewed the thought record.", MAYA),
        ("Danny came in today.", DANIEL),
        # what the transcriber misheard
        ("Meyer again, she was anxious about work.", MAYA),
        ("Session with my Thompson today, she slept better.", MAYA),
        ("Danielle Okafor, session three. He cut down drinking.", DANIEL),
        ("session with maya thompson today she said work is hard", MAYA),
        ("today maya talked about her job", MAYA),
    ],
)
def test_resolve_matches_the_named_client(text, client):
    res = resolve_client(text, CLIENTS)
    assert res.kind == "match", res
    assert res.client == client
    assert res.candidates == (client,)


def test_resolve_two_mayas_first_name_only_asks_with_both():
    res = resolve_client("Session with Maya today. She talked about work.", TWO_MAYAS)
    assert res.kind == "ambiguous"
    assert res.client is None
    assert set(res.candidates) == {MAYA, MAYA_R}


def test_resolve_two_mayas_full_name_or_initial_is_a_match():
    assert resolve_client("Session with Maya Reyes today.", TWO_MAYAS).client == MAYA_R
    assert resolve_client("Maya T. came in late.", TWO_MAYAS).client == MAYA


def test_resolve_clear_new_full_name_is_new():
    res = resolve_client("Session with Priya Shah. Intake, referred by her GP.", CLIENTS + [ClientRecord(7, "Priya Patel")])
    assert res.kind == "new"
    assert res.new_name == "Priya Shah"
    assert res.client is None


@pytest.mark.parametrize("text, name", [("Quick note for priya, first session.", "Priya"), ("Intake with Ana Silva.", "Ana Silva")])
def test_resolve_new_client_named_in_a_naming_phrase(text, name):
    res = resolve_client(text, CLIENTS)
    assert (res.kind, res.new_name) == ("new", name)


@pytest.mark.parametrize(
    "text",
    [
        "Then you'll look after today, he talked about his job.",
        "Talked about sleep and the new medication. PHQ-9 was 14.",
        "",
        "Dr. Patel increased her sertraline.",
    ],
)
def test_resolve_nothing_named_is_none(text):
    res = resolve_client(text, CLIENTS)
    assert res.kind == "none"
    assert res.client is None and res.new_name is None


def test_resolve_a_weak_resemblance_asks_instead_of_filing():
    res = resolve_client("Session with Mia today, first time she came.", CLIENTS)
    assert res.kind == "ambiguous"
    assert res.candidates == (MAYA,)
    assert res.new_name == "Mia"  # so the caller can offer "new client Mia" too


def test_resolve_a_known_name_mentioned_in_passing_is_not_enough_to_file():
    # Sam is a client, but here he only comes up late in the memo with no naming phrase.
    res = resolve_client("Long session. She was tearful. Later she said Sam had called.", CLIENTS)
    assert res.kind != "match"


def test_resolve_relatives_and_doctors_are_not_the_client():
    clients = CLIENTS + [ClientRecord(8, "Karen Wu")]
    res = resolve_client("Session with Maya. Her boss Karen criticised her again; Dr. Wu changed her dose.", clients)
    assert res.client == MAYA


def test_resolve_two_different_clients_named_equally_asks():
    res = resolve_client("Session with Maya and Daniel today, joint session.", CLIENTS)
    assert res.kind == "ambiguous"
    assert set(res.candidates) == {MAYA, DANIEL}


def test_hint_takes_precedence_over_the_text():
    res = resolve_client("Session with Maya today.", CLIENTS, hint="Daniel")
    assert (res.kind, res.client) == ("match", DANIEL)


def test_hint_for_a_new_client_and_for_two_mayas():
    assert resolve_client("anything", CLIENTS, hint="priya shah").new_name == "Priya Shah"
    assert resolve_client("anything", CLIENTS, hint="priya shah").kind == "new"
    res = resolve_client("Session with Maya Thompson.", TWO_MAYAS, hint="Maya")
    assert res.kind == "ambiguous" and set(res.candidates) == {MAYA, MAYA_R}


def test_no_clients_at_all():
    assert resolve_client("Session with Maya today.", []).kind == "new"
    assert resolve_client("Session with Maya today.", []).new_name == "Maya"
    assert match_name("Maya", []) == []


@pytest.mark.parametrize(
    "text",
    [
        "follow-up of his chronic conditions. the patient underwent an aortic valve replacement.",
        "regarding his blood work the patient's alkaline phosphatase is mildly elevated.",
        "the client reported better sleep. the patient's tsh was normal.",
    ],
)
def test_clinical_dictation_without_a_name_names_nobody(text):
    # phrasing from ACI-Bench virtscribe dictations (lowercase ASR output)
    assert names_mentioned(text) == []
    assert resolve_client(text, CLIENTS).kind == "none"


@pytest.mark.parametrize(
    "text, name",
    [
        ("next patient is christina cooper. hey miss cooper, how are you doing today?", "Christina Cooper"),
        ("today i'm seeing christina cooper. her date of birth is 7/1/1954.", "Christina Cooper"),
        ("patient bruce ward, date of birth 5/21/1969.", "Bruce Ward"),
    ],
)
def test_lowercase_dictation_names_a_new_client(text, name):
    res = resolve_client(text, CLIENTS)
    assert (res.kind, res.new_name) == ("new", name)


def test_a_memo_naming_two_clients_in_full_asks():
    res = resolve_client("Session with Maya Thompson and later with Daniel Okafor.", CLIENTS)
    assert res.kind == "ambiguous" and set(res.candidates) == {MAYA, DANIEL}


@pytest.mark.parametrize(
    "text, client",
    [
        ("okay this is a note for maya thompson, session five.", MAYA),
        ("Today's session with Daniel. He talked about his ex, Jordan.", DANIEL),
        ("Just finished with Sam. Rough week for him.", SAM),
        ("Maya's session today. She's been sleeping better.", MAYA),
        ("Session notes: client Maya, 50 minutes.", MAYA),
        ("So, Daniel, third session, talked about drinking.", DANIEL),
        ("Maya reported sleeping better.", MAYA),
        ("Had a session with Mr. Okafor this morning.", DANIEL),
    ],
)
def test_everyday_memo_openings(text, client):
    assert resolve_client(text, CLIENTS).client == client


def test_a_client_named_only_as_a_third_party_is_asked_about_not_filed():
    res = resolve_client("He reported that Sam had called him.", CLIENTS)
    assert res.kind == "ambiguous" and res.candidates == (SAM,)


@pytest.mark.parametrize(
    "text",
    [
        "session on Tuesday with Daniel Okafor. He has cut his drinking down to weekends.",
        "Had a long session this morning, Daniel Okafor again. He felt hopeful.",
    ],
)
def test_a_known_client_named_in_a_session_opening_is_filed(text):
    assert resolve_client(text, CLIENTS).client == DANIEL
