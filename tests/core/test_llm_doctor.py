"""`alliance doctor` says plainly what is wrong, and exits non-zero when something is."""
from __future__ import annotations

import socket
from datetime import date

from cryptography.fernet import Fernet

from core.config import Settings
from bots.doctor import run_doctor
from core.types import NoteDraft
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)


def doctor(settings: Settings) -> tuple[int, str]:
    lines: list[str] = []
    code = run_doctor(settings, out=lines.append)
    return code, "\n".join(lines)


def llm_settings(fake, tmp_path, **overrides) -> Settings:
    values = dict(data_dir=tmp_path, llm="openai", openai_base_url=fake.url + "/v1", openai_api_key="test-key")
    return Settings(**(values | overrides))


def test_fresh_install_with_a_working_model_is_all_good(fake_openai, tmp_path):
    code, text = doctor(llm_settings(fake_openai, tmp_path))
    assert code == 0, text
    assert "OK       language model:" in text and "reachable, key accepted" in text
    assert "created and migrated on first start" in text
    assert "OK       whisper weights: present" in text
    assert "--       telegram: TELEGRAM_BOT_TOKEN not set" in text
    assert text.endswith("All good.")
    assert not list(tmp_path.iterdir())  # doctor only looks: no database, no key file made


def test_rejected_key_is_a_problem_and_never_printed(fake_openai, tmp_path):
    code, text = doctor(llm_settings(fake_openai, tmp_path, openai_api_key="sk-secretsecretsecret"))
    assert code == 1
    assert "PROBLEM  language model:" in text and "the API key was rejected" in text
    assert "secretsecret" not in text


def test_unreachable_model_server_is_named(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(data_dir=tmp_path, llm="openai", openai_base_url=f"http://127.0.0.1:{port}/v1", openai_api_key="k")
    code, text = doctor(settings)
    assert code == 1 and f"http://127.0.0.1:{port}/v1: cannot reach it" in text


def test_missing_key_and_unknown_model_are_problems(fake_openai, tmp_path):
    code, text = doctor(Settings(data_dir=tmp_path, llm="openai"))
    assert code == 1 and "OPENAI_API_KEY is not set" in text
    fake_openai.models = ["llama3.1"]
    code, text = doctor(llm_settings(fake_openai, tmp_path, llm_model="gpt-4o-mini"))
    assert code == 1 and "model 'gpt-4o-mini' not among the 1 offered" in text


def test_offline_configuration_needs_no_model(tmp_path):
    code, text = doctor(Settings(data_dir=tmp_path))
    assert code == 0 and "--       language model: offline writer" in text


def test_existing_database_and_a_wrong_secret_key(tmp_path):
    from bots.bootstrap import build_uow

    key = Fernet.generate_key().decode()
    uow_factory = build_uow(Settings(data_dir=tmp_path, secret_key=key))
    with uow_factory() as uow:
        therapist = uow.therapists.add("Dr. Alex Example")
        draft = NoteDraft("Test Client", date(2026, 1, 5), "SOAP", (("Subjective", "Slept better."),), "Slept better.")
        uow.notes.add(therapist, draft, memo_id=None)
        uow.commit()

    code, text = doctor(Settings(data_dir=tmp_path, secret_key=key))
    assert code == 0, text
    assert "reachable, schema up to date" in text and "present (ALLIANCE_SECRET_KEY)" in text

    code, text = doctor(Settings(data_dir=tmp_path, secret_key=Fernet.generate_key().decode()))
    assert code == 1 and "cannot decrypt the stored data" in text
    code, text = doctor(Settings(data_dir=tmp_path))  # no key at all, and no key file
    assert code == 1 and "secret.key is missing but the database holds encrypted data" in text


def test_cloud_transcription_is_checked_like_the_model(fake_openai, tmp_path):
    code, text = doctor(llm_settings(fake_openai, tmp_path, transcriber="openai", llm="offline"))
    assert code == 0, text
    assert "OK       transcription:" in text and "cloud model 'whisper-1'" in text


def test_unreachable_database_is_named_without_its_password(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://alliance:hunter2secret@127.0.0.1:{port}/alliance"
    code, text = doctor(Settings(data_dir=tmp_path, database_url=url))
    assert code == 1
    assert f"PROBLEM  database: cannot connect to postgresql://127.0.0.1:{port}/alliance" in text
    assert "hunter2" not in text
