"""What each command and button does. Handlers get the service, the sender and the therapist id;
they return a Reply and never format for a platform."""
from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Awaitable, Callable

from core.schedule.appointments import assign_command, calendar_command, list_text, schedule_from_text
from core.commands import Command, client_name_problem, help_text, record_id
from core.errors import AllianceError
from core.replies import client_picker, note_reply
from core.types import NOTE_FORMATS, Button, Reply, Sender

if TYPE_CHECKING:
    from core.service import Assistant

Handler = Callable[["Assistant", Sender, int, str], Awaitable[Reply]]

# A question longer than this is a paste, not a question; matching it against every note would be slow
# and its answer would echo it back.
MAX_QUESTION_CHARS = 2000


async def dispatch(service: "Assistant", sender: Sender, therapist_id: int, command: Command) -> Reply:
    awaiting = service.store.therapist(therapist_id).awaiting
    if awaiting and command.name == "ask":
        return await _answer_awaited(service, therapist_id, awaiting, command.args)
    handler = HANDLERS.get(command.name)
    if handler is None:
        return Reply(f"I don't know /{command.raw_name[:30]}.\n\n" + help_text())
    return await handler(service, sender, therapist_id, command.args)


async def _help(service, sender, therapist_id, args) -> Reply:
    return Reply(help_text())


async def _ask(service, sender, therapist_id, question) -> Reply:
    if not question:
        return Reply(help_text())
    if len(question) > MAX_QUESTION_CHARS:
        return Reply(f"That question is very long; please ask it in fewer than {MAX_QUESTION_CHARS} characters.")
    answer = await asyncio.to_thread(service.answer_for, therapist_id, question, actor=f"{sender.platform}:{sender.user_id}")
    return Reply(answer.text)


async def _clients(service, sender, therapist_id, args) -> Reply:
    clients = service.store.clients(therapist_id)
    if not clients:
        return Reply("No clients yet. They are added when a memo names someone new, or with /note.")
    return Reply("Your clients:\n" + "\n".join(f"• {c.name}" for c in clients))


async def _today(service, sender, therapist_id, args) -> Reply:
    return service.digest_reply(await service.digest(therapist_id, service.today_for(therapist_id)))


async def _note(service, sender, therapist_id, text) -> Reply:
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    return await service.write_typed_note(sender, text, message_id=f"{service.clock.now():%Y%m%d%H%M%S%f}-{key}")


async def _client(service, sender, therapist_id, name) -> Reply:
    name = " ".join(name.split())
    if not name:
        return Reply("Say whom your next memo is about, e.g. /client Maya Thompson.")
    invalid = client_name_problem(name)  # before any lookup: this name may become a stored client
    if invalid:
        return Reply(invalid)
    client, problem = service.find_client(therapist_id, name)
    if client is None:
        if problem.startswith("Several"):  # ambiguous: say so rather than add a near-duplicate
            return Reply(problem)
        created = service.store.add_client(therapist_id, name.title())
        service.store.update_therapist(therapist_id, next_client_id=created.id)
        return Reply(f"New client {created.name} added; your next memo will be filed under them.")
    service.store.update_therapist(therapist_id, next_client_id=client.id)
    return Reply(f"Your next memo will be filed under {client.name}.")


async def _settings(service, sender, therapist_id, args) -> Reply:
    return service.settings_reply(therapist_id, args)


async def _export(service, sender, therapist_id, name) -> Reply:
    if not name:
        return Reply("Whose notes? e.g. /export Maya Thompson")
    client, problem = service.find_client(therapist_id, name)
    if client is None:
        return Reply(problem)
    document = service.export(therapist_id, client, f"{sender.platform}:{sender.user_id}")
    return Reply(f"Notes for {client.name}.", document=document)


async def _forget(service, sender, therapist_id, name) -> Reply:
    if not name:
        return Reply("Whom should I forget? e.g. /forget Maya Thompson")
    client, problem = service.find_client(therapist_id, name)
    if client is None:
        return Reply(problem)
    count = len(service.store.notes_for_client(therapist_id, client.id))
    return Reply(
        f"Delete {client.name} and all {count} note(s), memos and sessions for good? This cannot be undone.",
        buttons=((Button(f"Yes, delete {client.name}", f"forget:{client.id}"), Button("Cancel", "cancel")),),
    )


async def _retry(service, sender, therapist_id, args) -> Reply:
    replies = await service.retry_failed(sender)
    notes = [r for r in replies if r.note is not None]
    if len(replies) == 1:
        return replies[0]
    failed = len(replies) - len(notes)
    text = f"Retried {len(replies)} memo(s): {len(notes)} note(s) written" + (f", {failed} still failing." if failed else ".")
    return Reply(text, note=notes[-1].note if notes else None, buttons=notes[-1].buttons if notes else ())


async def _schedule(service, sender, therapist_id, args) -> Reply:
    return schedule_from_text(service, therapist_id, args)


async def _appointments(service, sender, therapist_id, args) -> Reply:
    return Reply(list_text(service, therapist_id))


