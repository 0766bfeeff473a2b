"""An Assistant on in-memory adapters (unit of work, channel, transcriber): use-case tests in milliseconds."""
from __future__ import annotations

from datetime import datetime, timezone

from bots.bootstrap import build_assistant
from core.config import Settings
from core.types import Sender
from core.records import Account
from storage.memory import MemoryUnitOfWorkFactory
from storage.queue_local import LocalQueue
from tests.fakes.channel import FakeChannel
from tests.fakes.speech import ScriptedTranscriber


class FixedClock:
    def __init__(self, at: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)):
        self.at = at

    def now(self) -> datetime:
        return self.at


def in_memory(tmp_path, *, channel: FakeChannel | None = None, queue=None, **settings):
    channel = channel or FakeChannel()
    service = build_assistant(
        Settings(data_dir=tmp_path / "data", database_url=None, **settings),
        uow=MemoryUnitOfWorkFactory(), transcriber=ScriptedTranscriber(), clock=FixedClock(),
        queue=queue or LocalQueue(1), channels=[channel],
    )
    return service, channel


def enrol(service, name: str = "Dr. Ada Quinn", user: str = "501", platform: str = "telegram") -> Sender:
    """A therapist linked to a chat account (as an invite would do)."""
    service.console_sender(name)
    therapist_id = service.therapist_id(service.console_sender(name))
    with service.ctx.uow() as uow:
        uow.therapists.link(therapist_id, Account(platform, "", user))
        uow.commit()
    return Sender(platform, "", user, "private")
