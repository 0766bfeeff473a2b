"""Shared pieces for the scheduling tests: an injected clock, a recording Notifier (our own port, not a
network mock) and invented therapists, clients and notes."""
from __future__ import annotations

import threading
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from core.types import Flag, NoteDraft, Reply
from tests import support


class FakeClock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at.astimezone(timezone.utc)

    def set(self, at: datetime) -> None:
        self.at = at


def local(tz: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


class RecordingNotifier:
    """Implements core.ports.Notifier; fails its first `fail` sends (or always with fail=-1)."""

    def __init__(self, platform: str, fail: int = 0):
        self.platform = platform
        self.fail = fail
        self.sent: list[tuple[str, str, Reply]] = []
        self.calls = 0
        self._lock = threading.Lock()

    async def send(self, user_id: str, workspace_id: str, reply: Reply) -> None:
        with self._lock:
            self.calls += 1
            if self.fail < 0 or self.calls <= self.fail:
                raise ConnectionError("chat unreachable")
            self.sent.append((user_id, workspace_id, reply))


class Sleeps:
    """Injected sleep: records the backoff instead of waiting."""

    def __init__(self):
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def therapist(service, name: str, *, tz: str = "Europe/Berlin", telegram: str | None = "1001", slack: str | None = None, **settings) -> int:
    therapist_id = service.therapist_id(service.console_sender(name))
    support.update_therapist(service, therapist_id, timezone=tz, **settings)
    if telegram:
        support.link(service, therapist_id, "telegram", "", telegram)
    if slack:
        support.link(service, therapist_id, "slack", "T0TEAM", slack)
    return therapist_id


def note(client, day: date, summary: str, *, homework=(), follow_ups=(), risks=()) -> NoteDraft:
    return NoteDraft(
        client_name=client.name,
        client_id=client.id,
        session_date=day,
        format="SOAP",
        sections=(("Subjective", summary), ("Objective", ""), ("Assessment", ""), ("Plan", "")),
        summary=summary,
        homework=tuple(homework),
        follow_ups=tuple(follow_ups),
        risks=tuple(Flag(kind, evidence) for kind, evidence in risks),
    )


def client_with_history(service, therapist_id: int, name: str, day: date, summary: str, **fields):
    client = support.add_client(service, therapist_id, name)
    support.add_note(service, therapist_id, note(client, day, summary, **fields), memo_id=None)
    return client
