"""A memo's life, written once for every channel:

    received -> fetched -> transcribed -> drafted -> delivered      (or failed, with a reason the therapist sees)

`receive` (the web process) records the memo before anything slow, acknowledges it through the memo's
channel and enqueues a job; `run` (a worker) advances it one persisted step at a time. Every step is
idempotent and reads the memo afresh, so a job killed anywhere is finished by the next run of the same
job (another worker, or the recovery sweep after a restart) and the note is delivered once: delivery
edits the acknowledgement, and editing twice shows one message."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import Executor
from dataclasses import replace
from typing import Mapping

from core import roster
from core.context import Context, Who
from core.errors import AllianceError, AudioError, FetchFailed, RecordingTooLong
from core.language.client_match import ClientRecord, resolve_client
from core.language.dates import session_date_from
from core.ports import Channel, Transcriber, UnitOfWork
from core.replies import present_note
from core.types import AudioMemo, MemoReceipt, NoteDraft, Reply
from core.records import MemoRecord, MemoStatus

log = logging.getLogger(__name__)

RETRY_HINT = "Your memo is kept — send /retry to try again."
TYPED = "typed"  # the file name of a typed note: its text is exactly what the therapist wrote
UNREADABLE = ("I can't read one of your memos with this server's key, so I couldn't write its note. "
              "Your practice admin can check the key (`alliance doctor`); the memo is kept.")
TRANSCRIBING = "Got it — transcribing…"
WRITING = "Got it — writing the note…"


class MemoFlow:
    def __init__(self, ctx: Context, transcriber: Transcriber, channels: Mapping[str, Channel],
                 executor: Executor | None = None, memory: "MemoryBudget | None" = None):
        self.ctx = ctx
        self.transcriber = transcriber
        self.memory = memory or MemoryBudget(0)
        self.channels = dict(channels)
        # Transcription gets its own threads: questions and buttons must never wait behind it.
        self.executor = executor
        self._running: set[int] = set()

    # ---- receiving (the web process: fast, nothing slow before the memo is stored) -----------------------
    async def receive(self, who: Who, memo: AudioMemo, *, origin: str | None = None, typed: str | None = None) -> MemoReceipt:
        """Record a voice memo (or a typed note when `typed` is given), acknowledge it where it came from,
        and queue it. A platform's retry of the same message is recognised by its message id."""
        if typed is None:
            problem = audio_problem(memo.data, memo.size_bytes, self.ctx.settings.max_memo_bytes)
            if problem:
                return MemoReceipt(None, False, message=problem)
        platform = who.platform
        with self.ctx.uow() as uow:
            therapist = uow.therapists.get(who.therapist_id)
            preset = None if memo.client_hint else therapist.next_client_id  # a /client choice, used once
            status = MemoStatus.TRANSCRIBED if typed is not None else (
                MemoStatus.FETCHED if memo.data is not None else MemoStatus.RECEIVED)
            kind = "note" if typed is not None else "memo"
            memo_id, created = uow.memos.add(
                who.therapist_id, f"{platform}:{who.sender.workspace_id if who.sender else ''}:{kind}:{memo.message_id}",
                platform, status=status, audio=memo.data, transcript=typed, source_ref=memo.source_ref,
                filename=TYPED if typed is not None else memo.filename, client_hint=memo.client_hint, client_id=preset,
                session_date=memo.session_date, note_format=memo.note_format, origin_ref=origin,
            )
            if created:
                if preset is not None:
                    uow.therapists.update(who.therapist_id, next_client_id=None)
                uow.audit.record(who.therapist_id, who.actor, "write", "memo", memo_id)
            uow.commit()
        if not created:
            await self.ctx.queue.enqueue_memo(who.therapist_id, memo_id)  # unfinished? queued again, once
            return MemoReceipt(memo_id, True, duplicate=True, message="I already have that memo.")
        text = WRITING if typed is not None else TRANSCRIBING
        ahead = await self.ctx.queue.waiting()
        if ahead:
            text = f"Got it — {ahead} memo{'s' if ahead != 1 else ''} ahead of yours; I'll write the note as soon as I can."
        await self._acknowledge(who.therapist_id, memo_id, platform, origin, text)
        await self.ctx.queue.enqueue_memo(who.therapist_id, memo_id)
        return MemoReceipt(memo_id, True, message=text)

    async def _acknowledge(self, therapist_id: int, memo_id: int, platform: str, origin: str | None, text: str) -> None:
        channel = self.channels.get(platform)
        if channel is None or origin is None:
            return
        try:
            ref = await channel.send(origin, Reply(text))
        except Exception as error:  # no acknowledgement: the note is then sent as a new message
            log.warning("memo %s: acknowledgement failed: %s", memo_id, type(error).__name__)
            return
        if ref:
            with self.ctx.uow() as uow:
                uow.memos.update(therapist_id, memo_id, reply_ref=ref)
                uow.commit()

    # ---- the job: advance one persisted step at a time ---------------------------------------------------
    async def run(self, therapist_id: int, memo_id: int) -> MemoRecord | None:
        """Finish a memo (a no-op when it is done). Raises only when delivery to the chat failed: the memo
        stays `drafted` and the job (or the recovery sweep) tries again."""
        if memo_id in self._running:  # the same memo twice in this process: the first run finishes it
            return None
        self._running.add(memo_id)
        try:
            while True:
                try:
                    memo = self._load(therapist_id, memo_id)
                except Exception as error:  # unreadable (e.g. stored under another key): this memo only
                    await self._unreadable(therapist_id, memo_id, error)
                    return None
                if memo is None or memo.status in (MemoStatus.DELIVERED, MemoStatus.FAILED):
                    return memo
                await self._step(memo)
        finally:
            self._running.discard(memo_id)

    async def _unreadable(self, therapist_id: int, memo_id: int, error: Exception) -> None:
        """Record why on the memo (without reading what can't be read) and say so in its chat."""
        log.error("memo %s cannot be read: %s", memo_id, type(error).__name__)
        with self.ctx.uow() as uow:
            refs = uow.memos.refs(therapist_id, memo_id)
            uow.memos.update(therapist_id, memo_id, status=MemoStatus.FAILED, failure=UNREADABLE)
            uow.commit()
        if refs is not None:
            platform, origin, reply = refs
            stub = MemoRecord(memo_id, therapist_id, platform, MemoStatus.FAILED, origin_ref=origin, reply_ref=reply)
            try:
                await self._send(stub, Reply(UNREADABLE, memo_id=memo_id, outcome="failed"))
            except DeliveryFailed:
                pass

    async def _step(self, memo: MemoRecord) -> None:
        try:
            if memo.status == MemoStatus.RECEIVED:
                await self._fetch(memo)
            elif memo.status == MemoStatus.FETCHED:
                await self._transcribe(memo)
            elif memo.status == MemoStatus.TRANSCRIBED:
                await self._draft(memo)
            elif memo.status == MemoStatus.DRAFTED:
                await self.deliver(memo)
        except RecordingTooLong as error:  # no retry can use it: the audio is not kept either
            await self.fail(memo, str(error), drop_audio=True)
        except (AudioError, FetchFailed) as error:  # the recording itself: retrying cannot help
            await self.fail(memo, str(error))
        except AllianceError as error:
            await self.fail(memo, f"{error} {RETRY_HINT}")
        except DeliveryFailed:
            raise
        except Exception as error:  # never lose the memo: keep it and say how to recover
            log.error("memo %s failed at %s: %s", memo.id, memo.status, type(error).__name__)
            await self.fail(memo, f"Something went wrong while writing that note. {RETRY_HINT}")

    def _load(self, therapist_id: int, memo_id: int) -> MemoRecord | None:
        with self.ctx.uow() as uow:
            return uow.memos.get(therapist_id, memo_id)

    def _save(self, memo: MemoRecord, **fields) -> None:
        with self.ctx.uow() as uow:
            uow.memos.update(memo.therapist_id, memo.id, **fields)
            uow.commit()

    async def _fetch(self, memo: MemoRecord) -> None:
        if memo.audio is not None:
            self._save(memo, status=MemoStatus.FETCHED)
            return
        if not memo.source_ref:
            raise FetchFailed("The audio of that memo is no longer stored; please send it again.")
        channel = self._channel(memo)
        limit = self.ctx.settings.max_memo_bytes
        data = await channel.fetch_audio(memo.source_ref, limit)
        problem = audio_problem(data, None, limit)
        if problem:
            raise FetchFailed(problem)
        self._save(memo, status=MemoStatus.FETCHED, audio=data, failure=None)

    async def _transcribe(self, memo: MemoRecord) -> None:
        if memo.audio is None:
            raise AudioError("The audio of that memo is no longer stored; please send it again.")
        with self.ctx.uow() as uow:
            names = [c.name for c in uow.clients.list(memo.therapist_id)]
            preset = uow.clients.get(memo.therapist_id, memo.client_id) if memo.client_id else None
            language = uow.therapists.get(memo.therapist_id).language
        # Every name the therapist gave with or before the memo primes the decoder first.
        hints = [n for n in (memo.client_hint, preset.name if preset else None) if n] + names
        hints = list(dict.fromkeys(hints))
        async with self.memory.reserve(self._memory_for(memo.audio)):
            result = await self._in_executor(
                lambda: self.transcriber.transcribe(memo.audio, filename=memo.filename, hint_names=hints, language=language)
            )
        self._save(memo, status=MemoStatus.TRANSCRIBED, transcript=result.text, failure=None)
        log.info("memo %s transcribed (%.1f s of audio)", memo.id, result.duration_s)

    async def _draft(self, memo: MemoRecord) -> None:
        with self.ctx.uow() as uow:
            stored = uow.notes.for_memo(memo.therapist_id, memo.id)
            if stored is not None:  # a crash came between storing the note and marking the memo
                uow.memos.update(memo.therapist_id, memo.id, status=MemoStatus.DRAFTED, note_id=stored,
                                 drop_audio=not self.ctx.settings.keep_audio)
                uow.commit()
                return
            therapist = uow.therapists.get(memo.therapist_id)
            client = client_for(uow, memo, memo.transcript or "")
            uow.commit()  # a client the memo named for the first time is kept even if writing fails
        today = self.ctx.today(memo.therapist_id)
        session_date = memo.session_date or session_date_from(memo.transcript or "", today) or today
        draft = await self._in_executor(lambda: self.ctx.writer.write(
            memo.transcript or "",
            note_format=memo.note_format or therapist.note_format,
            session_date=session_date,
            client_name=client.name if client else None,
            preferences=therapist.preferences,
        ))
        draft = replace(draft, client_id=client.id if client else None, client_name=client.name if client else None)
        with self.ctx.uow() as uow:
            note_id = uow.notes.add(memo.therapist_id, draft, memo_id=memo.id, status="final" if client else "draft")
            filed = {"client_id": client.id} if client else {}  # a draft keeps the /client choice, to offer it
            uow.memos.update(memo.therapist_id, memo.id, status=MemoStatus.DRAFTED, note_id=note_id, failure=None,
                             drop_audio=not self.ctx.settings.keep_audio, **filed)
            uow.audit.record(memo.therapist_id, "system", "write", "note", note_id)
            uow.commit()
        log.info("memo %s drafted as note %s (%s)", memo.id, note_id, draft.writer)

    async def deliver(self, memo: MemoRecord) -> None:
        with self.ctx.uow() as uow:
            reply = present_note(uow, memo.therapist_id, memo.note_id, memo=memo) if memo.note_id else None
            if reply is not None and reply.note is not None and reply.note.needs_client:
                from core.types import NewClientName  # the next plain message may be the client's name

                uow.therapists.update(memo.therapist_id, awaiting=NewClientName(memo.note_id))
            uow.commit()
        if reply is None:  # the note was deleted meanwhile: nothing left to deliver
            self._save(memo, status=MemoStatus.DELIVERED)
            return
        ref = await self._send(memo, reply)
        self._save(memo, status=MemoStatus.DELIVERED, reply_ref=ref or memo.reply_ref)
        log.info("memo %s delivered", memo.id)

    def _channel(self, memo: MemoRecord) -> Channel:
        channel = self.channels.get(memo.platform)
        if channel is None:  # this process can't reach that platform (yet): the job is tried again later
            raise DeliveryFailed()
        return channel

    async def _send(self, memo: MemoRecord, reply: Reply) -> str | None:
        if memo.platform == "console" or not (memo.reply_ref or memo.origin_ref):
            return None  # a CLI memo (or one finished by a worker): the note is stored, nobody to tell now
        channel = self._channel(memo)
        try:
            if memo.reply_ref:
                return await channel.edit(memo.reply_ref, reply, origin=memo.origin_ref)
            if memo.origin_ref:
                return await channel.send(memo.origin_ref, reply)
            return None
        except Exception as error:
            log.warning("memo %s: delivery failed: %s", memo.id, type(error).__name__)
            raise DeliveryFailed() from None

    async def fail(self, memo: MemoRecord, message: str, *, drop_audio: bool = False) -> None:
        """Keep the memo with the reason, and tell the therapist where the note would have gone."""
        self._save(memo, status=MemoStatus.FAILED, failure=message, attempts=memo.attempts + 1, drop_audio=drop_audio)
        try:
            await self._send(memo, Reply(message, memo_id=memo.id, outcome="failed"))
        except DeliveryFailed:
            pass  # the reason stays on the memo; /retry lists it

    async def retry_failed(self, who: Who) -> list[MemoRecord]:
        """Run every failed memo of the therapist again, in this process (the therapist asked and waits)."""
        with self.ctx.uow() as uow:
            failed = uow.memos.failed(who.therapist_id)
            for memo_id in failed:
                # reply_ref cleared: the note comes as a new message, not as an edit far up the chat
                uow.memos.update(who.therapist_id, memo_id, status=_retry_status(uow.memos.get(who.therapist_id, memo_id)),
                                 failure=None, reply_ref=None)
            uow.commit()
        done = []
        for memo_id in failed:
            try:
                done.append(await self.run(who.therapist_id, memo_id))
            except DeliveryFailed:
                done.append(self._load(who.therapist_id, memo_id))
        return [m for m in done if m is not None]

    async def announce_positions(self, waiting: list[tuple[int, int, int]]) -> None:
        """Memos still waiting moved up the queue: say so on their acknowledgements."""
        for therapist_id, memo_id, ahead in waiting:
            memo = self._load(therapist_id, memo_id)
            if memo is None or not memo.reply_ref or memo.platform not in self.channels:
                continue
            text = TRANSCRIBING if ahead == 0 else f"Got it — {ahead} memo{'s' if ahead != 1 else ''} ahead of yours."
            try:
                await self.channels[memo.platform].edit(memo.reply_ref, Reply(text), origin=memo.origin_ref)
            except Exception as error:  # cosmetic: the note still replaces it
                log.info("memo %s: position update failed: %s", memo_id, type(error).__name__)

    def _memory_for(self, audio: bytes) -> int:
        estimate = getattr(self.transcriber, "memory_mb", None)  # a cloud transcriber costs nothing here
        return estimate(audio) if estimate else 0

    async def _in_executor(self, work):
        if self.executor is None:
            return await asyncio.to_thread(work)
        return await asyncio.get_running_loop().run_in_executor(self.executor, work)


