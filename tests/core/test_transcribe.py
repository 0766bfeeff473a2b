"""Local transcription on real speech (../shared/data/speech), the demo memos, and bad input."""
from __future__ import annotations

import csv
import io
import logging
import re
import wave
from pathlib import Path

import pytest

from bots.samples.samples import load_samples
from core.speech import local as tr
from core.config import Settings
from core.errors import AudioError, NoSpeech
from core.speech.local import LocalTranscriber, TranscriptResult, make_transcriber

JFK = "and so my fellow americans ask not what your country can do for you ask what you can do for your country"
HINTS = ("Maya Thompson", "Daniel Okafor")

# --- word error rate ---------------------------------------------------------------------------------
# Normalisation: lowercase; hyphens split words; digits become words (Whisper writes "10 of clubs",
# the references say "ten of clubs"); "mr" -> "mister"; other punctuation and apostrophes dropped.

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    return " ".join(_ONES[int(d)] for d in str(n))


def normalise(text: str) -> list[str]:
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text.lower().replace("-", " "))
    words = re.sub(r"[^\w\s']", " ", text).replace("'", "").split()
    return ["mister" if w == "mr" else w for w in words]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev_diag, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev_diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev_diag + (r != h))
    return row[-1]


def test_edit_distance_and_normalise():
    assert edit_distance("a b c".split(), "a x c d".split()) == 2
    assert normalise("Go forward 10 meters, Mr. Ill-disposed!") == "go forward ten meters mister ill disposed".split()


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def transcriber() -> LocalTranscriber:
    local = LocalTranscriber(Settings())
    local.model  # noqa: B018 - load the weights once for the whole module
    return local


@pytest.fixture(scope="module")
def speech(shared_data: Path) -> Path:
    return shared_data / "speech"


