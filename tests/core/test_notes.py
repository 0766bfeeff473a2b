"""The offline writer: formats, no invented content (on real corpora), extraction from realistic memos."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from core.notes.writer import FORMAT_SECTIONS, NOT_DISCUSSED, NoteSchema, OfflineNoteWriter, note_sentences, unsupported
from core.language.text import Evidence, clean_sentence, normalise, split_sentences
from core.types import NOTE_FORMATS, NoteDraft

WRITER = OfflineNoteWriter()
DAY = date(2024, 11, 7)


def write(text: str, fmt: str = "SOAP", client: str | None = "Maya Thompson", preferences: str = "") -> NoteDraft:
    return WRITER.write(text, note_format=fmt, session_date=DAY, client_name=client, preferences=preferences)


# --- realistic memos (invented people) -------------------------------------------------------------------------

MAYA = """Session with Maya Thompson today. Um, she said work has been really stressful and she's been sleeping
maybe four hours a night period She's been anxious about her father's visit next month, you know, they haven't
spoken in two years. She appeared tired, affect was constricted, and she teared up when talking about her dad.
PHQ 9 was 17, up from 14 last time, and GAD-7 was twelve. She sometimes thinks everyone would be better off
without her, no plan, no intent. Denies self-harm. We practiced box breathing and did some cognitive restructuring
around the thought that she's a failure. She was receptive and said the breathing helped. I think the depression is
worsening with the work stress, but she's engaged and motivated. She was a bit irritated with me when I brought up
her drinking, we talked it through. Part of her wants to cut back on wine but she says it's the only thing that helps
her sleep. For homework, she'll keep a sleep diary and practice the breathing twice a day. Next session I want to
check in on her father's visit and revisit the safety plan."""

DANIEL = """Okay this is a note for Daniel Okafor, Tuesday's session. He came in late and pretty guarded. He said he
relapsed on Saturday after his sister's wedding and drank most of a bottle of whiskey. He scored 21 on the AUDIT.
He didn't do the homework again and pushed back when I suggested an AA meeting. He said therapy isn't helping and he's
thinking about stopping. We used motivational interviewing and explored what he values about being sober. He was
more open by the end and agreed to try one SMART Recovery meeting before next session. Denies suicidal ideation.
Denies thoughts of harming others. He mentioned his partner shoved him during an argument last week. I think he is in
the contemplation stage. Plan is to follow up on the meeting and ask about the argument with his partner next time."""

PRIYA = """Note for Priya. uh she reports her mood is a bit better, BDI-II was 22 down from 29. she was uh tearful
talking about her mom's diagnosis. she's been having trouble eating, barely eating since the diagnosis, and she
fainted at work on Monday. she has a history of cutting as a teenager, none recently. we did some grief processing
and psychoeducation on anticipatory grief. her goal is to be able to visit her mom without panicking. homework is
to write a letter to her mom she doesn't have to send. I'll check in about the fainting and whether she saw her doctor."""

NO_RISK = """Session with Sam Lee. Sam talked about a conflict with his manager and feeling overlooked for the promotion.
He was calm and engaged. We role-played asking for feedback. He found the role-play helpful. Next session we'll review
how the conversation with his manager went."""


def test_each_format_has_exactly_its_sections():
    for fmt in NOTE_FORMATS:
        note = write(MAYA, fmt)
        assert note.format == fmt
        assert tuple(name for name, _ in note.sections) == FORMAT_SECTIONS[fmt]
        assert all(text.strip() for _, text in note.sections)
    assert FORMAT_SECTIONS == {
        "SOAP": ("Subjective", "Objective", "Assessment", "Plan"),
        "DAP": ("Data", "Assessment", "Plan"),
        "BIRP": ("Behavior", "Intervention", "Response", "Plan"),
        "GIRP": ("Goals", "Intervention", "Response", "Plan"),
    }


def test_format_is_case_insensitive_and_unknown_formats_are_refused():
    assert write(MAYA, "soap").format == "SOAP"
    with pytest.raises(ValueError):
        write(MAYA, "XYZ")


def test_section_with_nothing_says_not_discussed():
    note = write("Session with Maya Thompson today. She talked about her sister's wedding and feeling left out.", "GIRP")
    sections = dict(note.sections)
    assert sections["Goals"] == NOT_DISCUSSED
    assert sections["Intervention"] == NOT_DISCUSSED
    assert sections["Plan"] == NOT_DISCUSSED
    assert "wedding" in sections["Response"]


def test_empty_memo_is_all_not_discussed():
    note = write("", "BIRP")
    assert all(text == NOT_DISCUSSED for _, text in note.sections)
    assert note.summary == "" and not note.key_points and not note.risks


