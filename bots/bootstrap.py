"""The composition root: the one place that wires real (or in-memory) adapters into the Assistant.
Tests pass their own settings or parts; everything else is built from the settings."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from core.config import Settings
from core.context import Context, SystemClock
from core.jobs import Jobs
from core.memo_flow import MemoFlow, MemoryBudget
from core.ports import Answerer, Clock, JobQueue, NoteWriter, Transcriber, UnitOfWorkFactory
from core.service import Assistant

LLM_CHOICES = ("offline", "openai")


def build_uow(settings: Settings) -> UnitOfWorkFactory:
    """The database, migrated, opened with the keys it was encrypted with. Raises storage.keys.KeyProblem
    (an AllianceError naming the fix) when the configured key is missing or not this database's: a process
    never creates a new key for a database that holds data, nor writes under a key it doesn't record."""
    from storage.db import make_engine, migrate, schema_lock, secure_files
    from storage.keys import open_cipher
    from storage.uow import SqlUnitOfWorkFactory

    url = settings.resolved_database_url
    secure_files(settings.data_dir, url)
    engine = make_engine(url)
    try:
        with schema_lock(engine):  # any number of processes may start at once on a fresh database
            migrate(engine)
            cipher = open_cipher(engine, settings.secret_key, settings.data_dir)
    except Exception:
        engine.dispose()
        raise
    return SqlUnitOfWorkFactory(engine, cipher)


def _choice(value: str | None, default: str) -> str:
    return (value or default).strip().lower()


def build_transcriber(settings: Settings, *, worker: bool = False) -> Transcriber:
    """A worker transcribing several memos at once uses one process per memo (threads don't scale:
    core/speech/pool.py); the CLI and console transcribe their one memo in-process."""
    if _choice(settings.transcriber, "local") == "openai":
        from core.speech.cloud import OpenAITranscriber

        return OpenAITranscriber(settings)
    concurrency = memo_concurrency(settings)
    if worker and concurrency > 1:
        from core.speech.pool import PooledTranscriber

        return PooledTranscriber(settings, concurrency)
    from core.speech.local import make_transcriber

    return make_transcriber(settings, concurrency=1)


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


def memo_concurrency(settings: Settings) -> int:
    """Memos transcribed at once: one per core by default (each in its own process with one decoding
    thread; measured in docs/benchmarks.md), as many as fit under the memory ceiling."""
    from core.speech.resources import available_cores, concurrency_for_memory, memory_ceiling_mb

    wanted = max(1, settings.memo_concurrency or available_cores())
    if _choice(settings.transcriber, "local") != "local":
        return wanted
    return concurrency_for_memory(settings, wanted, memory_ceiling_mb(settings.memory_limit_mb))


def memo_memory_budget(settings: Settings, *, worker: bool = False) -> int:
    """MB the memos in flight may take together: the ceiling less this process and the loaded model(s)
    (a worker's transcriber processes each hold one)."""
    if _choice(settings.transcriber, "local") != "local":
        return 0
    from core.speech.resources import PROCESS_BASE_MB, WORKER_PARENT_MB, memory_ceiling_mb, model_memory_mb

    concurrency = memo_concurrency(settings)
    holders = concurrency if worker and concurrency > 1 else 0
    fixed = WORKER_PARENT_MB + (holders or 1) * model_memory_mb(settings, concurrency=0) + holders * PROCESS_BASE_MB
    return max(1, memory_ceiling_mb(settings.memory_limit_mb) - fixed)


def build_queue(settings: Settings, *, workers: bool = True) -> JobQueue:
    from storage.queue_local import LocalQueue

    return LocalQueue(memo_concurrency(settings), workers=workers)


def build_assistant(
    settings: Settings | None = None,
    *,
    transcriber: Transcriber | None = None,
    writer: NoteWriter | None = None,
    clock: Clock | None = None,
    answerer: Answerer | None = None,
    llm=None,
    uow: UnitOfWorkFactory | None = None,
    queue: JobQueue | None = None,
    channels=(),
    notifiers=None,
    worker: bool = False,
) -> Assistant:
    """`llm` (a core.models.client.LLM) is shared by the writer and the answerer; tests pass one with a
    fake sleep. Without a `queue`, memos are run by whoever received them (the CLI and console). `worker`:
    this process transcribes memos for the queue (`alliance run`, `alliance run worker`)."""
    settings = settings or Settings()
    if llm is None and _llm_enabled(settings):
        from core.models.client import LLM

        llm = LLM(settings)  # one client (one connection pool) for notes, answers and revisions
    ctx = Context(
        uow=uow or build_uow(settings),
        writer=writer or build_writer(settings, llm=llm),
        settings=settings,
        clock=clock or SystemClock(),
        answerer=answerer or build_answerer(settings, llm=llm),
        queue=queue or build_queue(settings, workers=False),
    )
    executor = ThreadPoolExecutor(max_workers=memo_concurrency(settings), thread_name_prefix="memo")
    ctx.flow = MemoFlow(ctx, transcriber or build_transcriber(settings, worker=worker), {c.platform: c for c in channels},
                        executor, MemoryBudget(memo_memory_budget(settings, worker=worker)))
    return Assistant(ctx, ctx.flow, Jobs(ctx, notifiers))
