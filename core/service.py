"""The one facade every channel calls (Telegram, Slack, the console and the CLI): entry points only.
Commands and buttons are routed through their tables (core/commands.py, core/buttons.py); a voice memo
through the memo flow (core/memo_flow.py). Typed errors become their message here, once."""
from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core import note_ops, roster
from core.actions import decode
from core.answering import answer_for
from core.buttons import BUTTONS, EXPIRED
from core.commands import COMMANDS, Command, help_text, parse_command
from core.context import Context, Who
from core.errors import AllianceError, NotEnrolled, NotPrivate, SimilarTherapist
from core.handlers import ask, finished_reply, write_typed_note
from core.jobs import Jobs
from core.language.names import looks_like_name
from core.memo_flow import MemoFlow
from core.notebook import handlers as notebook
from core.notebook.present import shown_note_id
from core.schedule.commands import calendar_file
from core.schedule.digests import digest_for
from core.schedule.notifications import due_notifications
from core.therapist_names import console_key, legacy_key, resembles
from core.types import Answer, AudioMemo, Digest, MemoReceipt, NewClientName, NoteChange, Outgoing, Reply, Sender
from core.records import Account

log = logging.getLogger(__name__)
SILENT = Reply(text="")


@dataclass(frozen=True)
class InviteInfo:
    therapist_id: int
    therapist: str
    code: str
    expires_at: datetime


