"""Decoding threads, memory figures and model choice for the local transcriber."""
from __future__ import annotations

import hashlib
import shutil
import sys

import pytest

from core.config import Settings
from bots.doctor import check_transcriber
from core.errors import AllianceError
from core.speech import models
from core.speech.local import LocalTranscriber, bundled_model_path, make_transcriber
from core.speech.resources import PROCESS_BASE_MB, available_cores, decoding_threads, model_memory_mb


def test_threads_share_all_but_one_core_between_concurrent_memos():
    assert decoding_threads(1, cores=2) == 1  # measured fastest on 2 cores, for tiny.en and base
    assert decoding_threads(2, cores=2) == 1
    assert decoding_threads(3, cores=2) == decoding_threads(1, cores=1) == 1  # never 0
    assert decoding_threads(1, cores=4) == 3
    assert decoding_threads(2, cores=8) == 3
    assert decoding_threads(0, cores=4) == 3  # nonsense concurrency is one memo
    assert decoding_threads(1) == max(1, available_cores() - 1)


def test_transcriber_threads_come_from_concurrency_unless_overridden(monkeypatch):
    cores = available_cores()
    assert LocalTranscriber(Settings()).threads == decoding_threads(1, cores)
    assert LocalTranscriber(Settings(), concurrency=2).threads == decoding_threads(2, cores)
    assert make_transcriber(Settings(), threads=3).threads == 3
    assert make_transcriber(Settings(), concurrency=2).workers == 2  # two memos decode together, not queued
    monkeypatch.setenv("ALLIANCE_WHISPER_THREADS", "1")  # the operator's word wins
    assert LocalTranscriber(Settings(), threads=3, concurrency=1).threads == 1


def test_memory_figures_cover_every_model_and_a_directory():
    for name in models.MODELS:
        settings = Settings(whisper_model=name)
        idle, one, two = (model_memory_mb(settings, concurrency=n) for n in (0, 1, 2))
        assert 0 < idle < one < two
    tiny, base = Settings(), Settings(whisper_model="base")
    assert model_memory_mb(tiny) < model_memory_mb(base)
    assert model_memory_mb(Settings(whisper_model="/srv/whisper-custom")) == model_memory_mb(base)
    assert PROCESS_BASE_MB + model_memory_mb(tiny) < 1024  # one memo at a time fits a 1 GB machine


def test_doctor_reports_model_language_and_threads():
    line = check_transcriber(Settings()).line()
    assert line.startswith("OK       whisper weights: present") and "tiny.en, English only" in line
    assert "language English" in line and f"{decoding_threads(1)} decoding thread" in line
    assert check_transcriber(Settings(whisper_language="de")).status == "PROBLEM"  # tiny.en is English only
    assert check_transcriber(Settings(whisper_model="small")).status == "PROBLEM"  # never downloaded


def test_model_names_and_directories():
    assert models.model_name(None) == models.model_name(" Tiny.EN ") == "tiny.en"
    assert models.model_name("/srv/whisper") == "/srv/whisper"
    assert models.model_dir("tiny.en", data_dir=None) == bundled_model_path()


@pytest.fixture
def split_model(tmp_path, monkeypatch):
    """The bundled tiny.en weights split in two installed packages, as the base model is shipped."""
    source = bundled_model_path()
    blob = open(f"{source}/model.bin", "rb").read()
    half = len(blob) // 2
    for i, part in enumerate((blob[:half], blob[half:]), 1):
        data = tmp_path / "site" / f"split_part{i}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("")
        (data / f"model.bin.part{i}").write_bytes(part)
        if i == 1:
            for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
                shutil.copyfile(f"{source}/{extra}", data / extra)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    choice = models.ModelChoice("split", ("split_part1", "split_part2"), False, hashlib.sha256(blob).hexdigest())
    monkeypatch.setitem(models.MODELS, "split", choice)
    monkeypatch.setitem(models.PIP_NAMES, "split", "split-part1 split-part2")
    yield choice, tmp_path / "data"
    for name in ("split_part1", "split_part2"):
        sys.modules.pop(name, None)


def test_split_model_is_joined_once_and_transcribes(split_model, shared_data):
    _choice, data_dir = split_model
    transcriber = LocalTranscriber(Settings(whisper_model="split", data_dir=data_dir))
    jfk = (shared_data / "speech" / "jfk.flac").read_bytes()
    assert "ask not what your country" in transcriber.transcribe(jfk).text.lower()
    joined = data_dir / "models" / "whisper-split"
    assert (joined / "model.bin").is_file() and not [p for p in joined.parent.iterdir() if p.name.startswith(".")]


def test_damaged_split_model_is_refused(split_model):
    choice, data_dir = split_model
    models.MODELS["split"] = models.ModelChoice(choice.name, choice.packages, False, "0" * 64)
    with pytest.raises(models.ModelMissing, match="do not match"):
        models.model_dir("split", data_dir)
    assert not (data_dir / "models" / "whisper-split").exists()  # nothing half-joined left to load later


def test_missing_weights_keep_the_memo(tmp_path, monkeypatch, shared_data):
    monkeypatch.setitem(models.MODELS, "gone", models.ModelChoice("gone", ("no_such_package_xyz",), True, "0" * 64))
    monkeypatch.setitem(models.PIP_NAMES, "gone", "no-such-package")
    transcriber = LocalTranscriber(Settings(whisper_model="gone", data_dir=tmp_path))
    with pytest.raises(AllianceError, match="not installed.*memo is kept"):
        transcriber.transcribe((shared_data / "speech" / "jfk.flac").read_bytes())


def test_long_memo_is_transcribed_in_pieces_cut_at_pauses():
    """Memory stays bounded on long memos; cutting must not lose or garble the words at the cuts."""
    import numpy as np

    from bots.samples.samples import load_samples
    from core.speech.local import SAMPLE_RATE, pieces

    samples = np.random.default_rng(1).standard_normal(SAMPLE_RATE * 70).astype(np.float32)
    samples[SAMPLE_RATE * 25 : SAMPLE_RATE * 26] = 0  # a pause inside the last 20 s before 30 s
    parts = pieces(samples, seconds=30)
    assert 25 * SAMPLE_RATE <= len(parts[0]) <= 26 * SAMPLE_RATE
    assert all(len(p) <= 30 * SAMPLE_RATE for p in parts) and sum(map(len, parts)) == len(samples)

    sample = load_samples()[0]  # ~24 s: in pieces of 10 s, cut wherever the speaker pauses
    transcriber = LocalTranscriber(Settings())
    whole = transcriber.transcribe(sample["path"].read_bytes(), hint_names=[sample["client"]]).text
    transcriber.piece_s = 10
    cut = transcriber.transcribe(sample["path"].read_bytes(), hint_names=[sample["client"]]).text
    assert sample["client"] in cut
    said, got = set(whole.lower().split()), set(cut.lower().split())
    assert len(said - got) <= 3, (whole, cut)
