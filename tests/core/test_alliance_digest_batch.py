"""The 07:30 tick's batched digests read enough notes for the alliance lines: an open rupture eight
sessions back, entered scores and a repaired mark come out item for item as in the one-by-one digest
(and the reminder), on SQLite and PostgreSQL, without mixing therapists."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from core.schedule.digest import NOTES_READ, RECENT_SESSIONS_FOR_ALLIANCE
from core.schedule.digests import compose_digests, reminder_item
from core.types import Flag, Measure, NoteDraft
from core.records import Occurrence
from tests import support
from tests.core.helpers_schedule import FakeClock, local, therapist


def draft(client, day: date, summary: str, flags=(), measures=()) -> NoteDraft:
    return NoteDraft(client.name, day, "SOAP", (("Subjective", summary),), summary, client_id=client.id,
                     alliance=tuple(flags), measures=tuple(measures))


async def test_batched_alliance_lines_equal_one_by_one(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)))
    berlin = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="1")
    tokyo = therapist(service, "Dr. Kenji Mori", tz="Asia/Tokyo", telegram="2")
    maya = support.add_client(service, berlin, "Maya Thompson")
    old = date(2026, 10, 6)
    support.add_note(service, berlin, draft(maya, old, "She wants a new therapist.", [Flag("rupture", "She asked for a different therapist.")],
                                            [Measure("SRS", 35, "SRS 35.", scale_min=0, scale_max=40)]))
    for week in range(1, 8):  # seven quieter sessions after it: the rupture is eight sessions back
        support.add_note(service, berlin, draft(maya, old + timedelta(weeks=week), f"Session {week}: sleep and work."))
    support.add_note(service, berlin, draft(maya, date(2026, 12, 1), "Written today, after the digest day started.",
                                            [Flag("repair", "We talked it through.")]))
    with service.ctx.uow() as uow:
        uow.alliance.add(berlin, maya.id, date(2026, 11, 20), "score", measure=Measure("SRS", 30, "SRS 30", scale_min=0, scale_max=40))
        uow.commit()
    daniel = support.add_client(service, tokyo, "Daniel Okafor")
    support.add_note(service, tokyo, draft(daniel, date(2026, 11, 3), "He walked out early.", [Flag("rupture", "He walked out early.")]))
    with service.ctx.uow() as uow:
        [note] = uow.notes.for_client(tokyo, daniel.id)
        uow.alliance.add(tokyo, daniel.id, date(2026, 11, 10), "repaired", note_id=note.note_id)
        uow.commit()
    at = local("Europe/Berlin", 2026, 12, 1, 15, 0)
    appointment = support.add_appointment(service, berlin, maya.id, at)
    support.add_appointment(service, tokyo, daniel.id, local("Asia/Tokyo", 2026, 12, 1, 10, 0))
    support.add_appointment(service, tokyo, maya.id, local("Asia/Tokyo", 2026, 12, 1, 18, 0))  # another's client

    assert NOTES_READ >= RECENT_SESSIONS_FOR_ALLIANCE >= 8
    wanted = [(berlin, date(2026, 12, 1)), (tokyo, date(2026, 12, 1))]
    batched = compose_digests(service.ctx, wanted)
    for therapist_id, day in wanted:
        assert batched[therapist_id] == await service.digest(therapist_id, day)
    [item] = batched[berlin].items
    kinds = [(a.kind, a.session_date) for a in item.alliance_items]
    assert kinds == [("rupture", old), ("score_drop", date(2026, 11, 20))]  # today's repair is after the digest day began
    assert item.alliance_items[0].quote == "She asked for a different therapist."
    reminder = reminder_item(service.ctx, berlin, Occurrence(appointment, maya.id, at.astimezone(timezone.utc)))
    assert reminder.alliance_items == item.alliance_items
    tokyo_items = batched[tokyo].items
    assert [i.alliance_items for i in tokyo_items] == [(), ()]  # Daniel's rupture was marked repaired
    assert "Maya" not in repr(batched[tokyo]) and "different therapist" not in repr(batched[tokyo])