class MemoryBudget:
    """Memos transcribe together only while their estimated memory fits under the ceiling (0: no ceiling);
    a memo bigger than the whole ceiling runs alone rather than never."""

    def __init__(self, limit_mb: int):
        self.limit_mb, self.used_mb = limit_mb, 0
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def reserve(self, mb: int):
        async with self._changed:
            await self._changed.wait_for(lambda: not self.limit_mb or not self.used_mb or self.used_mb + mb <= self.limit_mb)
            self.used_mb += mb
        try:
            yield
        finally:
            async with self._changed:
                self.used_mb -= mb
                self._changed.notify_all()


class DeliveryFailed(Exception):
    """The chat platform could not be reached; the memo stays drafted and is delivered later."""


def _retry_status(memo: MemoRecord | None) -> str:
    if memo is None:
        return MemoStatus.FAILED
    if memo.note_id is not None:
        return MemoStatus.DRAFTED
    if memo.transcript is not None:
        return MemoStatus.TRANSCRIBED
    return MemoStatus.FETCHED if memo.audio is not None else MemoStatus.RECEIVED


def client_for(uow: UnitOfWork, memo: MemoRecord, transcript: str) -> ClientRecord | None:
    """The client the memo is about; None (ask the therapist) when unsure. A /client choice made before
    the memo counts only if the memo doesn't name a different known client."""
    clients = uow.clients.list(memo.therapist_id)
    resolution = resolve_client(transcript, clients, hint=memo.client_hint)
    if memo.client_id is not None:
        preset = uow.clients.get(memo.therapist_id, memo.client_id)
        named_other = resolution.kind == "match" and preset is not None and resolution.client.id != preset.id
        return None if named_other else preset
    if resolution.kind == "match":
        return resolution.client
    if resolution.kind == "new" and resolution.new_name:
        if memo.filename != TYPED and not memo.client_hint:
            # A name only heard, never typed, may be misheard ("my Thompson"): the therapist confirms the
            # spelling with one tap rather than a misspelt client being created.
            return None
        try:
            return roster.create(uow, memo.therapist_id, resolution.new_name, "system")
        except AllianceError:  # e.g. a 500-character --client: ask instead of storing it
            return None
    return None


def audio_problem(data: bytes | None, announced_size: int | None, limit: int) -> str | None:
    size = len(data) if data is not None else announced_size or 0
    if size > limit:
        return too_big_message(size, limit)
    if data is not None and not data:
        return "That memo is empty — please record it again."
    return None


def too_big_message(size: int, limit: int) -> str:
    return (
        f"That file is {size / 1_048_576:.0f} MB; I can take memos up to {limit / 1_048_576:.0f} MB. "
        "Please send a shorter recording."
    )


def note_with_client(draft: NoteDraft, client: ClientRecord) -> NoteDraft:
    return replace(draft, client_id=client.id, client_name=client.name, needs_client=False)
