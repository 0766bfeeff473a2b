"""Settings: the only place that reads the environment."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path.home() / ".alliance", validation_alias=_env("ALLIANCE_DATA_DIR"))
    database_url: str | None = Field(None, validation_alias=_env("ALLIANCE_DATABASE_URL"))
    secret_key: str | None = Field(None, validation_alias=_env("ALLIANCE_SECRET_KEY"))
    log_level: str = Field("WARNING", validation_alias=_env("ALLIANCE_LOG_LEVEL"))

    # transcription
    transcriber: str = Field("local", validation_alias=_env("ALLIANCE_TRANSCRIBER"))
    whisper_model: str | None = Field(None, validation_alias=_env("ALLIANCE_WHISPER_MODEL"))
    whisper_beam_size: int = Field(5, validation_alias=_env("ALLIANCE_WHISPER_BEAM_SIZE"))
    whisper_threads: int = Field(0, validation_alias=_env("ALLIANCE_WHISPER_THREADS"))
    whisper_compute_type: str = Field("int8", validation_alias=_env("ALLIANCE_WHISPER_COMPUTE_TYPE"))
    whisper_language: str = Field("en", validation_alias=_env("ALLIANCE_WHISPER_LANGUAGE"))  # a code, or auto
    whisper_vocabulary: str | None = Field(None, validation_alias=_env("ALLIANCE_WHISPER_VOCABULARY"))  # terms, or none
    openai_transcribe_model: str = Field("whisper-1", validation_alias=_env("ALLIANCE_TRANSCRIBE_MODEL"))
    max_memo_minutes: float = Field(30.0, validation_alias=_env("ALLIANCE_MAX_MEMO_MINUTES"))
    max_memo_mb: float = Field(50.0, validation_alias=_env("ALLIANCE_MAX_MEMO_MB"))
    keep_audio: bool = Field(False, validation_alias=_env("ALLIANCE_KEEP_AUDIO"))
    memo_concurrency: int = Field(0, validation_alias=_env("ALLIANCE_MEMO_CONCURRENCY"))  # 0: one per core
    # A worker's memory ceiling: how many memos transcribe at once, and which may start together.
    # 0: 70% of the machine's memory, at most 4 GB (on a 1 GB machine: one memo at a time).
    memory_limit_mb: int = Field(0, validation_alias=_env("ALLIANCE_MEMORY_LIMIT_MB"))
    # Recovery: how often the clock queues memos left unfinished, and when a silent worker counts as dead
    # (its jobs go to another worker); a worker says it is alive every heartbeat.
    # Transcription is batch work: worker processes run at this lower CPU priority (nice), so the web
    # process's acknowledgements and answers get a core first on a shared machine.
    worker_nice: int = Field(10, validation_alias=_env("ALLIANCE_WORKER_NICE"))
    recover_seconds: float = Field(60.0, validation_alias=_env("ALLIANCE_RECOVER_SECONDS"))
    worker_heartbeat_s: float = Field(10.0, validation_alias=_env("ALLIANCE_WORKER_HEARTBEAT_S"))
    stalled_after_s: float = Field(30.0, validation_alias=_env("ALLIANCE_STALLED_AFTER_S"))

    # notes and answers
    llm: str = Field("offline", validation_alias=_env("ALLIANCE_LLM"))
    llm_model: str = Field("gpt-4o-mini", validation_alias=_env("ALLIANCE_LLM_MODEL"))
    llm_timeout_s: float = Field(60.0, validation_alias=_env("ALLIANCE_LLM_TIMEOUT"))
    llm_max_retries: int = Field(4, validation_alias=_env("ALLIANCE_LLM_MAX_RETRIES"))
    llm_pseudonymize: bool = Field(False, validation_alias=_env("ALLIANCE_LLM_PSEUDONYMIZE"))
    openai_api_key: str | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))

    # limits on what comes in (bounded work for any input; storage/ and core/ check them)
    max_note_chars: int = Field(20_000, validation_alias=_env("ALLIANCE_MAX_NOTE_CHARS"))  # a typed note
    max_question_chars: int = Field(2_000, validation_alias=_env("ALLIANCE_MAX_QUESTION_CHARS"))
    calendar_days: int = Field(180, validation_alias=_env("ALLIANCE_CALENDAR_DAYS"))  # sessions stored ahead
    calendar_max_sessions: int = Field(2_000, validation_alias=_env("ALLIANCE_CALENDAR_MAX_SESSIONS"))
    calendar_max_mb: float = Field(5.0, validation_alias=_env("ALLIANCE_CALENDAR_MAX_MB"))
    calendar_read_seconds: float = Field(10.0, validation_alias=_env("ALLIANCE_CALENDAR_READ_SECONDS"))
    # Calendar feeds: https only, public addresses only, unless these allow more (e.g. a feed on the LAN).
    calendar_allow_http: bool = Field(False, validation_alias=_env("ALLIANCE_CALENDAR_ALLOW_HTTP"))
    calendar_allow_hosts: str = Field("", validation_alias=_env("ALLIANCE_CALENDAR_ALLOW_HOSTS"))  # names, IPs, CIDRs

    # invites and defaults
    invite_days: int = Field(7, validation_alias=_env("ALLIANCE_INVITE_DAYS"))
    default_timezone: str = Field("UTC", validation_alias=_env("ALLIANCE_TIMEZONE"))

    # telegram
    telegram_bot_token: str | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_base_url: str | None = Field(None, validation_alias=_env("TELEGRAM_BASE_URL"))
    telegram_base_file_url: str | None = Field(None, validation_alias=_env("TELEGRAM_BASE_FILE_URL"))
    telegram_webhook_url: str | None = Field(None, validation_alias=_env("ALLIANCE_TELEGRAM_WEBHOOK_URL"))
    telegram_webhook_secret: str | None = Field(None, validation_alias=_env("ALLIANCE_TELEGRAM_WEBHOOK_SECRET"))
    telegram_webhook_listen: str = Field("0.0.0.0", validation_alias=_env("ALLIANCE_TELEGRAM_WEBHOOK_LISTEN"))
    telegram_webhook_port: int | None = Field(None, validation_alias=_env("ALLIANCE_TELEGRAM_WEBHOOK_PORT"))
    telegram_bot_username: str | None = Field(None, validation_alias=_env("TELEGRAM_BOT_USERNAME"))

    # slack
    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_api_url: str | None = Field(None, validation_alias=_env("SLACK_API_URL"))
    port: int = Field(3000, validation_alias=_env("PORT"))

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'alliance.db'}"

    @property
    def max_memo_bytes(self) -> int:
        return int(self.max_memo_mb * 1024 * 1024)

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.data_dir
