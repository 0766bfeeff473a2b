"""The one facade every channel calls (Telegram, Slack, the console and the CLI)."""
from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.memory.ask import answer_question
from core.memory.caseload import UNASSIGNED, Session
from core.language.client_match import ClientRecord, match_name, resolve_client
from core.commands import Command, help_text, parse_command
from core.config import Settings
from core.schedule.digest import compose_digest, compose_item
from core.errors import AllianceError, NotEnrolled, NotPrivate
from core.memo_flow import MemoFailed, MemoPipeline, note_with_client
from core.ports import Answerer, Clock, NoteWriter, Transcriber
from core.replies import digest_text, note_reply, note_text
from core.preferences import apply_setting, settings_text
from core.types import (
    Answer,
    AudioMemo,
    Digest,
    DigestItem,
    Document,
    MemoReceipt,
    NoteDraft,
    Outgoing,
    Reply,
    Sender,
)
from storage.store import Store

log = logging.getLogger(__name__)
SILENT = Reply(text="")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass(frozen=True)
class InviteInfo:
    therapist_id: int
    therapist: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class PendingMemo:
    therapist_id: int
    memo_id: int
    source_ref: str | None = None
    needs_audio: bool = False  # recorded before its download finished: fetch `source_ref` again


class Assistant:
    def __init__(
        self,
        store: Store,
        transcriber: Transcriber,
        writer: NoteWriter,
        *,
        settings: Settings | None = None,
        clock: Clock | None = None,
        answerer: Answerer | None = None,
    ):
        self.store = store
        self.settings = settings or Settings()
        self.clock = clock or SystemClock()
        self.answerer = answerer
        self.memos = MemoPipeline(
            store, transcriber, writer, today_for=self.today_for, keep_audio=self.settings.keep_audio
        )

    # ---- who is talking ------------------------------------------------------------------------
    def therapist_id(self, sender: Sender) -> int:
        """The enrolled therapist behind a sender; refuses group chats and strangers."""
        if not sender.is_private:
            raise NotPrivate()
        therapist_id = self.store.therapist_for_identity(sender.platform, sender.workspace_id, self._user_key(sender))
        if therapist_id is None:
            raise NotEnrolled()
        return therapist_id

    def is_enrolled(self, sender: Sender) -> bool:
        try:
            self.therapist_id(sender)
            return True
        except AllianceError:
            return False

    def _user_key(self, sender: Sender) -> str:
        # The console identifies a therapist by name; keep only a keyed hash of it.
        if sender.platform == "console":
            return self.store.cipher.index(" ".join(sender.user_id.lower().split()))
        return sender.user_id

    def console_sender(self, name: str) -> Sender:
        """The terminal channel: a therapist is created on first use of a name."""
        sender = Sender("console", "", name, "console")
        if self.store.therapist_for_identity("console", "", self._user_key(sender)) is None:
            therapist_id = self.store.create_therapist(name, timezone=self.settings.default_timezone)
            self.store.link_identity(therapist_id, "console", "", self._user_key(sender))
        return sender

    def create_invite(self, name: str, days: int | None = None) -> InviteInfo:
        """A one-time code linking a chat account to the therapist of that name."""
        therapist_id = self.therapist_id(self.console_sender(name))
        code = secrets.token_urlsafe(12)
        expires_at = self.clock.now() + timedelta(days=days or self.settings.invite_days)
        self.store.create_invite(therapist_id, code, expires_at)
        self.store.audit(therapist_id, "console", "invite", "therapist", therapist_id)
        return InviteInfo(therapist_id, name, code, expires_at)

    def enroll(self, sender: Sender, code: str) -> Reply:
        if not sender.is_private:
            return Reply(str(NotPrivate()))
        if self.is_enrolled(sender):
            return Reply("You're already linked. " + help_text())
        therapist_id = self.store.redeem_invite(code.strip(), f"{sender.platform}:{sender.user_id}", self.clock.now())
        if therapist_id is None:
            return Reply("That invite code is unknown, used or expired. Ask your practice admin for a new one.")
        self.store.link_identity(therapist_id, sender.platform, sender.workspace_id, self._user_key(sender))
        self.store.audit(therapist_id, f"{sender.platform}:{sender.user_id}", "link", "identity", therapist_id)
        name = self.store.therapist_name(therapist_id)
        return Reply(f"Welcome, {name}! You're linked.\n\n" + help_text())

    def linked_accounts(self, therapist_id: int) -> list[tuple[str, str, str]]:
        """(platform, workspace, user id) the therapist can be reached at, preferred channel first."""
        preferred = self.store.therapist(therapist_id).channel
        accounts = [(i.platform, i.workspace_id, i.user_key) for i in self.store.identities(therapist_id) if i.platform != "console"]
        return sorted(accounts, key=lambda a: a[0] != preferred)

    # ---- time ----------------------------------------------------------------------------------
    def tz_for(self, therapist_id: int) -> ZoneInfo:
        try:
            return ZoneInfo(self.store.therapist(therapist_id).timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def today_for(self, therapist_id: int) -> date:
        return self.clock.now().astimezone(self.tz_for(therapist_id)).date()

    # ---- voice memos ---------------------------------------------------------------------------
    async def receive_memo(self, sender: Sender, memo: AudioMemo) -> MemoReceipt:
        """Persist the memo before anything slow; the caller acknowledges, then calls process_memo."""
        therapist_id = self.therapist_id(sender)
        problem = self._audio_problem(memo.data, memo.size_bytes)
        if problem:
            return MemoReceipt(None, False, message=problem)
        key = f"{sender.platform}:{sender.workspace_id}:{memo.message_id}"
        therapist = self.store.therapist(therapist_id)
        memo_id, created = self.store.add_memo(
            therapist_id,
            key,
            sender.platform,
            audio=memo.data,
            source_ref=memo.source_ref,
            filename=memo.filename,
            client_hint=memo.client_hint,
            client_id=None if memo.client_hint else therapist.next_client_id,
            session_date=memo.session_date,
            note_format=memo.note_format,
        )
        if not created:
            stored = self.store.memo(therapist_id, memo_id)
            missing = stored is not None and stored.audio is None and stored.transcript is None and stored.status == "received"
            return MemoReceipt(memo_id, True, duplicate=True, message="I already have that memo.", needs_audio=missing)
        if therapist.next_client_id and not memo.client_hint:
            self.store.update_therapist(therapist_id, next_client_id=None)
        self.store.audit(therapist_id, f"{sender.platform}:{sender.user_id}", "write", "memo", memo_id)
        return MemoReceipt(memo_id, True, message="Got it — transcribing…", needs_audio=memo.data is None)

    def attach_audio(self, therapist_id: int, memo_id: int, data: bytes) -> MemoReceipt:
        """The downloaded audio of a memo recorded with `data=None`. A bad download fails the memo
        with a message; the row stays, so nothing the therapist sent disappears silently."""
        problem = self._audio_problem(data, None)
        if problem:
            self.fail_memo(therapist_id, memo_id, problem)
            return MemoReceipt(memo_id, False, message=problem)
        self.store.update_memo(therapist_id, memo_id, audio=data)
        return MemoReceipt(memo_id, True, message="Got it — transcribing…")

    def fail_memo(self, therapist_id: int, memo_id: int, message: str) -> None:
        """A channel could not fetch the memo's audio: keep the row, with the reason the therapist saw."""
        self.store.update_memo(therapist_id, memo_id, status="failed", failure=message)

    def _audio_problem(self, data: bytes | None, announced_size: int | None) -> str | None:
        limit = self.settings.max_memo_bytes
        size = len(data) if data is not None else announced_size or 0
        if size > limit:
            return too_big_message(size, limit)
        if data is not None and not data:
            return "That memo is empty — please record it again."
        return None

    async def process_memo(self, therapist_id: int, memo_id: int) -> Reply:
        """Finish the memo (idempotent) and return the note to deliver, or what went wrong."""
        try:
            note_id = await self.memos.run(therapist_id, memo_id)
        except MemoFailed as failure:
            return Reply(failure.message, memo_id=memo_id)
        return self._note_reply(therapist_id, note_id, memo_id=memo_id)

    def mark_delivered(self, therapist_id: int, memo_id: int, reply_ref: str | None = None) -> None:
        self.store.update_memo(therapist_id, memo_id, status="delivered", reply_ref=reply_ref)

    def set_reply_ref(self, therapist_id: int, memo_id: int, reply_ref: str) -> None:
        """Remember the acknowledgement message so a restarted bot can edit it into the note."""
        self.store.update_memo(therapist_id, memo_id, reply_ref=reply_ref)

    def reply_ref(self, therapist_id: int, memo_id: int) -> str | None:
        memo = self.store.memo(therapist_id, memo_id)
        return memo.reply_ref if memo else None

    def unfinished_memos(self, platform: str | None = None) -> list[PendingMemo]:
        return [PendingMemo(*row) for row in self.store.unfinished_memos(platform)]

    async def retry_failed(self, sender: Sender) -> list[Reply]:
        therapist_id = self.therapist_id(sender)
        failed = self.store.failed_memos(therapist_id)
        if not failed:
            return [Reply("There are no failed memos to retry.")]
        replies = []
        for memo_id in failed:
            self.store.update_memo(therapist_id, memo_id, status="received", failure=None)
            replies.append(await self.process_memo(therapist_id, memo_id))
            if replies[-1].note is not None:
                self.mark_delivered(therapist_id, memo_id)
        return replies

    # ---- typed text ----------------------------------------------------------------------------
    async def receive_text(self, sender: Sender, text: str, *, message_id: str, prefix: str = "/") -> Reply:
        """A question, a command or an answer to something the bot asked. Redelivered messages are ignored."""
        command = parse_command(text, slash_prefix=prefix)
        if command.name in ("start", "link"):
            if not command.args:
                return Reply(help_text(prefix) if self.is_enrolled(sender) else str(NotEnrolled()))
            return self.enroll(sender, command.args)
        therapist_id = self.therapist_id(sender)
        if not self.store.claim_event(f"{sender.platform}:{sender.workspace_id}:text:{message_id}"):
            return SILENT
        return await self.run_command(sender, therapist_id, command)

    async def receive_reply(self, sender: Sender, text: str, *, message_id: str, reply_ref: str) -> Reply:
        """A message replying to one of the bot's messages: a reply to a note is an edit instruction."""
        therapist_id = self.therapist_id(sender)
        note_id = self.store.note_for_reply_ref(therapist_id, reply_ref)
        if note_id is None or self.store.therapist(therapist_id).awaiting:  # answering the bot's question
            return await self.receive_text(sender, text, message_id=message_id)
        if not self.store.claim_event(f"{sender.platform}:{sender.workspace_id}:text:{message_id}"):
            return SILENT
        from core.models.revise import revise_note

        return await revise_note(self, therapist_id, note_id, text)

    async def run_command(self, sender: Sender, therapist_id: int, command: Command) -> Reply:
        from core.dispatch import dispatch  # the command table lives beside its handlers

        return await dispatch(self, sender, therapist_id, command)

    async def write_typed_note(self, sender: Sender, text: str, *, message_id: str, **memo_fields) -> Reply:
        therapist_id = self.therapist_id(sender)
        if not any(ch.isalpha() for ch in text):  # empty, or only digits and punctuation: nothing to note
            return Reply("Add the note's text after /note, e.g. /note Session with Maya today. She reported…")
        client_hint = memo_fields.pop("client_hint", None)
        memo_id, created = self.store.add_memo(
            therapist_id,
            f"{sender.platform}:{sender.workspace_id}:note:{message_id}",
            sender.platform,
            transcript=text,
            client_hint=client_hint,
            **memo_fields,
        )
        reply = await self.process_memo(therapist_id, memo_id)
        if reply.note is not None:
            self.mark_delivered(therapist_id, memo_id)
        return reply

    # ---- buttons -------------------------------------------------------------------------------
    async def press(self, sender: Sender, action: str) -> Reply:
        from core.dispatch import press

        return await press(self, sender, self.therapist_id(sender), action)

    # ---- questions -----------------------------------------------------------------------------
    async def answer(self, sender: Sender, question: str) -> Answer:
        therapist_id = self.therapist_id(sender)
        # In a thread: with a language model configured an answer can take seconds.
        return await asyncio.to_thread(self.answer_for, therapist_id, question, actor=f"{sender.platform}:{sender.user_id}")

    def answer_for(self, therapist_id: int, question: str, *, actor: str = "system") -> Answer:
        clients = self.store.clients(therapist_id)
        loaded: dict[int, list[NoteDraft]] = {}
        tz = self.tz_for(therapist_id)
        names = {c.id: c.name for c in clients}
        store = self.store

        class _StoreCaseload:  # minimal wiring; the lead's service layer replaces it
            def __init__(self) -> None:
                self.clients = clients

            def notes(self, client_id: int) -> list[NoteDraft]:
                if client_id not in loaded:
                    loaded[client_id] = store.notes_for_client(therapist_id, client_id)
                return loaded[client_id]

            def sessions(self, start: date, end: date) -> list[Session]:
                found = store.occurrences(therapist_id, datetime.combine(start, time.min, tz),
                                          datetime.combine(end, time.min, tz), tz)
                return [Session(o.client_id, names.get(o.client_id, UNASSIGNED), o.starts_at.astimezone(tz)) for o in found]

        today = self.today_for(therapist_id)
        answer = answer_question(question, _StoreCaseload(), today)
        if self.answerer is not None and loaded:  # a model only ever sees the notes retrieved here
            notes = [n for notes in loaded.values() for n in notes]
            answer = self.answerer.answer(question, notes, offline=answer, today=today)
        for citation in answer.citations:
            self.store.audit(therapist_id, actor, "read", "note", citation.note_id)
        return answer

    # ---- notes ---------------------------------------------------------------------------------
    def _note_reply(self, therapist_id: int, note_id: int, *, memo_id: int | None = None) -> Reply:
        note = self.store.note(therapist_id, note_id)
        if note is None:
            return Reply("That note no longer exists.")
        candidates: list[ClientRecord] = []
        if note.needs_client:
            memo = self.store.memo(therapist_id, memo_id) if memo_id else None
            candidates = self._candidates(therapist_id, memo.transcript if memo else "")
        return note_reply(note, candidates, memo_id=memo_id)

    def _candidates(self, therapist_id: int, transcript: str | None) -> list[ClientRecord]:
        clients = self.store.clients(therapist_id)
        resolution = resolve_client(transcript or "", clients)
        return list(resolution.candidates) or clients[:6]

    def assign_client(self, therapist_id: int, note_id: int, client: ClientRecord) -> Reply:
        note = self.store.note(therapist_id, note_id)
        if note is None:
            return Reply("That note no longer exists.")
        updated = self.store.replace_note(therapist_id, note_id, note_with_client(note, client))
        row = self.store.note_row(therapist_id, note_id)
        if row and row.memo_id:
            self.store.update_memo(therapist_id, row.memo_id, client_id=client.id)
        self.store.audit(therapist_id, "system", "write", "note", note_id)
        return note_reply(updated, memo_id=row.memo_id if row else None)

    def find_client(self, therapist_id: int, name: str) -> tuple[ClientRecord | None, str]:
        """(client, "") or (None, a message saying why not: unknown or ambiguous)."""
        clients = self.store.clients(therapist_id)
        matches = match_name(name, clients)
        if not matches:
            return None, "I don't have a client by that name. Your clients: /clients"
        best = [c for c, score in matches if score >= matches[0][1] - 1e-6]
        if len(best) > 1:
            return None, "Several clients match: " + ", ".join(c.name for c in best) + ". Please use the full name."
        return matches[0][0], ""

    def export(self, therapist_id: int, client: ClientRecord, actor: str) -> Document:
        notes = self.store.notes_for_client(therapist_id, client.id)
        self.store.audit(therapist_id, actor, "export", "client", client.id)
        body = [f"# {client.name} — session notes", ""]
        for note in notes:
            body += [f"## {note.session_date.isoformat()} ({note.format}, version {note.version})", "", note_text(note), ""]
        if not notes:
            body.append("No notes yet.")
        slug = "".join(ch if ch.isalnum() else "-" for ch in client.name.lower()).strip("-")
        return Document(f"{slug}-notes.md", "\n".join(body).encode())

    # ---- digests -------------------------------------------------------------------------------
    async def digest(self, therapist_id: int, day: date) -> Digest:
        tz = self.tz_for(therapist_id)
        start = datetime.combine(day, time.min, tz)
        occurrences = self.store.occurrences(therapist_id, start, start + timedelta(days=1), tz)
        clients = {c.id: c for c in self.store.clients(therapist_id)}
        sessions = [
            (o.appointment_id, clients[o.client_id].name if o.client_id in clients else "Unassigned session", o.starts_at)
            for o in occurrences
        ]
        return compose_digest(
            therapist_id,
            day,
            tz,
            sessions,
            lambda client_id: self.store.notes_for_client(therapist_id, client_id),
            [o.client_id for o in occurrences],
        )

    async def due_notifications(self, now: datetime) -> list[Outgoing]:
        """Digests and reminders due at `now`, each already claimed in the ledger (sent at most once)."""
        from core.schedule.notifications import due_notifications

        return await due_notifications(self, now)

    def digest_reply(self, digest: Digest) -> Reply:
        return Reply(digest_text(digest), digest=digest)

    def reminder_item(self, therapist_id: int, appointment_id: int, client_id: int | None, starts_at: datetime) -> DigestItem:
        client = self.store.client(therapist_id, client_id) if client_id else None
        notes = self.store.notes_for_client(therapist_id, client_id) if client else []
        return compose_item(appointment_id, client.name if client else "Unassigned session", starts_at.astimezone(self.tz_for(therapist_id)), notes)

    # ---- settings ------------------------------------------------------------------------------
    def settings_reply(self, therapist_id: int, args: str) -> Reply:
        if args.strip():
            message = apply_setting(self.store, therapist_id, args)
            return Reply(message + "\n\n" + settings_text(self.store.therapist(therapist_id)))
        return Reply(settings_text(self.store.therapist(therapist_id)))


def too_big_message(size: int, limit: int) -> str:
    return (
        f"That file is {size / 1_048_576:.0f} MB; I can take memos up to {limit / 1_048_576:.0f} MB. "
        "Please send a shorter recording."
    )