def test_no_boilerplate_when_nothing_was_said_about_risk():
    note = write(NO_RISK, "SOAP", client="Sam Lee")
    text = json.dumps(note.to_json()).lower()
    for phrase in ("denies", "si ", "suicid", "alert and oriented", "no risk", "safety", "harm"):
        assert phrase not in text, phrase
    assert not note.risks
    assert not unsupported(note, NO_RISK)


def test_sections_land_where_a_clinician_would_put_them():
    soap = dict(write(MAYA, "SOAP").sections)
    assert "work has been really stressful" in soap["Subjective"]
    assert "affect was constricted" in soap["Objective"]
    assert "depression is worsening" in soap["Assessment"]
    assert "sleep diary" in soap["Plan"] and "check in on her father's visit" in soap["Plan"]
    birp = dict(write(MAYA, "BIRP").sections)
    assert "box breathing" in birp["Intervention"]
    assert "receptive" in birp["Response"]
    girp = dict(write(PRIYA, "GIRP", client="Priya").sections)
    assert "her goal is to be able to visit her mom" in girp["Goals"].lower()
    assert "grief processing" in girp["Intervention"]
    dap = dict(write(DANIEL, "DAP", client="Daniel Okafor").sections)
    assert "contemplation stage" in dap["Assessment"]
    assert "follow up on the meeting" in dap["Plan"]


def test_summary_is_one_informative_line_not_the_header():
    for memo, client in ((MAYA, "Maya Thompson"), (DANIEL, "Daniel Okafor"), (PRIYA, "Priya"), (NO_RISK, "Sam Lee")):
        note = write(memo, client=client)
        assert note.summary and "\n" not in note.summary
        assert not re.match(r"(?i)(session with|okay this is a note|note for)", note.summary), note.summary
        assert len(note.summary.split()) <= 40
        assert Evidence(memo).supports(note.summary)
        assert 1 <= len(note.key_points) <= 5


def test_homework_follow_ups_and_plan():
    maya = write(MAYA)
    assert any("keep a sleep diary" in h for h in maya.homework)
    assert any(f.lower().startswith("check in on her father's visit") for f in maya.follow_ups), maya.follow_ups
    assert any("revisit the safety plan" in f.lower() for f in maya.follow_ups)
    assert any("sleep diary" in p for p in maya.plan)
    daniel = write(DANIEL, client="Daniel Okafor")
    assert any("SMART Recovery meeting" in h for h in daniel.homework), daniel.homework
    assert not any("didn't do the homework" in h for h in daniel.homework)
    assert not any("SMART Recovery" in f for f in daniel.follow_ups), daniel.follow_ups
    assert any("follow up on the meeting" in f.lower() for f in daniel.follow_ups), daniel.follow_ups
    priya = write(PRIYA, client="Priya")
    assert any("write a letter to her mom" in h.lower() for h in priya.homework), priya.homework
    assert any("check in about the fainting" in f.lower() for f in priya.follow_ups), priya.follow_ups
    sam = write(NO_RISK, client="Sam Lee")
    assert any("review how the conversation with his manager went" in f.lower() for f in sam.follow_ups), sam.follow_ups
    assert not sam.homework


def test_measures_with_evidence():
    maya = {(m.name, m.score) for m in write(MAYA).measures}
    assert maya == {("PHQ-9", 17.0), ("GAD-7", 12.0)}
    assert {(m.name, m.score) for m in write(DANIEL, client="Daniel Okafor").measures} == {("AUDIT", 21.0)}
    priya = write(PRIYA, client="Priya").measures
    assert [(m.name, m.score) for m in priya] == [("BDI-II", 22.0)]
    assert "BDI-II was 22" in priya[0].evidence


def test_risks_with_status_and_qualifiers():
    maya = write(MAYA).risks
    [si] = [f for f in maya if f.kind == "passive_ideation"]
    assert si.status == "present" and {"passive", "no plan", "no intent"} <= set(si.qualifiers)
    assert ("self_harm", "denied") in {(f.kind, f.status) for f in maya}

    daniel = {(f.kind, f.status) for f in write(DANIEL, client="Daniel Okafor").risks}
    assert {("substance_risk", "present"), ("active_ideation", "denied"), ("harm_to_others", "denied"),
            ("abuse", "present")} <= daniel
    assert not {("active_ideation", "present"), ("passive_ideation", "present")} & daniel

    priya = {(f.kind, f.status) for f in write(PRIYA, client="Priya").risks}
    assert {("self_harm", "historical"), ("medical", "present")} <= priya


def test_alliance_signals_in_memos():
    maya = {(f.kind, f.evidence.split(",")[0]) for f in write(MAYA).alliance}
    assert {"rupture", "repair", "ambivalence"} <= {kind for kind, _ in maya}
    daniel = {f.kind for f in write(DANIEL, client="Daniel Okafor").alliance}
    assert {"resistance", "rupture"} <= daniel


