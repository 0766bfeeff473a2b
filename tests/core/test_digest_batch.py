"""The batched digest composer (the 07:30 tick) gives exactly what Assistant.digest gives, one therapist at
a time, and never mixes therapists."""
from __future__ import annotations

from datetime import date, datetime, timezone

from core.schedule.digests import compose_digests
from tests.core.helpers_schedule import FakeClock, client_with_history, local, note, therapist
from tests import support


async def test_batched_digests_equal_one_by_one(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)))
    berlin = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="1")
    tokyo = therapist(service, "Dr. Kenji Mori", tz="Asia/Tokyo", telegram="2")
    empty = therapist(service, "Dr. Tomas Reyes", tz="America/New_York", telegram="3")
    maya = client_with_history(
        service, berlin, "Maya Thompson", date(2026, 11, 3), "First weeks at the new job.",
        follow_ups=("Check in on the drinking",), risks=(("passive_ideation", "Said she sometimes wishes she could vanish."),),
    )
    for day, summary in ((date(2026, 11, 10), "Sleep better."), (date(2026, 11, 17), "Conflict with her sister."),
                         (date(2026, 11, 24), "Practised assertive requests."), (date(2026, 12, 1), "Written today, after the digest day started.")):
        support.add_note(service, berlin, note(maya, day, summary, homework=("Thought record",)), memo_id=None)
    support.add_appointment(service, berlin, maya.id, local("Europe/Berlin", 2026, 12, 1, 15, 0))
    support.add_appointment(service, berlin, None, local("Europe/Berlin", 2026, 12, 1, 9, 0), title="MT?")
    cancelled = support.add_appointment(service, berlin, maya.id, local("Europe/Berlin", 2026, 12, 1, 17, 0))
    support.cancel_appointment(service, berlin, cancelled)
    kenji_client = client_with_history(service, tokyo, "Daniel Okafor", date(2026, 11, 20), "Grief after his father's death.")
    support.add_appointment(service, tokyo, kenji_client.id, local("Asia/Tokyo", 2026, 11, 3, 10, 0), weekly=True)
    # A row pointing at another therapist's client must not pull that client's name or notes across.
    support.add_appointment(service, tokyo, maya.id, local("Asia/Tokyo", 2026, 12, 1, 18, 0))

    wanted = [(berlin, date(2026, 12, 1)), (tokyo, date(2026, 12, 1)), (empty, date(2026, 12, 1))]
    batched = compose_digests(service.ctx, wanted)
    for therapist_id, day in wanted:
        assert batched[therapist_id] == await service.digest(therapist_id, day)
    berlin_items = batched[berlin].items
    assert [(i.starts_at.strftime("%H:%M"), i.client_name) for i in berlin_items] == [("09:00", "Unassigned session"), ("15:00", "Maya Thompson")]
    assert berlin_items[1].last_session == date(2026, 11, 24) and berlin_items[1].summary == "Practised assertive requests."
    tokyo_items = batched[tokyo].items
    assert [(i.client_name, i.first_session) for i in tokyo_items] == [("Daniel Okafor", False), ("Unassigned session", True)]
    assert "Maya" not in repr(batched[tokyo]) and batched[empty].empty
