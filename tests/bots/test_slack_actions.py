"""Slack: the /alliance command, the buttons and menu under a note, the App Home tab, and a restart
that delivers a memo the previous run had not finished."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.types import AudioMemo, Sender
from tests.bots.test_slack import (  # noqa: F401 (fixtures)
    ADA,
    MAYA_NOTE,
    STRANGER,
    fake,
    labels,
    service,
    settings,
    start_bot,
    text_of,
    workspace,
)
from tests.fakes.slack_api import BOT_TOKEN, TEAM, dm_for
from tests import support


async def test_slash_commands_answer_in_the_dm(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    dm = dm_for(ADA)

    response = await workspace.command(ADA, "help")
    assert response.status == 200  # acknowledged at once, the answer follows as a message
    assert "/alliance today" in text_of(workspace.last_post(dm))

    await workspace.command(ADA, MAYA_NOTE)
    note = workspace.last_post(dm)
    assert note["blocks"][0]["text"]["text"].startswith("Note for Maya Thompson")
    assert "box breathing" in text_of(note) and "thought record" in text_of(note)

    await workspace.command(ADA, "clients")
    assert "Maya Thompson" in text_of(workspace.last_post(dm))

    await workspace.command(ADA, "what did Maya mention last time?")
    answer = text_of(workspace.last_post(dm))
    assert "anxious" in answer or "box breathing" in answer

    await workspace.command(ADA, "today")
    assert "No sessions on" in text_of(workspace.last_post(dm))

    await workspace.command(ADA, "export Maya Thompson")
    done = fake.calls_to("files.completeUploadExternal")[-1].params
    assert done["channel_id"] == dm and "Maya Thompson" in done["initial_comment"]
    uploaded = fake.uploads[done["files"][0]["id"]].decode()
    assert "# Maya Thompson — session notes" in uploaded and "box breathing" in uploaded

    await workspace.command(ADA, "forget Maya Thompson")
    confirm = workspace.last_post(dm)
    assert "cannot be undone" in text_of(confirm)
    await workspace.press(ADA, dm, confirm["ts"], "Yes, delete Maya Thompson")
    assert text_of(fake.messages[(dm, confirm["ts"])]).startswith("Deleted Maya Thompson")
    assert support.clients(workspace.service, workspace.service.therapist_id(Sender("slack", TEAM, ADA, "im"))) == []


async def test_note_buttons_change_format_client_and_delete(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    dm = dm_for(ADA)
    await workspace.command(ADA, "client Sam Rivera")
    await workspace.command(ADA, MAYA_NOTE)
    note = workspace.last_post(dm)
    ts = note["ts"]
    assert {"DAP", "BIRP", "GIRP", "Sam Rivera", "New client…", "Delete"} <= set(labels(note))
    menu = next(e for b in note["blocks"] if b["type"] == "actions" for e in b["elements"] if e["type"] == "static_select")
    assert menu["placeholder"]["text"] == "Change client" and "Sam Rivera" in [o["text"]["text"] for o in menu["options"]]

    await workspace.press(ADA, dm, ts, "DAP")
    updated = fake.messages[(dm, ts)]  # the note changes in place
    assert "(DAP)" in updated["blocks"][0]["text"]["text"]
    assert "*Data*" in text_of(updated) and "*Assessment*" in text_of(updated)

    await workspace.press(ADA, dm, ts, "Sam Rivera")  # the change-client menu
    assert fake.messages[(dm, ts)]["blocks"][0]["text"]["text"].startswith("Note for Sam Rivera")

    await workspace.press(ADA, dm, ts, "Delete")
    confirm = workspace.last_post(dm)
    assert confirm["thread_ts"] == ts and "Delete this note for good?" in text_of(confirm)
    await workspace.press(ADA, dm, confirm["ts"], "Keep it")
    assert "nothing was changed" in text_of(fake.messages[(dm, confirm["ts"])])
    assert "box breathing" in text_of(fake.messages[(dm, ts)])

    await workspace.press(ADA, dm, ts, "Delete")
    confirm = workspace.last_post(dm)
    await workspace.press(ADA, dm, confirm["ts"], "Yes, delete the note")
    assert text_of(fake.messages[(dm, confirm["ts"])]) == "Note deleted."
    assert text_of(fake.messages[(dm, ts)]) == "Note deleted."  # the note's text leaves Slack too
    therapist = workspace.service.therapist_id(Sender("slack", TEAM, ADA, "im"))
    assert support.latest_notes(workspace.service, therapist) == []


async def test_new_client_named_in_the_thread(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    dm = dm_for(ADA)
    await workspace.command(ADA, MAYA_NOTE)
    ts = workspace.last_post(dm)["ts"]
    await workspace.press(ADA, dm, ts, "New client…")
    question = workspace.last_post(dm)
    assert "new client's name" in text_of(question) and question["thread_ts"] == ts

    await workspace.say(ADA, "Maya Okafor", thread_ts=ts)
    answer = workspace.last_post(dm)
    assert answer["thread_ts"] == ts and answer["blocks"][0]["text"]["text"].startswith("Note for Maya Okafor")


async def test_app_home_shows_today_and_latest_notes(workspace, fake):
    await workspace.event({"type": "app_home_opened", "user": STRANGER, "channel": dm_for(STRANGER), "tab": "home", "event_ts": "1"})
    await workspace.settle()
    refusal = fake.calls_to("views.publish")[-1].params
    assert refusal["user_id"] == STRANGER and "/alliance link" in str(refusal["view"])

    await workspace.enrol(ADA, "Dr Ada Example")
    await workspace.command(ADA, MAYA_NOTE)
    therapist = workspace.service.therapist_id(Sender("slack", TEAM, ADA, "im"))
    maya = support.clients(workspace.service, therapist)[0]
    soon = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(minutes=5)
    if soon.date() != datetime.now(timezone.utc).date():
        soon -= timedelta(minutes=10)
    support.add_appointment(workspace.service, therapist, maya.id, soon)

    await workspace.event({"type": "app_home_opened", "user": ADA, "channel": dm_for(ADA), "tab": "home", "event_ts": "2"})
    await workspace.settle()
    view = fake.calls_to("views.publish")[-1].params
    assert view["user_id"] == ADA and view["view"]["type"] == "home"
    home = text_of({"blocks": view["view"]["blocks"]})
    assert home.startswith("Today, ") and f"*{soon:%H:%M}* Maya Thompson" in home
    assert "Latest notes" in home and "*Maya Thompson* ·" in home


async def test_restart_delivers_a_memo_the_last_run_did_not_finish(service, settings, fake, shared_data):
    # The previous run stored the memo and where its note belongs, then stopped.
    code = service.create_invite("Dr Ada Example").code
    sender = Sender("slack", TEAM, ADA, "im")
    service.enroll(sender, code)
    therapist = service.therapist_id(sender)
    memo_ts = "1700000999.000200"
    receipt = await service.receive_memo(sender, AudioMemo(f"{dm_for(ADA)}:{memo_ts}", (shared_data / "speech/formats/jfk.m4a").read_bytes(), "memo.m4a"),
                                         origin=f"{dm_for(ADA)}:{memo_ts}")

    ws, stop, task = await start_bot(service, settings, fake)
    await service.recover()  # what the worker does when it starts
    try:
        await fake.wait_for("chat.postMessage")
        await ws.settle()
        note = ws.last_post(dm_for(ADA))
        assert note["thread_ts"] == memo_ts and "ask not what your country" in text_of(note).lower()
        assert support.unfinished(service, "slack") == []
    finally:
        stop.set()
        await task


async def test_restart_fetches_a_memo_whose_download_was_cut_off(service, settings, fake, shared_data):
    # The previous run recorded the memo before downloading it (as MemoFlow.receive does), noted its
    # thread, and died mid-download; Slack won't send the event again.
    code = service.create_invite("Dr Ada Example").code
    sender = Sender("slack", TEAM, ADA, "im")
    service.enroll(sender, code)
    therapist = service.therapist_id(sender)
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    memo_ts = "1700000998.000200"
    receipt = await service.receive_memo(
        sender, AudioMemo(f"{dm_for(ADA)}:{memo_ts}", None, "memo.m4a", source_ref=clip["id"], size_bytes=clip["size"]),
        origin=f"{dm_for(ADA)}:{memo_ts}",
    )

    ws, stop, task = await start_bot(service, settings, fake)
    await service.recover()  # what the worker does when it starts
    try:
        await fake.wait_for("chat.postMessage")
        await ws.settle()
        note = ws.last_post(dm_for(ADA))
        assert note["thread_ts"] == memo_ts and "ask not what your country" in text_of(note).lower()
        assert [c.params["file"] for c in fake.calls_to("files.info")] == [clip["id"]]
        [download] = fake.calls_to("file")  # the audio came from the fake's file endpoint
        assert download.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
        assert support.memo(service, therapist, receipt.memo_id).status == "delivered"
        assert support.unfinished(service, "slack") == []
    finally:
        stop.set()
        await task

    posts = len(fake.posts())
    ws, stop, task = await start_bot(service, settings, fake)  # and again: nothing twice
    await service.recover()
    try:
        await ws.settle()
    finally:
        stop.set()
        await task
    assert len(fake.posts()) == posts and len(fake.calls_to("file")) == 1


async def test_restart_asks_again_for_a_memo_slack_no_longer_has(service, settings, fake):
    code = service.create_invite("Dr Ada Example").code
    sender = Sender("slack", TEAM, ADA, "im")
    service.enroll(sender, code)
    therapist = service.therapist_id(sender)
    memo_ts = "1700000997.000200"
    receipt = await service.receive_memo(
        sender, AudioMemo(f"{dm_for(ADA)}:{memo_ts}", None, "memo.m4a", source_ref="F0GONE", size_bytes=2048),
        origin=f"{dm_for(ADA)}:{memo_ts}",
    )

    ws, stop, task = await start_bot(service, settings, fake)
    await service.recover()  # what the worker does when it starts
    try:
        await fake.wait_for("chat.postMessage")
        await ws.settle()
        told = ws.last_post(dm_for(ADA))
        assert told["thread_ts"] == memo_ts and "send it again" in text_of(told)
        assert fake.reactions[(dm_for(ADA), memo_ts)] == {"warning"}
        assert not fake.calls_to("file")
        memo = support.memo(service, therapist, receipt.memo_id)
        assert memo.status == "failed" and memo.failure
        assert support.unfinished(service, "slack") == []
    finally:
        stop.set()
        await task


async def test_the_morning_digest_reaches_the_dm(service, settings, fake):
    from bots.slack import make_notifier
    from core.schedule.digests import digest_reply

    code = service.create_invite("Dr Ada Example").code
    sender = Sender("slack", TEAM, ADA, "im")
    service.enroll(sender, code)
    therapist = service.therapist_id(sender)
    maya = support.add_client(service, therapist, "Maya Thompson")
    day = service.today_for(therapist)
    support.add_appointment(service, therapist, maya.id, datetime.combine(day, datetime.min.time(), timezone.utc).replace(hour=15))
    reply = digest_reply(await service.digest(therapist, day))

    await make_notifier(settings).send(ADA, TEAM, reply)
    assert fake.calls_to("conversations.open")[-1].params["users"] == ADA
    message = fake.posts(dm_for(ADA))[-1]
    assert message["blocks"][0]["text"]["text"].startswith("Prep for") and "15:00 Maya Thompson" in text_of(message)