def test_every_flag_and_line_is_quoted_from_the_memo():
    for memo in (MAYA, DANIEL, PRIYA, NO_RISK):
        for fmt in NOTE_FORMATS:
            note = write(memo, fmt)
            assert not unsupported(note, memo)
            sentences = {clean_sentence(s) for s in split_sentences(memo)}
            for flag in [*note.risks, *note.alliance]:
                assert flag.evidence in sentences


def test_writer_is_deterministic_and_honours_brief_preference():
    assert write(MAYA).to_json() == write(MAYA).to_json()
    brief = write(MAYA, preferences="keep it brief")
    assert all(len(split_sentences(t)) <= 3 for _, t in brief.sections if t != NOT_DISCUSSED)


def test_dictation_artefacts_and_fillers_are_cleaned():
    note = write("Session with Maya today period new paragraph um she said she's been, like, sleeping better period "
                 "uh we practiced grounding comma and she liked it period", "SOAP")
    text = " ".join(t for _, t in note.sections)
    assert "period" not in text and " um " not in f" {text} " and "like," not in text
    assert "She said she's been sleeping better." in text


def test_unsupported_catches_invented_lines():
    note = write(MAYA)
    invented = NoteDraft(**{**note.__dict__, "key_points": note.key_points + ("Client denies SI and is alert and oriented.",)})
    assert unsupported(invented, MAYA) == ["Client denies SI and is alert and oriented."]


JORDAN = """Jordan Reyes, 11/5 session.
Pt reports increased panic attacks, 3 this week, mostly on the subway. GAD-7 15.
Affect anxious, speech rapid. Used interoceptive exposure and built a hierarchy.
Pt engaged, rated SUDS down from 80 to 40 by end of session.
Assessment: panic disorder, improving tolerance of sensations.
Plan: continue exposures; f/u on work accommodation letter next session.
HW: interoceptive exposure (spinning, 3x daily) and ride one subway stop.
No SI/HI."""

RUN_ON = ("session with maya today she said work has been really stressful and she's not sleeping well she appeared "
          "tired and her affect was flat we practiced some breathing exercises and she was receptive i think she's "
          "making progress overall and for homework she'll keep a thought record and next session i want to check in "
          "on her dad's visit and she mentioned that sometimes she wishes she could go to sleep and not wake up but no plan")


def test_terse_typed_note_with_its_own_labels():
    note = write(JORDAN, "SOAP", client="Jordan Reyes")
    sections = dict(note.sections)
    assert sections["Assessment"].startswith("Panic disorder, improving tolerance of sensations.")
    assert sections["Plan"].startswith("Continue exposures")
    assert "interoceptive exposure (spinning" in sections["Plan"].lower()
    assert "No SI/HI." in " ".join(sections.values())  # the screening result is kept, as said
    assert note.homework == ("Interoceptive exposure (spinning, 3x daily) and ride one subway stop.",)
    assert note.follow_ups == ("F/u on work accommodation letter.",)
    assert {(m.name, m.score, m.earlier) for m in note.measures} == {("GAD-7", 15.0, None), ("SUDS", 40.0, 80.0)}
    assert {(f.kind, f.status) for f in note.risks} == {("active_ideation", "denied"), ("harm_to_others", "denied")}
    assert not unsupported(note, JORDAN)


def test_unpunctuated_whisper_memo_is_split_into_clauses():
    note = write(RUN_ON, "SOAP", client="Maya")
    sections = dict(note.sections)
    assert "She said work has been really stressful." in sections["Subjective"]
    assert "Her affect was flat." in sections["Objective"] or "her affect was flat" in sections["Objective"]
    assert "I think she's making progress overall." in sections["Assessment"]
    assert any("keep a thought record" in h for h in note.homework)
    assert "Check in on her dad's visit." in note.follow_ups
    [flag] = note.risks
    assert flag.kind == "passive_ideation" and {"passive", "no plan"} <= set(flag.qualifiers)
    assert not unsupported(note, RUN_ON)


def test_sentence_splitting_and_cleaning():
    text = ("Dr. Lee saw Maya T. on Monday, e.g. for the intake. She said, um, she's- she's been, like, "
            "really anxious, you know. [patient] i do n't know . Therapist: How was the week? Client: Fine.")
    assert split_sentences(text) == [
        "Dr. Lee saw Maya T. on Monday, e.g. for the intake.",
        "She said, um, she's- she's been, like, really anxious, you know.",
        "i don't know.",
        "How was the week?",
        "Fine.",
    ]
    assert clean_sentence("She said, um, she's- she's been, like, really anxious, you know.") == \
        "She said, she's been really anxious."
    assert clean_sentence("i i think uh the the plan works") == "I think the plan works."
    assert clean_sentence("Mm-hmm.") == ""
    assert clean_sentence("She went to the ER, er, yesterday") == "She went to the ER, yesterday."
    assert clean_sentence("Do you know what she said?") == "Do you know what she said?"
    assert normalise("She's  BEEN, um, anxious!") == normalise("she's been anxious") == "shes been anxious"


