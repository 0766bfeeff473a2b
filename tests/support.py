"""Small helpers for tests that set up data or look at it: through the unit of work, like the core."""
from __future__ import annotations

from datetime import datetime

from core import roster
from core.context import Who
from core.handlers import write_typed_note
from core.types import AudioMemo


def add_client(service, therapist_id: int, name: str, aliases=()):
    with service.ctx.uow() as uow:
        client = roster.create(uow, therapist_id, name, "test", aliases)
        uow.commit()
    return client


def add_appointment(service, therapist_id: int, client_id, starts_at: datetime, **fields) -> int:
    with service.ctx.uow() as uow:
        appointment_id = uow.appointments.add(therapist_id, client_id, starts_at, **fields)
        uow.commit()
    return appointment_id


def clients(service, therapist_id: int):
    with service.ctx.uow() as uow:
        return uow.clients.list(therapist_id)


def memo(service, therapist_id: int, memo_id: int):
    with service.ctx.uow() as uow:
        return uow.memos.get(therapist_id, memo_id)


def note(service, therapist_id: int, note_id: int):
    with service.ctx.uow() as uow:
        return uow.notes.get(therapist_id, note_id)


def notes_for(service, therapist_id: int, client_id: int):
    with service.ctx.uow() as uow:
        return uow.notes.for_client(therapist_id, client_id)


def latest_notes(service, therapist_id: int, limit: int = 10):
    with service.ctx.uow() as uow:
        return uow.notes.latest(therapist_id, limit)


def note_versions(service, therapist_id: int, note_id: int):
    with service.ctx.uow() as uow:
        return uow.notes.versions(therapist_id, note_id)


def therapist(service, therapist_id: int):
    with service.ctx.uow() as uow:
        return uow.therapists.get(therapist_id)


def update_therapist(service, therapist_id: int, **fields) -> None:
    with service.ctx.uow() as uow:
        uow.therapists.update(therapist_id, **fields)
        uow.commit()


def update_memo(service, therapist_id: int, memo_id: int, **fields) -> None:
    with service.ctx.uow() as uow:
        uow.memos.update(therapist_id, memo_id, **fields)
        uow.commit()


def occurrences(service, therapist_id: int, start, end, tz=None):
    with service.ctx.uow() as uow:
        return uow.appointments.occurrences(therapist_id, start, end, tz or service.ctx.tz(therapist_id))


def appointments(service, therapist_id: int, **kw):
    with service.ctx.uow() as uow:
        return uow.appointments.list(therapist_id, **kw)


def audit_events(service, therapist_id: int):
    with service.ctx.uow() as uow:
        return uow.audit.events(therapist_id)


def unfinished(service, platform=None):
    with service.ctx.uow() as uow:
        return uow.memos.unfinished(platform)


async def typed_note(service, sender, text: str, *, message_id: str = "m1", **fields):
    """A typed note, written in this process (the CLI's way): returns the note reply."""
    who = service.who(sender)
    return await write_typed_note(service.ctx, who, text, AudioMemo(message_id, None, **fields))


def who(service, sender) -> Who:
    return service.who(sender)


def count_notes(service, therapist_id: int) -> int:
    with service.ctx.uow() as uow:
        return uow.notes.count(therapist_id)


def failed_memos(service, therapist_id: int):
    with service.ctx.uow() as uow:
        return uow.memos.failed(therapist_id)


def feeds(service, therapist_id: int):
    with service.ctx.uow() as uow:
        return uow.appointments.feeds(therapist_id)


def cancel_appointment(service, therapist_id: int, appointment_id: int) -> bool:
    with service.ctx.uow() as uow:
        done = uow.appointments.cancel(therapist_id, appointment_id)
        uow.commit()
    return done


def forget_events_before(service, before) -> int:
    with service.ctx.uow() as uow:
        count = uow.ledger.forget_events_before(before)
        uow.commit()
    return count


def link(service, therapist_id: int, platform: str, workspace_id: str, user_key: str) -> None:
    from core.records import Account

    with service.ctx.uow() as uow:
        uow.therapists.link(therapist_id, Account(platform, workspace_id, user_key))
        uow.commit()


def add_note(service, therapist_id: int, draft, *, memo_id=None, status: str = "final") -> int:
    with service.ctx.uow() as uow:
        note_id = uow.notes.add(therapist_id, draft, memo_id=memo_id, status=status)
        uow.commit()
    return note_id


def create_therapist(service, name: str, **settings) -> int:
    with service.ctx.uow() as uow:
        therapist_id = uow.therapists.add(name, **settings)
        uow.commit()
    return therapist_id


def W(therapist_id: int, actor: str = "test") -> Who:
    """Who a core call acts for, in tests that call the core directly."""
    return Who(therapist_id, actor)


def answer(service, therapist_id: int, question: str):
    from core.answering import answer_for

    return answer_for(service.ctx, Who(therapist_id, "test"), question)