class Assistant:
    def __init__(self, ctx: Context, flow: MemoFlow, jobs: Jobs):
        self.ctx, self.flow, self.jobs = ctx, flow, jobs
        self.settings, self.clock = ctx.settings, ctx.clock

    # ---- who is talking ------------------------------------------------------------------------------
    def therapist_id(self, sender: Sender) -> int:
        """The enrolled therapist behind a sender; refuses group chats and strangers."""
        if not sender.is_private:
            raise NotPrivate()
        with self.ctx.uow() as uow:
            therapist_id = uow.therapists.by_account(sender.platform, sender.workspace_id, self._user_key(uow, sender))
        if therapist_id is None:
            raise NotEnrolled()
        return therapist_id

    def who(self, sender: Sender) -> Who:
        # The console's "user id" is the therapist's name: the audit log says only "console".
        actor = "console" if sender.platform == "console" else f"{sender.platform}:{sender.user_id}"
        return Who(self.therapist_id(sender), actor, sender)

    def is_enrolled(self, sender: Sender) -> bool:
        try:
            self.therapist_id(sender)
            return True
        except AllianceError:
            return False

    @staticmethod
    def _user_key(uow, sender: Sender) -> str:
        # The console identifies a therapist by name, however punctuated; keep only a keyed hash of it.
        if sender.platform == "console":
            legacy = uow.index(legacy_key(sender.user_id))  # as typed: how a database kept it before
            if uow.therapists.by_account("console", "", legacy) is not None:
                return legacy
            return uow.index(console_key(sender.user_id))
        return sender.user_id

    def console_sender(self, name: str, *, new_therapist: bool = False) -> Sender:
        """The terminal channel: a therapist is created on first use of a name ("Dr Rivera" and "dr. rivera"
        are one). A name that resembles a therapist on file raises SimilarTherapist unless `new_therapist`
        confirms it is someone else. Idempotent when several processes first use a name at once: the account
        is unique, so the loser's transaction is rolled back whole and it finds the winner's."""
        sender = Sender("console", "", name, "console")
        for attempt in range(3):
            try:
                self._console_account(name, sender, new_therapist)
                return sender
            except AllianceError:  # a full disk, a wrong key, a similar name: said as it is
                raise
            except Exception:  # the storage's "already exists": look again (anything else fails again)
                if attempt == 2:
                    raise
        return sender

    def _console_account(self, name: str, sender: Sender, new_therapist: bool) -> None:
        with self.ctx.uow() as uow:
            key = uow.index(console_key(name))
            found = uow.therapists.by_account("console", "", self._user_key(uow, sender))
            known = [] if found is not None else [uow.therapists.get(t.id) for t in uow.therapists.all()]  # names decrypted
            if found is None:  # the same name stored under an older key ("Dr. Rivera" before "Dr Rivera")
                found = next((t.id for t in known if console_key(t.name) == console_key(name)
                              and any(a.platform == "console" for a in uow.therapists.accounts(t.id))), None)
            if found is None:
                similar = [t.name for t in known if resembles(name, t.name)]
                if similar and not new_therapist:
                    raise SimilarTherapist(name, similar)
                found = uow.therapists.add(name, timezone=self.settings.default_timezone)
            if uow.therapists.by_account("console", "", key) is None:
                uow.therapists.link(found, Account("console", "", key))
                uow.commit()
        return sender

    def create_invite(self, name: str, days: int | None = None) -> InviteInfo:
        """A one-time code linking a chat account to the therapist of that name."""
        therapist_id = self.therapist_id(self.console_sender(name))
        code = secrets.token_urlsafe(12)
        expires_at = self.clock.now() + timedelta(days=days or self.settings.invite_days)
        with self.ctx.uow() as uow:
            uow.therapists.add_invite(therapist_id, code, expires_at)
            uow.audit.record(therapist_id, "console", "invite", "therapist", therapist_id)
            uow.commit()
        return InviteInfo(therapist_id, name, code, expires_at)

    def enroll(self, sender: Sender, code: str) -> Reply:
        if not sender.is_private:
            return Reply(str(NotPrivate()))
        if self.is_enrolled(sender):
            return Reply("You're already linked. " + help_text())
        with self.ctx.uow() as uow:
            therapist_id = uow.therapists.redeem_invite(code.strip(), f"{sender.platform}:{sender.user_id}", self.clock.now())
            if therapist_id is None:
                return Reply("That invite code is unknown, used or expired. Ask your practice admin for a new one.")
            uow.therapists.link(therapist_id, Account(sender.platform, sender.workspace_id, sender.user_id))
            uow.audit.record(therapist_id, f"{sender.platform}:{sender.user_id}", "link", "identity", therapist_id)
            name = uow.therapists.get(therapist_id).name
            has_clients = bool(uow.clients.list(therapist_id))
            uow.commit()
        text = f"Welcome, {name}! You're linked.\n\n"
        if not has_clients:  # names on file prime transcription: say so before the first memo
            text += ("First, tell me your clients' names with /client NAME (one each), so I hear them right in "
                     "your memos and file each note without asking.\n\n")
        return Reply(text + help_text())

    def claim_event(self, event_key: str) -> bool:
        """True the first time a platform delivery (update, event) is seen; False for a redelivery."""
        with self.ctx.uow() as uow:
            first = uow.ledger.claim_event(event_key)
            uow.commit()
        return first

    # ---- voice memos ---------------------------------------------------------------------------------
    async def receive_memo(self, sender: Sender, memo: AudioMemo, *, origin: str | None = None) -> MemoReceipt:
        """Record the memo, acknowledge it in the chat (`origin`) and queue it; a worker writes the note."""
        return await self.flow.receive(self.who(sender), memo, origin=origin)

    async def finish_memo(self, therapist_id: int, memo_id: int) -> Reply:
        """Run a memo to the end in this process (CLI, console, demo) and return its note or its failure."""
        memo = await self.flow.run(therapist_id, memo_id)
        return finished_reply(self.ctx, Who(therapist_id, "console"), memo)

    def unfinished_memos(self, therapist_id: int) -> list[int]:
        """This therapist's memos the terminal left half-way (a killed command): oldest first."""
        with self.ctx.uow() as uow:
            return [m for t, m in uow.memos.unfinished("console") if t == therapist_id]

    # ---- typed text ----------------------------------------------------------------------------------
    async def receive_text(self, sender: Sender, text: str, *, message_id: str, prefix: str = "/",
                           reply_to: str | None = None, replied_text: str | None = None,
                           origin: str | None = None) -> Reply:
        """A question, a command, an answer to something the bot asked, or (replying to a note: a memo's,
        or one shown later, whose text is `replied_text`) an edit. A redelivered message is ignored."""
        command = parse_command(text, slash_prefix=prefix)
        if command.name in ("start", "link"):
            if not command.args:
                return Reply(help_text(prefix) if self.is_enrolled(sender) else str(NotEnrolled()))
            return self.enroll(sender, command.args)
        who = self.who(sender)
        with self.ctx.uow() as uow:
            first = uow.ledger.claim_event(f"{sender.platform}:{sender.workspace_id}:text:{message_id}")
            uow.commit()
        if not first:
            return SILENT
        if reply_to is not None and command.name == "ask":
            with self.ctx.uow() as uow:
                memo = uow.memos.by_reply_ref(who.therapist_id, reply_to)
            note_id = memo.note_id if memo is not None else shown_note_id(replied_text)
            if note_id is not None:  # a reply to a note is about that note
                awaited = await self._awaited_answer(who, command.args)
                return awaited or await notebook.reply_to_note(self.ctx, who, note_id, command.args)
        return await self.run_command(sender, command, origin=origin, message_id=message_id)

    async def run_command(self, sender: Sender, command: Command, *, origin: str | None = None,
                          message_id: str | None = None) -> Reply:
        who = self.who(sender)
        try:
            if command.name == "ask":
                awaited = await self._awaited_answer(who, command.args)
                if awaited is not None:
                    return awaited
                return await ask(self.ctx, who, command.args) if command.args else Reply(help_text())
            if command.name == "note" and origin is not None and message_id is not None:
                return await write_typed_note(self.ctx, who, command.args, AudioMemo(message_id, None), origin=origin)
            spec = COMMANDS.get(command.name)
            if spec is None or spec.handler is None:
                return Reply(f"I don't know /{command.raw_name[:30]}.\n\n" + help_text())
            return await spec.handler(self.ctx, who, command.args)
        except AllianceError as error:
            return Reply(str(error))

    async def _awaited_answer(self, who: Who, text: str) -> Reply | None:
        """The bot asked for a new client's name for a draft note: a short answer that reads like a name
        is that name; anything else is handled as usual (and the question is dropped)."""
        with self.ctx.uow() as uow:
            awaiting = uow.therapists.get(who.therapist_id).awaiting
            if isinstance(awaiting, NoteChange):  # "what should change in note 12?" (core/notebook)
                uow.therapists.update(who.therapist_id, awaiting=None)
                uow.commit()
        if isinstance(awaiting, NoteChange):
            return await notebook.awaited_change(self.ctx, who, awaiting.note_id, text)
        with self.ctx.uow() as uow:
            awaiting = uow.therapists.get(who.therapist_id).awaiting
            if not isinstance(awaiting, NewClientName):
                return None
            uow.therapists.update(who.therapist_id, awaiting=None)
            name = roster.clean_name(text)
            if not looks_like_name(name):
                uow.commit()
                return None
            reply = note_ops.assign_new_client(uow, who, awaiting.note_id, name)
            uow.commit()
        return reply

    async def press(self, sender: Sender, data: str) -> Reply:
        """A button the therapist tapped; anything that doesn't decode to an action is refused."""
        who = self.who(sender)
        action = decode(data)
        handler = BUTTONS.get(type(action))
        if handler is None:
            return Reply(EXPIRED)
        try:
            return await handler(self.ctx, who, action)
        except AllianceError as error:
            return Reply(str(error))

    async def calendar_file(self, sender: Sender, data: bytes) -> Reply:
        return await calendar_file(self.ctx, self.who(sender), data)

    # ---- questions and the day -----------------------------------------------------------------------
    async def answer(self, sender: Sender, question: str) -> Answer:
        who = self.who(sender)
        return await asyncio.to_thread(answer_for, self.ctx, who, question)

    async def digest(self, therapist_id: int, day: date) -> Digest:
        return digest_for(self.ctx, therapist_id, day)

    def recent_notes(self, therapist_id: int, limit: int = 10) -> list:
        with self.ctx.uow() as uow:
            return uow.notes.latest(therapist_id, limit)

    def today_for(self, therapist_id: int) -> date:
        return self.ctx.today(therapist_id)

    async def due_notifications(self, now: datetime) -> list[Outgoing]:
        """Digests and reminders due at `now`, each already claimed in the ledger (sent at most once)."""
        return await due_notifications(self.ctx, now)

    async def recover(self, platforms: list[str] | None = None) -> int:
        """Queue every memo a crash or restart left unfinished."""
        return await self.jobs.recover(platforms)
