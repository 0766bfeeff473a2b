"""Names passed with a memo prime the decoder: a name the model has never seen comes out spelled right.

The clips (tests/fixtures/speech/names-*.ogg, made by make_fixtures.py with espeak-ng) are dictations
that open with the client's name, in five voices and speeds. The hint list is a whole caseload, as
the service passes it: the one client said, and others who were not.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from core.config import Settings
from core.speech.local import LocalTranscriber

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "speech"
CLIPS = json.loads((FIXTURES / "names.json").read_text())
CASELOAD = (
    "Maya Thompson", "Daniel Okafor", "Tomasz Kowalczyk", "Aisha Bello", "Mateo Alvarez",
    *(clip["name"] for clip in CLIPS),
)


@pytest.fixture(scope="module")
def transcriber() -> LocalTranscriber:
    return LocalTranscriber(Settings())


def said(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def test_fixture_clips_are_small_and_open_with_the_name():
    for clip in CLIPS:
        assert (FIXTURES / clip["file"]).stat().st_size < 40 * 1024
        assert clip["name"] in " ".join(clip["text"].split()[:5])


@pytest.mark.parametrize("clip", CLIPS, ids=[c["name"] for c in CLIPS])
def test_new_client_name_is_spelled_right_when_primed(transcriber, clip):
    audio = (FIXTURES / clip["file"]).read_bytes()
    text = transcriber.transcribe(audio, filename=clip["file"], hint_names=CASELOAD).text
    opening = " ".join(text.split()[:6])
    assert said(clip["name"], opening), opening  # the name that files the note under the right client
    others = [n for n in CASELOAD if n != clip["name"] and said(n, text)]
    assert not others, others  # no other client's name put into this note


def test_priming_is_what_gets_the_names_right(transcriber):
    """Without the names, tiny.en writes what it hears ("Neem Gallagher", "Session women win")."""
    unprimed = sum(
        said(clip["name"], transcriber.transcribe((FIXTURES / clip["file"]).read_bytes()).text) for clip in CLIPS
    )
    assert unprimed <= len(CLIPS) // 2


def test_a_single_name_primes_as_well_as_a_caseload(transcriber):
    clip = next(c for c in CLIPS if c["name"] == "Siobhan")
    text = transcriber.transcribe((FIXTURES / clip["file"]).read_bytes(), hint_names=["Siobhan"]).text
    assert said("Siobhan", text)


def test_primed_names_stay_out_of_the_logs(transcriber, caplog):
    clip = CLIPS[0]
    with caplog.at_level(logging.DEBUG):
        transcriber.transcribe((FIXTURES / clip["file"]).read_bytes(), filename=clip["file"], hint_names=CASELOAD)
    assert "transcribed" in caplog.text
    for secret in (*CASELOAD, clip["file"], "PHQ"):
        assert secret not in caplog.text


def test_clinical_vocabulary_is_primed_before_the_names_by_default(transcriber):
    from core.speech.priming import CLINICAL_VOCABULARY, hint_prompt, vocabulary_setting

    assert transcriber.vocabulary == list(CLINICAL_VOCABULARY)
    assert vocabulary_setting("none") == vocabulary_setting("") == []
    assert vocabulary_setting(" CBT , exposure and response prevention,") == ["CBT", "exposure and response prevention"]
    prompt = hint_prompt(["Siobhan"], CLINICAL_VOCABULARY)
    assert prompt.startswith("PHQ-9, GAD-7, ") and prompt.endswith(", Siobhan.")
    # A long caseload keeps every name it can; the terms give way first.
    many = [f"Client Number{i}" for i in range(20)]
    assert all(n in hint_prompt(many, CLINICAL_VOCABULARY) for n in many)


def test_vocabulary_gets_scale_names_right_without_putting_a_client_in(transcriber):
    """Unprimed, tiny.en heard "GAD-7" as "G. Adeyemi" — another client's surname in this note."""
    plain = LocalTranscriber(Settings(whisper_vocabulary="none"))
    clips = [c for c in CLIPS if "GAD-7" in c["text"]]
    assert len(clips) >= 2
    primed = [transcriber.transcribe((FIXTURES / c["file"]).read_bytes(), hint_names=CASELOAD).text for c in clips]
    unprimed = [plain.transcribe((FIXTURES / c["file"]).read_bytes(), hint_names=CASELOAD).text for c in clips]
    assert all("GAD-7" in text for text in primed), primed
    assert sum("GAD-7" in text for text in unprimed) < len(clips)


def test_vocabulary_is_never_primed_without_names(transcriber, shared_data):
    """Primed alone, the vocabulary turned a recording of "five five" into "PHQ-5": an invented score."""
    from core.speech.priming import CLINICAL_VOCABULARY, hint_prompt

    assert hint_prompt([], CLINICAL_VOCABULARY) is None
    clip = (shared_data / "speech" / "ps_cards_004.wav").read_bytes()
    for names in ((), CASELOAD):
        assert "PHQ" not in transcriber.transcribe(clip, hint_names=names).text