def test_cleaning_is_idempotent_on_real_text(shared_data):
    documents = _annomi(shared_data)[:20]
    for document in documents:
        source = f" {normalise(document)} "
        for sentence in split_sentences(document):
            cleaned = clean_sentence(sentence)
            assert clean_sentence(cleaned) in (cleaned, "") if cleaned else True
            assert f" {normalise(cleaned)} " in source or not normalise(cleaned)


# --- schema ----------------------------------------------------------------------------------------------------

def test_schema_round_trip_and_strict_json_schema():
    note = write(MAYA, "BIRP")
    schema_note = NoteSchema.from_draft(note)
    again = schema_note.to_draft(note.client_name, note.session_date, "offline")
    assert again == note
    schema = NoteSchema.json_schema("BIRP")
    assert schema["properties"]["sections"]["required"] == list(FORMAT_SECTIONS["BIRP"])
    assert schema["properties"]["format"]["enum"] == ["BIRP"]

    def check(node):
        if isinstance(node, dict):
            assert "default" not in node
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert set(node["required"]) == set(node["properties"])
            for value in node.values():
                check(value)
        elif isinstance(node, list):
            for value in node:
                check(value)

    check(schema)


def test_schema_to_draft_fills_missing_sections():
    parsed = NoteSchema.model_validate({"format": "DAP", "sections": {"data": "She slept badly."}, "summary": "She slept badly."})
    draft = parsed.to_draft("Maya", DAY, "openai")
    assert draft.sections == (("Data", "She slept badly."), ("Assessment", NOT_DISCUSSED), ("Plan", NOT_DISCUSSED))
    assert draft.writer == "openai"


# --- no invented content on real corpora ----------------------------------------------------------------------

def _annomi(shared: Path) -> list[str]:
    by_id: dict[str, list[str]] = defaultdict(list)
    with open(shared / "annomi" / "annomi-dev.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_id[row["transcript_id"]].append(row["utterance_text"])
    return ["\n".join(utterances) for utterances in by_id.values()]


def _aci(shared: Path) -> list[str]:
    docs: list[str] = []
    for path in sorted((shared / "aci-bench").glob("*virtscribe*.csv")):
        if path.name.endswith("_metadata.csv"):
            continue
        with open(path, newline="", encoding="utf-8") as handle:
            docs += [row["dialogue"] for row in csv.DictReader(handle)]
    with open(shared / "aci-bench" / "train.csv", newline="", encoding="utf-8") as handle:
        docs += [row["dialogue"] for i, row in enumerate(csv.DictReader(handle)) if i % 2 == 0]
    return docs


def test_no_invented_content_on_real_transcripts(shared_data):
    documents = _annomi(shared_data) + _aci(shared_data)
    assert len(documents) >= 110
    checked_docs = checked_lines = 0
    failures: list[str] = []
    for index, document in enumerate(documents):
        note = WRITER.write(document, note_format=NOTE_FORMATS[index % 4], session_date=DAY, client_name=None)
        source = f" {normalise(document)} "
        lines = note_sentences(note)
        for line in lines:
            if f" {normalise(line)} " not in source:
                failures.append(line)
        for _, text in note.sections:
            assert text == NOT_DISCUSSED or text.strip()
        checked_docs += 1
        checked_lines += len(lines)
    assert checked_lines > 2000
    assert not failures, f"{len(failures)} of {checked_lines} lines from {checked_docs} documents not in source: {failures[:5]}"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("On the PHQ 9 questionnaire she scored 14.", [("PHQ-9", 14.0)]),
        ("On the GAD-7 he scored a 10.", [("GAD-7", 10.0)]),
        ("We talked about the PHQ-9, she had three kids.", []),  # a number near a scale is not its score
    ],
)
def test_measure_phrasings(sentence, expected):
    from core.notes.measures import find_measures

    assert [(m.name, m.score) for m in find_measures([sentence])] == expected


def test_a_heading_dictated_as_its_own_sentence_labels_the_next():
    # Whisper often ends a dictated "Homework:" with a full stop.
    note = OfflineNoteWriter().write(
        "Session with Lena Brandt. She felt calmer. Homework. Plan one pleasant activity each day. "
        "Plan, practise the conversation with her sister next session.",
        note_format="SOAP", session_date=date(2026, 11, 20), client_name="Lena Brandt",
    )
    assert note.homework == ("Plan one pleasant activity each day.",)
