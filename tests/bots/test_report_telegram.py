"""/report and /chart in Telegram, against the fake Bot API: the timeline as text with a "Mark repaired"
button, and the chart as a photo (sendPhoto) the phone shows inline."""
from __future__ import annotations

from tests.bots.report_data import RUPTURE, maya_with_history
from tests.bots.test_telegram import (  # noqa: F401 - fixtures
    ADA,
    buttons,
    chat,
    enrol,
    fake,
    service,
    settings,
)
from tests.fakes.telegram_api import image_size


async def test_report_sends_the_timeline_then_the_chart_as_a_photo(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    maya_with_history(service, "Dr. Ada Quinn")
    text = await chat.say(ADA, "/report Maya")
    assert text.startswith("Alliance — Maya Thompson (3 session(s), 2026-10-06 to 2026-10-20)")
    assert f'2026-10-13 rupture — OPEN: "{RUPTURE}"' in text
    assert "SRS [range 0–40]: 38 (2026-10-06), 31 (2026-10-13), 33 (2026-10-20)" in text
    [photo] = await fake.wait_calls("sendPhoto")
    [(chat_id, filename, data)] = fake.photos
    assert chat_id == ADA and filename == "maya-thompson-chart.png" and image_size(data)[0] >= 1000
    assert "sendDocument" not in fake.methods()
    report_message = next(m for (c, _), m in fake.messages.items() if c == ADA and m.get("text", "").startswith("Alliance —"))
    assert [label for label, _ in buttons(report_message)] == ["Mark repaired: rupture 13 Oct"]
    await chat.press(ADA, report_message["message_id"], "Mark repaired")
    assert fake.sent_to(ADA)[-1] == "Marked the rupture of Tue 13 Oct 2026 repaired."
    assert "No open rupture in the notes." in await chat.say(ADA, "/report Maya Thompson")


async def test_chart_command_sends_a_photo_and_unknown_clients_get_a_clear_answer(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    maya_with_history(service, "Dr. Ada Quinn")
    caption = await chat.say(ADA, "/chart Maya SRS")
    assert caption == "Maya Thompson: SRS; 3 score(s), 1 alliance mark(s)."
    await fake.wait_calls("sendPhoto")
    assert "I don't have a client by that name" in await chat.say(ADA, "/chart Nobody Here")
    assert "no PHQ-9 scores" in await chat.say(ADA, "/chart Maya PHQ-9")
    assert len(fake.photos) == 1
