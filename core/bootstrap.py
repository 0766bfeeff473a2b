"""The one place that wires real adapters into the service (tests pass their own settings or parts)."""
from __future__ import annotations

from core.config import Settings
from core.ports import Clock, NoteWriter, Transcriber
from core.service import Assistant
from storage.crypto import Cipher, load_keys
from storage.db import make_engine, migrate
from storage.store import Store


def build_store(settings: Settings) -> Store:
    settings.ensure_data_dir()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return Store(engine, Cipher(load_keys(settings.secret_key, settings.data_dir)))


def build_transcriber(settings: Settings) -> Transcriber:
    from core.transcribe import make_transcriber

    return make_transcriber(settings)


def build_writer(settings: Settings) -> NoteWriter:
    from core.notes import OfflineNoteWriter

    return OfflineNoteWriter()


def build_assistant(
    settings: Settings | None = None,
    *,
    transcriber: Transcriber | None = None,
    writer: NoteWriter | None = None,
    clock: Clock | None = None,
) -> Assistant:
    settings = settings or Settings()
    return Assistant(
        build_store(settings),
        transcriber or build_transcriber(settings),
        writer or build_writer(settings),
        settings=settings,
        clock=clock,
    )
