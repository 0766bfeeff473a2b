"""What every use case runs with: the unit of work, the clock, the settings and the engines, injected by
bots/bootstrap.py. Handlers receive it explicitly (no service locator, no import of the service)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.config import Settings
from core.ports import Answerer, Clock, JobQueue, NoteWriter, UnitOfWorkFactory
from core.types import Sender


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@lru_cache(maxsize=1024)
def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


@dataclass
class Context:
    uow: UnitOfWorkFactory
    writer: NoteWriter
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    answerer: Answerer | None = None
    queue: JobQueue | None = None  # set by bootstrap once the flow exists
    flow: Any = None  # the memo flow (core.memo_flow.MemoFlow), set by bootstrap

    def tz(self, therapist_id: int) -> ZoneInfo:
        with self.uow() as uow:
            return zone(uow.therapists.get(therapist_id).timezone)

    def today(self, therapist_id: int) -> date:
        return self.clock.now().astimezone(self.tz(therapist_id)).date()


@dataclass(frozen=True)
class Who:
    """The therapist a request acts for, and who did it (for the audit log: platform and user id)."""

    therapist_id: int
    actor: str
    sender: Sender | None = None

    @property
    def platform(self) -> str:
        return self.sender.platform if self.sender else "console"
