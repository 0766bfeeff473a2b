"""Cloud transcription (ALLIANCE_TRANSCRIBER=openai) against the local fake audio API, with real clips."""
from __future__ import annotations

import pytest

from core.config import Settings
from core.errors import AllianceError, AudioError, NoSpeech
from core.speech.cloud import OpenAITranscriber
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)
from tests import support

JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def transcriber(fake, tmp_path, **overrides) -> OpenAITranscriber:
    settings = Settings(
        data_dir=tmp_path, transcriber="openai", openai_base_url=fake.url + "/v1", openai_api_key="test-key", **overrides
    )
    return OpenAITranscriber(settings, sleep=lambda s: None)


def audio_requests(fake):
    return [r for r in fake.requests if r.path.endswith("/audio/transcriptions")]


@pytest.mark.parametrize("name, ext", [("jfk.ogg", "ogg"), ("jfk.m4a", "m4a"), ("jfk.mp3", "mp3"), ("jfk.webm", "webm")])
def test_memo_is_transcribed_by_the_cloud_model(fake_openai, tmp_path, shared_data, name, ext):
    fake_openai.transcription(JFK)
    audio = (shared_data / "speech" / "formats" / name).read_bytes()
    result = transcriber(fake_openai, tmp_path).transcribe(audio, filename=f"Maya Thompson {name}", hint_names=["Maya Thompson", "Daniel Okafor"])
    assert result.text == JFK
    assert 10 < result.duration_s < 12  # from the container, as the local transcriber reports it
    (request,) = audio_requests(fake_openai)
    assert request.form["model"] == "whisper-1"
    assert request.form["file"]["filename"] == f"memo.{ext}"  # never the therapist's file name
    assert request.form["file"]["data"] == audio
    assert "Maya" not in str(request.form) and "Daniel" not in str(request.form)  # no client list sent


def test_model_setting_is_used(fake_openai, tmp_path, shared_data):
    fake_openai.transcription("one two three")
    audio = (shared_data / "speech" / "sr_english.wav").read_bytes()
    transcriber(fake_openai, tmp_path, openai_transcribe_model="gpt-4o-mini-transcribe").transcribe(audio)
    assert audio_requests(fake_openai)[0].form["model"] == "gpt-4o-mini-transcribe"


@pytest.mark.parametrize(
    "name, words",
    [("not-audio.txt", "looks like text"), ("corrupt.ogg", "couldn't read that file as audio")],
)
def test_bad_files_get_the_local_messages_and_are_never_uploaded(fake_openai, tmp_path, shared_data, name, words):
    audio = (shared_data / "speech" / "formats" / name).read_bytes()
    with pytest.raises(AudioError) as caught:
        transcriber(fake_openai, tmp_path).transcribe(audio, filename=name)
    assert words in str(caught.value)
    assert audio_requests(fake_openai) == []


def test_too_big_is_refused_before_upload(fake_openai, tmp_path, shared_data):
    audio = (shared_data / "speech" / "formats" / "jfk.ogg").read_bytes()
    with pytest.raises(AudioError) as caught:
        transcriber(fake_openai, tmp_path, max_memo_mb=0.01).transcribe(audio)
    assert "over the 0.01 MB limit" in str(caught.value)
    assert audio_requests(fake_openai) == []


def test_empty_memo_is_refused(fake_openai, tmp_path):
    with pytest.raises(AudioError) as caught:
        transcriber(fake_openai, tmp_path).transcribe(b"")
    assert "empty" in str(caught.value)


def test_silence_says_no_speech(fake_openai, tmp_path, shared_data):
    fake_openai.transcription("")
    audio = (shared_data / "speech" / "sr_english.wav").read_bytes()
    with pytest.raises(NoSpeech):
        transcriber(fake_openai, tmp_path).transcribe(audio)


def test_service_outage_keeps_the_memo_for_retry(fake_openai, tmp_path, shared_data):
    for _ in range(5):
        fake_openai.transcription(status=503)
    audio = (shared_data / "speech" / "sr_english.wav").read_bytes()
    with pytest.raises(AllianceError) as caught:
        transcriber(fake_openai, tmp_path).transcribe(audio)
    assert not isinstance(caught.value, AudioError)  # not the audio's fault: the memo pipeline offers /retry
    assert "unavailable" in str(caught.value)
    assert len(audio_requests(fake_openai)) == 5


def test_wrong_key_is_named_plainly(fake_openai, tmp_path, shared_data):
    fake_openai.api_key = "another-key"
    audio = (shared_data / "speech" / "sr_english.wav").read_bytes()
    with pytest.raises(AllianceError) as caught:
        transcriber(fake_openai, tmp_path).transcribe(audio)
    assert "API key" in str(caught.value) and "test-key" not in str(caught.value)


async def test_voice_memo_through_the_service_with_cloud_transcription(fake_openai, tmp_path, shared_data):
    from bots.bootstrap import build_assistant
    from core.types import AudioMemo

    settings = Settings(
        data_dir=tmp_path / "data", transcriber="openai", openai_base_url=fake_openai.url + "/v1", openai_api_key="test-key"
    )
    service = build_assistant(settings)
    sender = service.console_sender("Dr. Robin Example")
    support.add_client(service, service.therapist_id(sender), "Maya Thompson")
    fake_openai.transcription("Session with Maya Thompson today. She has been keeping a sleep diary.")
    audio = (shared_data / "speech" / "formats" / "jfk.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo("m1", audio, "Maya Thompson.ogg"))
    reply = await service.finish_memo(service.therapist_id(sender), receipt.memo_id)

    assert reply.note is not None and reply.note.client_name == "Maya Thompson"
    assert "sleep diary" in " ".join(text for _, text in reply.note.sections)
    assert audio_requests(fake_openai)[0].form["file"]["filename"] == "memo.ogg"


async def test_cloud_outage_keeps_the_memo_and_retry_finishes_it(fake_openai, tmp_path, shared_data):
    from bots.bootstrap import build_assistant
    from core.types import AudioMemo

    settings = Settings(
        data_dir=tmp_path / "data", transcriber="openai", openai_base_url=fake_openai.url + "/v1", openai_api_key="test-key",
        llm_max_retries=0,
    )
    service = build_assistant(settings)
    sender = service.console_sender("Dr. Robin Example")
    support.add_client(service, service.therapist_id(sender), "Maya Thompson")
    fake_openai.transcription(status=503)
    audio = (shared_data / "speech" / "formats" / "jfk.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo("m1", audio, "memo.ogg"))
    failed = await service.finish_memo(service.therapist_id(sender), receipt.memo_id)
    assert failed.note is None and "unavailable" in failed.text and "/retry" in failed.text

    fake_openai.transcription("Session with Maya Thompson today. She has been keeping a sleep diary.")
    retried = await service.receive_text(sender, "/retry", message_id="r1")
    assert retried.note is not None and retried.note.client_name == "Maya Thompson"
