"""What the general commands do (the schedule's are in core/schedule/commands.py). A handler gets the
context, who is asking and the command's text; it returns a Reply and never formats for a platform.
Typed errors (UnknownClient, AmbiguousClient, InvalidClientName, ...) become their message in the
service, so handlers say only what is particular to them."""
from __future__ import annotations

import asyncio
import hashlib

from core import roster
from core.answering import answer_for, question_too_long
from core.context import Context, Who
from core.preferences import apply_setting, settings_text
from core.types import AudioMemo, Button, Cancel, ForgetClient, Reply
from core.records import MemoStatus
from core.replies import present_note
from core.schedule.digests import digest_for, digest_reply


async def ask(ctx: Context, who: Who, question: str) -> Reply:
    too_long = question_too_long(ctx, question)
    if too_long:  # before the thread: nothing is read
        return Reply(too_long)
    answer = await asyncio.to_thread(answer_for, ctx, who, question)
    return Reply(answer.text)


async def clients(ctx: Context, who: Who, args: str) -> Reply:
    with ctx.uow() as uow:
        names = [c.name for c in uow.clients.list(who.therapist_id)]
    if not names:
        return Reply("No clients yet. They are added when a memo names someone new, or with /client NAME.")
    return Reply("Your clients:\n" + "\n".join(f"• {name}" for name in names))


async def today(ctx: Context, who: Who, args: str) -> Reply:
    return digest_reply(digest_for(ctx, who.therapist_id, ctx.today(who.therapist_id)))


async def note(ctx: Context, who: Who, text: str) -> Reply:
    """A note from typed text: the same flow as a voice memo, starting at the transcript."""
    if not any(ch.isalpha() for ch in text):  # empty, or only digits and punctuation: nothing to note
        return Reply("Add the note's text after /note, e.g. /note Session with Maya today. She reported…")
    too_long = note_too_long(ctx, text)
    if too_long:  # before hashing or storing anything
        return Reply(too_long)
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    memo = AudioMemo(f"{ctx.clock.now():%Y%m%d%H%M%S%f}-{key}", None)
    return await write_typed_note(ctx, who, text, memo)


def note_too_long(ctx: Context, text: str) -> str | None:
    limit = ctx.settings.max_note_chars
    if len(text) <= limit:
        return None
    return (f"That note is very long ({len(text):,} characters); I take typed notes of up to {limit:,} characters. "
            "Please shorten it or split it by session. Nothing was saved.")


async def write_typed_note(ctx: Context, who: Who, text: str, memo: AudioMemo, origin: str | None = None) -> Reply:
    """Every typed note comes through here (chat /note, Slack, the CLI): checked for size before it is stored."""
    too_long = note_too_long(ctx, text)
    if too_long:
        return Reply(too_long)
    receipt = await ctx.flow.receive(who, memo, typed=text, origin=origin)
    if not receipt.accepted:
        return Reply(receipt.message)
    if origin is not None:  # a chat: the acknowledgement becomes the note, through the job
        return Reply("")
    finished = await ctx.flow.run(who.therapist_id, receipt.memo_id)  # no chat to edit: answer directly
    return finished_reply(ctx, who, finished)


def finished_reply(ctx: Context, who: Who, memo) -> Reply:
    """What the therapist sees for a memo that has run: its note, or why it failed."""
    if memo is None:
        return Reply("I can't find that memo any more.")
    if memo.status == MemoStatus.FAILED or memo.note_id is None:
        return Reply(memo.failure or "That memo could not be written up.", memo_id=memo.id)
    with ctx.uow() as uow:
        reply = present_note(uow, who.therapist_id, memo.note_id, memo=memo)
        uow.commit()
    return reply or Reply("That note no longer exists.")


async def client(ctx: Context, who: Who, name: str) -> Reply:
    """Whom the next memo is about (a new name becomes a client)."""
    name = roster.clean_name(name)
    if not name:
        return Reply("Say whom your next memo is about, e.g. /client Maya Thompson.")
    with ctx.uow() as uow:
        existing = {c.id for c in uow.clients.list(who.therapist_id)}
        found = roster.find_or_create(uow, who.therapist_id, name.title() if name.islower() else name, who.actor)
        uow.therapists.update(who.therapist_id, next_client_id=found.id)
        uow.commit()
    if found.id not in existing:
        return Reply(f"New client {found.name} added; your next memo will be filed under them.")
    return Reply(f"Your next memo will be filed under {found.name}.")


async def settings(ctx: Context, who: Who, args: str) -> Reply:
    with ctx.uow() as uow:
        message = apply_setting(uow, who.therapist_id, args) if args.strip() else ""
        text = settings_text(uow.therapists.get(who.therapist_id))
        uow.commit()
    return Reply(f"{message}\n\n{text}" if message else text)


async def forget(ctx: Context, who: Who, name: str) -> Reply:
    if not name:
        return Reply("Whom should I forget? e.g. /forget Maya Thompson")
    with ctx.uow() as uow:
        found = roster.find(uow, who.therapist_id, name)
        count = len(uow.notes.for_client(who.therapist_id, found.id))
    return Reply(
        f"Delete {found.name} and all {count} note(s), memos and sessions for good? This cannot be undone.",
        buttons=((Button(f"Yes, delete {found.name}", ForgetClient(found.id)), Button("Cancel", Cancel())),),
    )


async def retry(ctx: Context, who: Who, args: str) -> Reply:
    memos = await ctx.flow.retry_failed(who)
    if not memos:
        return Reply("There are no failed memos to retry.")
    if who.platform != "console":  # each note was posted in the chat as it was written
        written = sum(m.status == "delivered" for m in memos)
        failed = len(memos) - written
        return Reply(f"Retried {len(memos)} memo(s): {written} note(s) written" + (f", {failed} still failing." if failed else "."))
    replies = [finished_reply(ctx, who, memo) for memo in memos]
    notes = [r for r in replies if r.note is not None]
    if len(replies) == 1:
        return replies[0]
    failed = len(replies) - len(notes)
    text = f"Retried {len(replies)} memo(s): {len(notes)} note(s) written" + (f", {failed} still failing." if failed else ".")
    return Reply(text, note=notes[-1].note if notes else None, buttons=notes[-1].buttons if notes else ())
