"""What a question reads, on SQLite and PostgreSQL: only the sessions it needs ("this month", "last
time"), and a partial read never stands in for a client's whole history later in the same question."""
from __future__ import annotations

from datetime import date

from core.answering import StoredCaseload
from core.context import zone
from tests import support

DAYS = (date(2026, 9, 1), date(2026, 10, 6), date(2026, 11, 3), date(2026, 11, 24))


async def test_a_window_reads_its_sessions_and_a_partial_read_is_not_reused(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Rivera")
    tid = service.therapist_id(sender)
    for i, day in enumerate(DAYS):
        await support.typed_note(service, sender, f"Session with Maya Thompson. Talked about work, week {i}.",
                                 message_id=f"m{i}", session_date=day)
    client = support.clients(service, tid)[0]
    with service.ctx.uow() as uow:
        since = uow.notes.for_client(tid, client.id, since=date(2026, 11, 1))
        assert [n.session_date for n in since] == [date(2026, 11, 3), date(2026, 11, 24)]
        caseload = StoredCaseload(uow, tid, zone("UTC"))
        assert [n.session_date for n in caseload.notes(client.id, latest=1)] == [date(2026, 11, 24)]
        assert [n.session_date for n in caseload.notes(client.id, since=date(2026, 11, 1))] == list(DAYS[2:])
        assert [n.session_date for n in caseload.notes(client.id)] == list(DAYS)  # the whole history, not a cached part
    with service.ctx.uow() as uow:
        assert uow.notes.for_client(tid + 1000, client.id, since=date(2026, 1, 1)) == []  # another therapist: nothing
