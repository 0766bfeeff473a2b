"""A question answered from the therapist's own notes: the offline answer first (it decides which notes
are relevant), then, with a model configured, a fluent answer from exactly those notes. Every note cited
is recorded in the audit log. Questions may be about one client or the whole caseload."""
from __future__ import annotations

from datetime import date, datetime, time

from core.context import Context, Who
from core.memory.ask import answer_question
from core.memory.caseload import UNASSIGNED, Session
from core.ports import UnitOfWork
from core.types import Answer, NoteDraft

MAX_QUESTION_CHARS = 2000  # the default of settings.max_question_chars: longer is a paste, not a question


def question_too_long(ctx: Context, question: str) -> str | None:
    """The message for a question over the limit (every way a question comes in checks it), else None."""
    limit = ctx.settings.max_question_chars
    if len(question) <= limit:
        return None
    return f"That question is very long ({len(question)} characters); please ask it in fewer than {limit} characters."


class StoredCaseload:
    """core.memory.caseload.Caseload over one therapist's unit of work; notes loaded per client, once."""

    def __init__(self, uow: UnitOfWork, therapist_id: int, tz, *, whole: bool = False):
        self.uow, self.therapist_id, self.tz = uow, therapist_id, tz
        self.whole = whole  # read every note asked about in full (a model answers from their context)
        self.clients = uow.clients.list(therapist_id)
        self.loaded: dict[int, list[NoteDraft]] = {}

    def notes(self, client_id: int, *, latest: int | None = None, until: date | None = None,
              since: date | None = None) -> list[NoteDraft]:
        if self.whole:
            latest = since = None
        if client_id in self.loaded:  # all of them, read before
            return self.loaded[client_id]
        notes = self.uow.notes.for_client(self.therapist_id, client_id, latest=latest, until=until, since=since)
        if latest is None and since is None:  # only a whole history answers every later question
            self.loaded[client_id] = notes
        return notes

    def entries(self, client_id: int):
        """Alliance entries (scores entered with /score, ruptures marked repaired) of one client."""
        return self.uow.alliance.for_client(self.therapist_id, client_id)

    def sessions(self, start: date, end: date) -> list[Session]:
        names = {c.id: c.name for c in self.clients}
        found = self.uow.appointments.occurrences(
            self.therapist_id, datetime.combine(start, time.min, self.tz), datetime.combine(end, time.min, self.tz), self.tz
        )
        return [Session(o.client_id, names.get(o.client_id, UNASSIGNED), o.starts_at.astimezone(self.tz)) for o in found]


def answer_for(ctx: Context, who: Who, question: str) -> Answer:
    """Blocking (reads and, with a model, a network call): callers run it in a thread."""
    too_long = question_too_long(ctx, question)
    if too_long:
        return Answer(too_long, found=False)
    tz = ctx.tz(who.therapist_id)
    today = ctx.clock.now().astimezone(tz).date()
    with ctx.uow() as uow:
        caseload = StoredCaseload(uow, who.therapist_id, tz, whole=ctx.answerer is not None)
        answer = answer_question(question, caseload, today)
    if ctx.answerer is not None and caseload.loaded:  # a model only ever sees the notes retrieved here
        notes = [n for notes in caseload.loaded.values() for n in notes]
        answer = ctx.answerer.answer(question, notes, offline=answer, today=today)
    if answer.citations:
        with ctx.uow() as uow:
            for citation in answer.citations:
                uow.audit.record(who.therapist_id, who.actor, "read", "note", citation.note_id)
            uow.commit()
    return answer
