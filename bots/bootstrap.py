"""The one place that wires real adapters into the service (tests pass their own settings or parts)."""
from __future__ import annotations

from core.config import Settings
from core.ports import Answerer, Clock, NoteWriter, Transcriber
from core.service import Assistant
from storage.crypto import Cipher, load_keys
from storage.db import make_engine, migrate
from storage.store import Store

LLM_CHOICES = ("offline", "openai")


def build_store(settings: Settings) -> Store:
    settings.ensure_data_dir()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return Store(engine, Cipher(load_keys(settings.secret_key, settings.data_dir)))


def _choice(value: str | None, default: str) -> str:
    return (value or default).strip().lower()


def build_transcriber(settings: Settings) -> Transcriber:
    if _choice(settings.transcriber, "local") == "openai":
        from core.speech.cloud import OpenAITranscriber

        return OpenAITranscriber(settings)
    from core.speech.local import make_transcriber

    return make_transcriber(settings)


def _llm_enabled(settings: Settings) -> bool:
    choice = _choice(settings.llm, "offline")
    if choice not in LLM_CHOICES:
        raise ValueError(f"Unknown ALLIANCE_LLM {settings.llm!r}; expected offline or openai.")
    return choice == "openai"


def build_writer(settings: Settings, *, llm=None) -> NoteWriter:
    from core.notes.writer import OfflineNoteWriter

    if _llm_enabled(settings):
        from core.models.notes import LLMNoteWriter

        return LLMNoteWriter(settings, llm=llm, fallback=OfflineNoteWriter())
    return OfflineNoteWriter()


def build_answerer(settings: Settings, *, llm=None) -> Answerer | None:
    """None means the offline answer is the answer."""
    if _llm_enabled(settings):
        from core.models.answers import LLMAnswerer

        return LLMAnswerer(settings, llm=llm)
    return None


def build_assistant(
    settings: Settings | None = None,
    *,
    transcriber: Transcriber | None = None,
    writer: NoteWriter | None = None,
    clock: Clock | None = None,
    answerer: Answerer | None = None,
    llm=None,
) -> Assistant:
    """`llm` (a core.models.client.LLM) is shared by the writer and the answerer; tests pass one with a fake sleep."""
    settings = settings or Settings()
    if llm is None and _llm_enabled(settings):
        from core.models.client import LLM

        llm = LLM(settings)  # one client (one connection pool) for notes, answers and revisions
    return Assistant(
        build_store(settings),
        transcriber or build_transcriber(settings),
        writer or build_writer(settings, llm=llm),
        settings=settings,
        clock=clock,
        answerer=answerer or build_answerer(settings, llm=llm),
    )