async def _cancel(service, sender, therapist_id, args) -> Reply:
    appointment_id = record_id(args)
    if appointment_id is None:
        return Reply("Say which session to cancel by its number from /appointments, e.g. /cancel 3.")
    if service.store.cancel_appointment(therapist_id, appointment_id):
        return Reply("Session cancelled.")
    return Reply("I couldn't find that session. See /appointments.")


async def _calendar(service, sender, therapist_id, args) -> Reply:
    return await calendar_command(service, therapist_id, args)


async def _assign(service, sender, therapist_id, args) -> Reply:
    return assign_command(service, therapist_id, args)


HANDLERS: dict[str, Handler] = {
    "help": _help,
    "ask": _ask,
    "clients": _clients,
    "today": _today,
    "note": _note,
    "client": _client,
    "settings": _settings,
    "export": _export,
    "forget": _forget,
    "retry": _retry,
    "schedule": _schedule,
    "appointments": _appointments,
    "cancel": _cancel,
    "calendar": _calendar,
    "assign": _assign,
}


async def _answer_awaited(service, therapist_id: int, awaiting: str, text: str) -> Reply:
    """The bot asked for a new client's name for a draft note; this message is that name."""
    service.store.update_therapist(therapist_id, awaiting=None)
    kind, _, note_id = awaiting.partition(":")
    name = " ".join(text.split())
    if kind != "newclient" or not note_id.isdigit() or not name or len(name) > 80:
        return Reply("Okay, never mind. Ask me anything, or send a memo.")
    client = service.store.add_client(therapist_id, name)
    return service.assign_client(therapist_id, int(note_id), client)


async def press(service: "Assistant", sender: Sender, therapist_id: int, action: str) -> Reply:
    """A button the therapist tapped. Actions were made by core.replies; anything else is refused."""
    parts = action.split(":")
    verb, ids = parts[0], parts[1:]
    # A forged or garbled action may carry anything: only ids that can name a row count.
    numbers = [n for n in (record_id(p) for p in ids) if n is not None]
    store = service.store
    if verb == "cancel":
        store.update_therapist(therapist_id, awaiting=None)
        return Reply("Cancelled — nothing was changed.")
    if verb == "clients" and numbers:
        if store.note(therapist_id, numbers[0]) is None:
            return Reply("That note no longer exists.")
        return Reply("Which client is this note for?", buttons=client_picker(numbers[0], store.clients(therapist_id)))
    if verb == "pick" and len(numbers) == 2:
        client = store.client(therapist_id, numbers[1])
        if client is None:
            return Reply("That client no longer exists.")
        return service.assign_client(therapist_id, numbers[0], client)
    if verb == "newclient" and numbers:
        if store.note(therapist_id, numbers[0]) is None:
            return Reply("That note no longer exists.")
        store.update_therapist(therapist_id, awaiting=f"newclient:{numbers[0]}")
        return Reply("What is the new client's name? Reply with it.", buttons=((Button("Cancel", "cancel"),),))
    if verb == "format" and numbers and len(ids) == 2 and ids[1] in NOTE_FORMATS:
        return await _reformat(service, therapist_id, numbers[0], ids[1])
    if verb == "llm" and numbers:
        from core.models.revise import retry_with_model

        return await retry_with_model(service, therapist_id, numbers[0])
    if verb == "delete" and numbers:
        if store.note(therapist_id, numbers[0]) is None:
            return Reply("That note no longer exists.")
        return Reply(
            "Delete this note for good?",
            buttons=((Button("Yes, delete the note", f"delete!:{numbers[0]}"), Button("Keep it", "cancel")),),
        )
    if verb == "delete!" and numbers:
        if store.delete_note(therapist_id, numbers[0]):
            store.audit(therapist_id, f"{sender.platform}:{sender.user_id}", "delete", "note", numbers[0])
            return Reply("Note deleted.")
        return Reply("That note was already deleted.")
    if verb == "forget" and numbers:
        client = store.client(therapist_id, numbers[0])
        if client is None or not store.delete_client(therapist_id, numbers[0]):
            return Reply("That client was already deleted.")
        store.audit(therapist_id, f"{sender.platform}:{sender.user_id}", "delete", "client", numbers[0])
        return Reply(f"Deleted {client.name} and everything recorded about them.")
    return Reply("That button has expired. Send the command again.")


async def _reformat(service: "Assistant", therapist_id: int, note_id: int, note_format: str) -> Reply:
    store = service.store
    note = store.note(therapist_id, note_id)
    if note is None:
        return Reply("That note no longer exists.")
    row = store.note_row(therapist_id, note_id)
    memo = store.memo(therapist_id, row.memo_id) if row and row.memo_id else None
    if memo is None or not memo.transcript:
        return Reply("I can't rewrite that note: its source is no longer stored.")
    try:
        draft = await asyncio.to_thread(
            service.memos.writer.write,
            memo.transcript,
            note_format=note_format,
            session_date=note.session_date,
            client_name=note.client_name,
        )
    except AllianceError as error:
        return Reply(str(error))
    draft = replace(draft, client_id=note.client_id, client_name=note.client_name, needs_client=note.needs_client)
    updated = store.replace_note(therapist_id, note_id, draft, status="draft" if note.needs_client else "final")
    store.audit(therapist_id, "system", "write", "note", note_id)
    return note_reply(updated, memo_id=memo.id)
