"""Notes reached later in Slack, against the fake Web API: `/alliance notes` with a button per note, the
note's tools (transcript, copy as a code block, sign, edit by the next message), and the App Home tab
listing drafts whose buttons answer in the bot's DM."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from core.types import Sender
from tests.bots.test_slack import (  # noqa: F401 (fixtures)
    ADA,
    MAYA_NOTE,
    fake,
    labels,
    service,
    settings,
    start_bot,
    text_of,
    workspace,
)
from tests.fakes.slack_api import TEAM, dm_for
from tests import support


async def test_notes_command_and_the_tools_under_a_note(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    dm = dm_for(ADA)
    await workspace.command(ADA, MAYA_NOTE)
    await workspace.command(ADA, "notes")
    listing = workspace.last_post(dm)
    assert "Maya Thompson" in text_of(listing) and "/alliance notes 1 (its number)" in text_of(listing)
    [label] = labels(listing)
    await workspace.press(ADA, dm, listing["ts"], label)
    note = fake.messages[(dm, listing["ts"])]  # the list's message opens the note
    assert note["blocks"][0]["text"]["text"].startswith("Note #") and "box breathing" in text_of(note)
    assert {"Edit…", "Transcript", "Copy", "Sign", "Delete"} <= set(labels(note))

    await workspace.press(ADA, dm, listing["ts"], "Copy")
    copied = workspace.last_post(dm)
    assert copied["thread_ts"] == listing["ts"] and "```SOAP progress note" in text_of(copied)
    await workspace.press(ADA, dm, listing["ts"], "Transcript")
    assert "thought record every evening" in text_of(workspace.last_post(dm))

    await workspace.press(ADA, dm, listing["ts"], "Sign")
    confirm = workspace.last_post(dm)
    await workspace.press(ADA, dm, confirm["ts"], "Yes, sign it")
    signed = fake.messages[(dm, listing["ts"])]
    assert "signed" in note_heading(signed) and "Signed " in text_of(signed)

    await workspace.press(ADA, dm, listing["ts"], "Addendum…")
    assert "What should the addendum say?" in text_of(workspace.last_post(dm))
    await workspace.say(ADA, "addendum: client called to reschedule")
    after = workspace.last_post(dm)
    assert "Addendum added" in text_of(after) and "client called to reschedule" in text_of(after)


def note_heading(message) -> str:
    return message["blocks"][0]["text"]["text"]


async def test_app_home_lists_drafts_and_opens_them_in_the_dm(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    await workspace.command(ADA, "note Saw someone today. She felt calmer this week and slept better.")
    await workspace.command(ADA, MAYA_NOTE)
    await workspace.event({"type": "app_home_opened", "user": ADA, "channel": dm_for(ADA), "tab": "home", "event_ts": "3"})
    await workspace.settle()
    view = fake.calls_to("views.publish")[-1].params["view"]
    home = text_of({"blocks": view["blocks"]})
    assert "Drafts waiting for a client (1)" in home and "*Maya Thompson* ·" in home
    choose = next(b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("text", {}).get("text") == "Choose client")
    payload = {
        "type": "block_actions", "user": {"id": ADA, "username": "therapist", "team_id": TEAM}, "api_app_id": "A0ALLIANCE",
        "token": "legacy", "trigger_id": "1.2.3", "team": {"id": TEAM}, "container": {"type": "view", "view_id": "V0HOME"},
        "view": {"id": "V0HOME", "type": "home", "blocks": view["blocks"]},
        "actions": [{"action_id": choose["action_id"], "block_id": "home", "type": "button", "value": choose["value"],
                     "text": choose["text"], "action_ts": "1.2"}],
    }
    response = await workspace.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status == 200
    await workspace.settle()
    opened = workspace.last_post(dm_for(ADA))
    assert "Which client is this note for?" in text_of(opened) and "This is Maya Thompson" in labels(opened)
    therapist = workspace.service.therapist_id(Sender("slack", TEAM, ADA, "im"))
    assert len(support.latest_notes(workspace.service, therapist)) == 1
