"""A question answered from the therapist's own notes: the offline answer first (it decides which notes
are relevant), then, with a model configured, a fluent answer from exactly those notes. Every note cited
is recorded in the audit log."""
from __future__ import annotations

from core.context import Context, Who
from core.memory.ask import answer_question
from core.types import Answer, NoteDraft

MAX_QUESTION_CHARS = 2000  # longer is a paste, not a question: matching it would be slow and echo it back


def answer_for(ctx: Context, who: Who, question: str) -> Answer:
    """Blocking (reads and, with a model, a network call): callers run it in a thread."""
    today = ctx.today(who.therapist_id)
    loaded: dict[int, list[NoteDraft]] = {}
    with ctx.uow() as uow:
        clients = uow.clients.list(who.therapist_id)

        def load_notes(client_id: int) -> list[NoteDraft]:
            if client_id not in loaded:
                loaded[client_id] = uow.notes.for_client(who.therapist_id, client_id)
            return loaded[client_id]

        answer = answer_question(question, clients, load_notes, today)
    if ctx.answerer is not None and loaded:  # a model only ever sees the notes retrieved here
        notes = [n for notes in loaded.values() for n in notes]
        answer = ctx.answerer.answer(question, notes, offline=answer, today=today)
    if answer.citations:
        with ctx.uow() as uow:
            for citation in answer.citations:
                uow.audit.record(who.therapist_id, who.actor, "read", "note", citation.note_id)
            uow.commit()
    return answer
