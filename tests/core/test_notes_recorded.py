"""A long recorded visit goes through the trained models (what to keep, which SOAP section), and risk
phrasings said in many voices are caught by the frame patterns: what a clinician reading the note sees."""
from __future__ import annotations

from datetime import date

import pytest

from bench.bench_risk import load_cases, outcome
from core.language.text import normalise
from core.notes.safety import detect_risks
from core.notes.writer import NOT_DISCUSSED, OfflineNoteWriter, unsupported

# An invented visit (no real people), long enough (> 40 sentences) to be treated as a recording.
VISIT = """[doctor] hi , mr. harlow . how are you today ?
[patient] hi , doctor . i'm okay , thanks .
[doctor] good . so , i know the nurse told you a little bit about the recorder . is that okay ?
[patient] yes , that's fine .
[doctor] great . so , mr. harlow is a 58-year-old male with a history of type 2 diabetes and high blood pressure who is here for a follow up .
[doctor] how have you been doing since the last visit ?
[patient] well , my knee has been really sore for about three weeks now .
[patient] it started after i went hiking with my grandson .
[patient] it's worse when i go down the stairs .
[doctor] okay . have you taken anything for it ?
[patient] i've been taking ibuprofen twice a day , and it helps a little .
[doctor] okay . any swelling ?
[patient] yes , it swells up in the evening .
[doctor] and how about your sugars ?
[patient] my sugars have been running around one fifty in the mornings .
[patient] i have been forgetting my metformin on the weekends .
[doctor] okay . how is the diet going ?
[patient] not great , honestly . we eat out a lot .
[doctor] okay . any chest pain or shortness of breath ?
[patient] no , none of that .
[doctor] good . how is your mood ?
[patient] pretty good , i've been sleeping fine .
[doctor] great . did you watch the game last night ?
[patient] oh yeah , what a finish .
[doctor] it was great . okay , let's take a look at you .
[doctor] so on exam , your blood pressure today is 142 over 88 .
[doctor] your heart has a regular rate and rhythm with no murmurs .
[doctor] your lungs are clear to auscultation bilaterally .
[doctor] on exam of your right knee , there is mild swelling and tenderness along the medial joint line .
[doctor] you have full range of motion but pain with deep flexion .
[doctor] i reviewed your labs , and your hemoglobin a1c is 7.9 , up from 7.2 .
[patient] okay , that's not great .
[doctor] so for your first problem , the right knee pain , i think this is most likely a medial meniscus strain .
[doctor] i want you to rest it and use ice twice a day .
[doctor] i'm going to order an x-ray of the right knee .
[doctor] i'm also going to refer you to physical therapy .
[doctor] for your diabetes , your a1c is higher than we would like .
[doctor] i want you to take your metformin every day , including weekends .
[doctor] i'm also going to refer you to a dietitian .
[doctor] for your blood pressure , it is a little high today .
[doctor] i'd like you to check it at home and send me the readings in two weeks .
[doctor] we will recheck your a1c in three months .
[patient] okay , that sounds good .
[doctor] do you have any questions for me ?
[patient] no , i think that covers it .
[doctor] alright . the nurse will be in to get you checked out .
[patient] thank you , doctor .
[doctor] take care .
"""


def _soap(transcript: str) -> dict[str, str]:
    note = OfflineNoteWriter().write(transcript, note_format="SOAP", session_date=date(2026, 11, 20), client_name=None)
    assert not unsupported(note, transcript)
    return {name: normalise(text) for name, text in note.sections}


def test_a_recorded_visit_is_sorted_into_soap_sections_without_inventing_anything():
    soap = _soap(VISIT)
    assert "58 year old male with a history of type 2 diabetes" in soap["Subjective"]
    assert "regular rate and rhythm" in soap["Objective"]
    assert "tenderness along the medial joint line" in soap["Objective"]
    assert "recheck your a1c in three months" in soap["Plan"]
    whole = " ".join(soap.values())
    assert "what a finish" not in whole and "take care" not in whole  # small talk is not note material
    assert all(text != normalise(NOT_DISCUSSED) for text in soap.values())


def test_a_recorded_sentence_loses_its_conversational_opening():
    soap = _soap(VISIT)
    assert soap["Subjective"].startswith("mr harlow is a 58")
    assert soap["Objective"].startswith("on exam")


@pytest.mark.parametrize("name", ["dev_v2.jsonl", "check_v2.jsonl"])
def test_second_round_labelled_risk_sets(name):
    cases = load_cases(f"risk_{name}")
    wrong = [(kind, status, s) for kind, status, s in cases if outcome(kind, status, s) != "ok"]
    assert len(wrong) <= 2, wrong  # the check set keeps one honest miss ("holding ice ... until it burns")


@pytest.mark.parametrize("sentence, kind", [
    ("she said she just wants to stop existing", "passive_ideation"),
    ("He told me nobody would miss him.", "passive_ideation"),
    ("Pt rehomed her cat last week and wrote letters to each of her kids.", "preparatory_behaviour"),
    ("He looked up how many of his tablets it would take.", "preparatory_behaviour"),
    ("She is terrified she will hurt her baby.", "harm_to_others"),
    ("was hit by her boyfriend with a shoe", "abuse"),
    ("He has been mixing his Xanax with vodka.", "substance_risk"),
    ("she drank until she passed out", "substance_risk"),
    ("He scratches his arms until they bleed when he is anxious.", "self_harm"),
])
def test_risk_said_in_another_voice_is_flagged(sentence, kind):
    assert (kind, "present") in {(f.kind, f.status) for f in detect_risks(sentence)}


@pytest.mark.parametrize("sentence, kind, status", [
    ("Denies any wish to be dead.", "passive_ideation", "denied"),
    ("no thoughts of harming others", "harm_to_others", "denied"),
    ("She denies cutting.", "self_harm", "denied"),
    ("Years ago she stockpiled paracetamol.", "preparatory_behaviour", "historical"),
    ("He was beaten by his father as a boy.", "abuse", "historical"),
])
def test_denials_and_history_keep_their_status(sentence, kind, status):
    assert (kind, status) in {(f.kind, f.status) for f in detect_risks(sentence)}


@pytest.mark.parametrize("sentence", [
    "She's tired of being here at this job and wants a transfer.",
    "He bought rope to tie down the kayak.",
    "He hurt himself playing football.",
    "She said she'll kill her presentation tomorrow.",
    "\"I could kill him for eating my leftovers,\" she laughed.",
    "She wants to disappear for a weekend with no phone.",
    "He drinks a lot of fizzy water.",
    "She gave her old bike to her niece.",
])
def test_look_alikes_raise_no_present_flag(sentence):
    assert not [f for f in detect_risks(sentence) if f.status == "present"], detect_risks(sentence)
