"""A chat platform as the memo flow sees it (core.ports.Channel), in memory: files to fetch, and every
message the flow sent or edited. Stands in for Telegram/Slack in use-case tests; the real adapters are
tested against the fake Bot API and Web API servers."""
from __future__ import annotations

import time

from core.errors import FetchFailed
from core.types import Reply


class FakeChannel:
    def __init__(self, platform: str = "telegram", files: dict[str, bytes] | None = None, *, failing_sends: int = 0):
        self.platform = platform
        self.files = dict(files or {})
        self.failing_sends = failing_sends  # the next N sends/edits raise, like a network outage
        self.messages: dict[str, Reply] = {}  # ref -> what the message shows now
        self.log: list[tuple[str, str, Reply]] = []  # ("send" | "edit", ref, reply)
        self.fetches: list[str] = []
        self.note_times: dict[str, float] = {}  # ref -> when a note first appeared there (benchmarks)
        self._next = 100

    async def fetch_audio(self, source_ref: str, max_bytes: int) -> bytes:
        self.fetches.append(source_ref)
        if source_ref not in self.files:
            raise FetchFailed("The recording is no longer on the platform; please send it again.")
        return self.files[source_ref]

    def _maybe_fail(self) -> None:
        if self.failing_sends:
            self.failing_sends -= 1
            raise ConnectionError("platform unreachable")

    async def send(self, origin: str, reply: Reply) -> str | None:
        self._maybe_fail()
        self._next += 1
        ref = f"{origin.split(':')[0]}:{self._next}"
        self._record("send", ref, reply)
        return ref

    async def edit(self, ref: str, reply: Reply, *, origin: str | None = None) -> str | None:
        self._maybe_fail()
        self._record("edit", ref, reply)
        return ref

    def _record(self, kind: str, ref: str, reply: Reply) -> None:
        self.messages[ref] = reply
        self.log.append((kind, ref, reply))
        if reply.note is not None:
            self.note_times.setdefault(ref, time.perf_counter())

    def notes(self) -> list[Reply]:
        """What the chat shows as notes now (edits replace messages)."""
        return [r for r in self.messages.values() if r.note is not None]