def silent_wav(seconds: float, rate: int = 16_000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x00\x00" * int(seconds * rate))
    return buf.getvalue()


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if audio gets decoded (checks must refuse before that)."""
    def boom(_data):
        raise AssertionError("audio was decoded")

    monkeypatch.setattr(tr, "_decode", boom)


# --- real speech -------------------------------------------------------------------------------------


def test_word_error_rate_on_real_speech_under_10_percent(transcriber, speech):
    with (speech / "references.tsv").open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 10
    errors = words = 0
    for row in rows:
        # With the therapist's client names primed, as the service runs it.
        text = transcriber.transcribe((speech / row["file"]).read_bytes(), hint_names=HINTS).text
        # Priming must not put words in anyone's mouth.
        assert not re.search(r"Maya|Thompson|Daniel|Okafor", text), row["file"]
        ref = normalise(row["reference"])
        errors += edit_distance(ref, normalise(text))
        words += len(ref)
    wer = errors / words
    print(f"WER {wer:.3f} ({errors}/{words} words, {len(rows)} clips)")
    assert wer < 0.10


@pytest.mark.parametrize("name", ["jfk.ogg", "jfk.m4a", "jfk.webm", "jfk.mp3", "../jfk.flac"])
def test_every_container_transcribes(transcriber, speech, name):
    result = transcriber.transcribe((speech / "formats" / name).read_bytes())
    assert isinstance(result, TranscriptResult)
    assert result.text == result.text.strip() and "  " not in result.text
    assert edit_distance(normalise(JFK), normalise(result.text)) <= 2
    assert 10.5 < result.duration_s < 11.5


# --- bad input ---------------------------------------------------------------------------------------


def test_corrupt_file_is_a_clear_error(transcriber, speech):
    with pytest.raises(AudioError) as err:
        transcriber.transcribe((speech / "formats" / "corrupt.ogg").read_bytes(), filename="corrupt.ogg")
    message = str(err.value)
    assert "couldn't read that file as audio" in message and "damaged" in message
    assert "OGG" in message and "M4A" in message
    assert "corrupt.ogg" not in message


def test_text_file_is_a_clear_error(transcriber, speech):
    data = (speech / "formats" / "not-audio.txt").read_bytes()
    with pytest.raises(AudioError) as err:
        transcriber.transcribe(data, filename="Maya notes.txt")
    message = str(err.value)
    assert "looks like text" in message and "voice memo" in message
    assert "Maya" not in message and data.decode().strip() not in message


def test_empty_memo(transcriber):
    with pytest.raises(AudioError, match="That memo is empty"):
        transcriber.transcribe(b"")


def test_oversized_memo_refused_before_decoding(speech, no_decoding, monkeypatch):
    small = LocalTranscriber(Settings(max_memo_mb=0.01))  # 10 KB; jfk.ogg is 33 KB
    monkeypatch.setattr(tr.av, "open", lambda *a, **k: pytest.fail("opened before the size check"))
    with pytest.raises(AudioError) as err:
        small.transcribe((speech / "formats" / "jfk.ogg").read_bytes())
    assert "over the 0.01 MB limit" in str(err.value)


@pytest.mark.parametrize("name", ["formats/jfk.ogg", "formats/jfk.webm", "jfk.flac"])
def test_too_long_memo_refused_before_decoding(speech, no_decoding, name):
    short = LocalTranscriber(Settings(max_memo_minutes=0.1))  # 6 s; the clip is 11 s
    with pytest.raises(AudioError) as err:
        short.transcribe((speech / name).read_bytes())
    assert "minutes long, over the 0.1-minute limit" in str(err.value)


def browser_webm(source: Path) -> bytes:
    """Remux as a browser's MediaRecorder writes WebM: live, so the header carries no duration."""
    import av

    out_buf = io.BytesIO()
    with av.open(str(source)) as src, av.open(out_buf, "w", format="webm", options={"live": "1"}) as out:
        stream = out.add_stream_from_template(src.streams.audio[0])
        for packet in src.demux(src.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    with av.open(io.BytesIO(out_buf.getvalue())) as check:
        assert check.duration is None and check.streams.audio[0].duration is None
    return out_buf.getvalue()


def test_too_long_memo_without_duration_header_refused_before_decoding(speech, no_decoding):
    short = LocalTranscriber(Settings(max_memo_minutes=0.1))
    with pytest.raises(AudioError, match="over the 0.1-minute limit"):
        short.transcribe(browser_webm(speech / "formats" / "jfk.webm"))


def test_webm_without_duration_header_transcribes(transcriber, speech):
    result = transcriber.transcribe(browser_webm(speech / "formats" / "jfk.webm"))
    assert edit_distance(normalise(JFK), normalise(result.text)) <= 2


def test_silence_is_no_speech(transcriber):
    with pytest.raises(NoSpeech) as err:
        transcriber.transcribe(silent_wav(4.0), hint_names=HINTS)  # primed: must not echo the names
    assert "couldn't hear any speech" in str(err.value)


def test_noise_markers_are_dropped():
    assert tr.clean_text([" [BLANK_AUDIO] ", " (silence) ♪"]) == ""
    assert tr.clean_text([" Hello there. ", " [Music] How are you? "]) == "Hello there. How are you?"


# --- demo memos and priming --------------------------------------------------------------------------


def test_demo_memos_transcribe_with_client_names(transcriber):
    samples = load_samples()
    assert len(samples) >= 3 and {s["client"] for s in samples} == set(HINTS)
    for sample in samples:
        data = sample["path"].read_bytes()
        assert len(data) < 150 * 1024
        result = transcriber.transcribe(data, filename=sample["file"], hint_names=HINTS)
        assert 15 <= result.duration_s <= 40
        assert sample["client"] in result.text, sample["file"]
        ref = normalise(sample["text"])
        assert edit_distance(ref, normalise(result.text)) / len(ref) < 0.10, sample["file"]


def test_hint_prompt_is_a_bare_bounded_name_list():
    assert tr.hint_prompt([" Maya Thompson", "Maya Thompson", "", "Daniel Okafor"]) == "Maya Thompson, Daniel Okafor."
    assert tr.hint_prompt([]) is None
    assert len(tr.hint_prompt([f"Client Number{i}" for i in range(200)])) <= tr.MAX_HINT_CHARS


def test_logs_hold_no_transcript_or_file_name(transcriber, caplog):
    sample = load_samples()[0]
    with caplog.at_level(logging.DEBUG, logger="core.speech.local"):
        transcriber.transcribe(sample["path"].read_bytes(), filename="Maya Thompson.ogg", hint_names=HINTS)
    assert "transcribed" in caplog.text
    for secret in ("Maya", "Thompson", "anxious", ".ogg"):
        assert secret not in caplog.text


# --- wiring ------------------------------------------------------------------------------------------


def test_model_is_loaded_once_per_process(transcriber):
    assert LocalTranscriber(Settings()).model is transcriber.model


def test_make_transcriber():
    assert isinstance(make_transcriber(Settings(transcriber="local")), LocalTranscriber)
    with pytest.raises(ValueError, match="Unknown transcriber 'whisperx'"):
        make_transcriber(Settings(transcriber="whisperx"))
