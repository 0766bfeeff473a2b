"""The Slack bot as a workspace sees it: the real AsyncApp serving HTTP on 127.0.0.1, fed requests
signed as Slack signs them, talking to a local fake Web API that also hosts the audio files.
Covers enrolment, strangers, DMs-only, a real voice clip to a note in its thread, exactly-once
delivery under retries, signature checks and Slack's HTML sign-in page instead of audio."""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bots.slack import SlackBot
from bots.bootstrap import build_assistant
from core.config import Settings
from core.errors import NotEnrolled, NotPrivate
from core.types import Sender
from storage.queue_local import LocalQueue
from tests.fakes.slack_api import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    TEAM,
    FakeSlack,
    dm_for,
    event_body,
    signed_headers,
)
from tests import support

ADA = "U0ADA0001"  # invented therapists and a stranger
BEN = "U0BEN0002"
STRANGER = "U0ZED0009"
MAYA_NOTE = (
    "note Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
    "We practised box breathing together. Homework: keep a thought record every evening."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Workspace:
    """Slack's side of the conversation: signed Events API, slash-command and interactivity requests."""

    def __init__(self, bot: SlackBot, fake: FakeSlack, url: str):
        self.bot, self.fake, self.url = bot, fake, url
        self.service = bot.service
        self._ts = itertools.count(1)
        self._events = itertools.count(1)

    async def settle(self) -> None:
        """Until the bot's background work and the memo jobs it queued are done."""
        await self.bot.idle()
        await self.service.ctx.queue.idle()
        await self.bot.idle()

    def new_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000200"

    async def send(self, body: str, content_type: str, **signing) -> aiohttp.ClientResponse:
        headers = signed_headers(body, content_type=content_type, **signing)
        async with aiohttp.ClientSession() as session:
            async with session.post(self.url, data=body.encode(), headers=headers) as response:
                await response.read()
                return response

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, **signing) -> aiohttp.ClientResponse:
        body = json.dumps(event_body(event, event_id=event_id or f"Ev{next(self._events):08d}"))
        return await self.send(body, "application/json", **signing)

    def message_event(self, user: str, text: str = "", *, channel: str | None = None, channel_type: str = "im",
                      thread_ts: str | None = None, files: list | None = None) -> dict[str, Any]:
        event = {"type": "message", "user": user, "text": text, "ts": self.new_ts(), "team": TEAM,
                 "channel": channel or dm_for(user), "channel_type": channel_type, "event_ts": "1"}
        if thread_ts:
            event["thread_ts"] = thread_ts
        if files is not None:
            event.update(subtype="file_share", files=files, upload=False)
        return event

    async def say(self, user: str, text: str, **kwargs) -> dict[str, Any]:
        event = self.message_event(user, text, **kwargs)
        assert (await self.event(event)).status == 200
        await self.settle()
        return event

    async def command(self, user: str, text: str, *, channel: str | None = None) -> aiohttp.ClientResponse:
        channel = channel or dm_for(user)
        form = {
            "token": "legacy", "team_id": TEAM, "team_domain": "alliance-test", "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general", "user_id": user,
            "user_name": "therapist", "command": "/alliance", "text": text, "api_app_id": "A0ALLIANCE",
            "response_url": f"{self.fake.root}/response/{next(self._events)}", "trigger_id": f"{next(self._events)}.1.abc",
        }
        response = await self.send(urlencode(form), "application/x-www-form-urlencoded")
        await self.settle()
        return response

    async def press(self, user: str, channel: str, ts: str, label: str) -> aiohttp.ClientResponse:
        """Tap the button (or pick the menu option) with this label on a message the bot posted."""
        message = self.fake.messages[(channel, ts)]
        block, element, option = find_control(message["blocks"], label)
        action = {"action_id": element["action_id"], "block_id": block["block_id"], "type": element["type"], "action_ts": "1.2"}
        if option is None:
            action.update(value=element["value"], text=element["text"])
        else:
            action["selected_option"] = option
        payload = {
            "type": "block_actions", "user": {"id": user, "username": "therapist", "team_id": TEAM},
            "api_app_id": "A0ALLIANCE", "token": "legacy", "trigger_id": "1.2.3", "team": {"id": TEAM},
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel, "name": "directmessage"},
            "message": {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": BOT_ID, "blocks": message["blocks"],
                        **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {})},
            "response_url": f"{self.fake.root}/response/{next(self._events)}", "actions": [action],
        }
        response = await self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        await self.settle()
        return response

    async def enrol(self, user: str, name: str) -> None:
        code = self.service.create_invite(name).code
        assert (await self.command(user, f"link {code}")).status == 200

    def last_post(self, channel: str) -> dict[str, Any]:
        posts = self.fake.posts(channel)
        assert posts, f"nothing posted in {channel}"
        return posts[-1]


def find_control(blocks: list[dict], label: str):
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["type"] == "button" and element["text"]["text"] == label:
                return block, element, None
            for option in element.get("options", []):
                if option["text"]["text"] == label:
                    return block, element, option
    raise AssertionError(f"no control labelled {label!r}")


def text_of(message: dict[str, Any]) -> str:
    """Everything a therapist reads in a message: its blocks' text, or the plain text."""
    parts = []
    for block in message.get("blocks") or []:
        if block["type"] in ("section", "header"):
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts.extend(e.get("text", "") for e in block["elements"])
    return "\n".join(parts) or message.get("text") or ""


def labels(message: dict[str, Any]) -> list[str]:
    found = []
    for block in message.get("blocks") or []:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["type"] == "button":
                found.append(element["text"]["text"])
            else:
                found.extend(o["text"]["text"] for o in element["options"])
    return found


# ---- fixtures (test_slack_actions.py imports these) -------------------------------------------------
@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.stop()


@pytest.fixture
def settings(tmp_path, fake) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret="fake-signing-secret-0123456789",
        slack_api_url=fake.api_url,
        slack_app_token=None,
        port=free_port(),
    )


@pytest.fixture
async def service(settings):
    built = build_assistant(settings, queue=LocalQueue(1))
    built.ctx.queue.start(built.jobs)  # the worker, as in `alliance run`
    yield built
    await built.ctx.queue.stop()
    built.ctx.uow.engine.dispose()


async def start_bot(service, settings, fake) -> tuple[Workspace, asyncio.Event, asyncio.Task]:
    bot = SlackBot(service, settings)
    stop = asyncio.Event()
    task = asyncio.create_task(bot.serve(stop, host="127.0.0.1"))
    url = f"http://127.0.0.1:{settings.port}/slack/events"
    for _ in range(200):  # until the server accepts connections
        try:
            async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{settings.port}/healthz") as r:
                if r.status == 200:
                    break
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    return Workspace(bot, fake, url), stop, task


@pytest.fixture
async def workspace(service, settings, fake):
    ws, stop, task = await start_bot(service, settings, fake)
    yield ws
    stop.set()
    await task


def memo_count(service) -> int:
    from sqlmodel import Session, select

    from storage.models import Memo

    with Session(service.ctx.uow.engine) as s:
        return len(s.exec(select(Memo.id)).all())


# ---- enrolment and who may talk -----------------------------------------------------------------
async def test_link_code_enrols_a_slack_user(workspace, fake):
    await workspace.say(ADA, "what did Maya mention last time?")
    refusal = text_of(workspace.last_post(dm_for(ADA)))
    assert str(NotEnrolled()) in refusal and "/alliance link" in refusal

    await workspace.command(ADA, "link not-a-real-code")
    assert "unknown, used or expired" in text_of(workspace.last_post(dm_for(ADA)))

    await workspace.enrol(ADA, "Dr Ada Example")
    welcome = text_of(workspace.last_post(dm_for(ADA)))
    assert "Welcome, Dr Ada Example" in welcome
    assert "/alliance clients" in welcome  # the help speaks Slack's command syntax

    await workspace.say(ADA, "what did Maya mention last time?")
    answer = text_of(workspace.last_post(dm_for(ADA)))
    assert str(NotEnrolled()) not in answer and answer


async def test_stranger_audio_is_refused_and_never_fetched(workspace, fake, shared_data):
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    event = workspace.message_event(STRANGER, files=[clip])
    assert (await workspace.event(event)).status == 200
    await workspace.settle()

    assert str(NotEnrolled()) in text_of(workspace.last_post(dm_for(STRANGER)))
    assert not fake.calls_to("file") and not fake.calls_to("files.info") and not fake.calls_to("reactions.add")
    assert memo_count(workspace.service) == 0


async def test_channels_and_group_dms_get_an_ephemeral_dms_only_answer(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    posts_before = len(fake.posts())
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    await workspace.say(ADA, "", channel="C0GENERAL", channel_type="channel", files=[{"id": clip["id"], "file_access": "check_file_info"}])
    await workspace.say(ADA, "Maya Thompson said her brother hit her", channel="G0GROUPDM", channel_type="mpim")
    await workspace.event({"type": "app_mention", "user": ADA, "text": f"<@{BOT_USER}> notes for Maya?", "ts": workspace.new_ts(),
                           "channel": "C0GENERAL", "event_ts": "1"})
    await workspace.settle()

    ephemerals = [c.params for c in fake.calls_to("chat.postEphemeral")]
    assert [e["channel"] for e in ephemerals] == ["C0GENERAL", "G0GROUPDM", "C0GENERAL"]
    assert all(e["user"] == ADA and e["text"] == str(NotPrivate()) for e in ephemerals)  # nothing echoed
    assert len(fake.posts()) == posts_before
    assert not fake.calls_to("files.info") and not fake.calls_to("file")
    assert memo_count(workspace.service) == 0

    await workspace.command(ADA, "today", channel="C0GENERAL")
    response = fake.calls_to("response")[-1].params
    assert response["text"] == str(NotPrivate()) and response["response_type"] == "ephemeral"


# ---- a voice memo -------------------------------------------------------------------------------
async def test_voice_clip_becomes_a_note_in_its_thread(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    # Events may carry only a stub of the file; the bot asks files.info (a GET) for the rest.
    event = workspace.message_event(ADA, files=[{"id": clip["id"], "file_access": "check_file_info"}])
    response = await workspace.event(event)
    assert response.status == 200
    assert not [p for p in fake.posts() if p.get("thread_ts") == event["ts"]]  # answered before the work
    await workspace.settle()

    info = fake.calls_to("files.info")[-1]
    assert info.http == "GET" and info.params["file"] == clip["id"]
    download = fake.calls_to("file")[-1]
    assert download.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert fake.calls_to("reactions.add")[0].params["name"] == "hourglass_flowing_sand"

    note = workspace.last_post(dm_for(ADA))
    assert note["thread_ts"] == event["ts"]
    kinds = [b["type"] for b in note["blocks"]]
    assert kinds[0] == "header" and "section" in kinds and "context" in kinds and kinds[-1] == "actions"
    body = text_of(note).lower()
    assert "ask not what your country can do for you" in body
    context = next(b for b in note["blocks"] if b["type"] == "context")["elements"][0]["text"]
    assert "Session " in context and any(f in context for f in ("SOAP", "DAP", "BIRP", "GIRP"))
    # No client was named: the note waits as a draft with a way to choose one.
    assert {"New client…", "Other client…", "Delete"} <= set(labels(note)) and len(set(labels(note)) & {"SOAP", "DAP", "BIRP", "GIRP"}) == 3
    assert fake.reactions[(dm_for(ADA), event["ts"])] == {"white_check_mark"}
    assert support.unfinished(workspace.service, "slack") == []

    # A reply in that thread is about this note.
    await workspace.say(ADA, "shorten the plan", thread_ts=event["ts"])
    reply = workspace.last_post(dm_for(ADA))
    assert reply["thread_ts"] == event["ts"] and "Editing a note by reply" in text_of(reply)


async def test_a_retried_event_gives_one_note_and_a_retry_only_event_still_counts(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    audio = (shared_data / "speech/formats/jfk.m4a").read_bytes()
    first = workspace.message_event(ADA, files=[fake.add_file(audio)])
    await asyncio.gather(
        workspace.event(first, event_id="Ev0FIRST"),
        workspace.event(first, event_id="Ev0FIRST", retry=1),  # Slack gave up waiting and sent it again
    )
    await workspace.settle()
    assert (await workspace.event(first, event_id="Ev0FIRST", retry=2)).status == 200
    await workspace.settle()
    notes = [p for p in fake.posts() if p.get("thread_ts") == first["ts"]]
    assert len(notes) == 1 and len(fake.calls_to("file")) == 1

    # The first delivery was lost on the way; only a retry reached us. It must still become a note.
    second = workspace.message_event(ADA, files=[fake.add_file(audio)])
    assert (await workspace.event(second, event_id="Ev0SECOND", retry=1)).status == 200
    await workspace.settle()
    assert len([p for p in fake.posts() if p.get("thread_ts") == second["ts"]]) == 1


async def test_sign_in_page_instead_of_audio_says_what_to_fix(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    page = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes(), login_page=True)
    event = await workspace.say(ADA, "", files=[page])
    message = text_of(workspace.last_post(dm_for(ADA)))
    assert "files:read" in message and "reinstall" in message
    # Recorded before the download, so the memo is kept: failed with the reason, not pending a restart.
    therapist_id = workspace.service.therapist_id(Sender("slack", TEAM, ADA, "im"))
    [memo_id] = support.failed_memos(workspace.service, therapist_id)
    memo = support.memo(workspace.service, therapist_id, memo_id)
    assert memo.source_ref == page["id"] and memo.audio is None and "files:read" in memo.failure
    assert support.unfinished(workspace.service, "slack") == []
    assert fake.reactions[(dm_for(ADA), event["ts"])] == {"warning"}


async def test_files_outside_slack_are_not_fetched_and_non_audio_is_declined(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    elsewhere = dict(clip, url_private_download=f"http://127.0.0.1:{free_port()}/files/x/memo.m4a")
    await workspace.say(ADA, "", files=[elsewhere])
    assert "isn't stored on Slack's file server" in text_of(workspace.last_post(dm_for(ADA)))

    notes = fake.add_file(b"not audio", name="notes.txt", mimetype="text/plain", filetype="text")
    await workspace.say(ADA, "", files=[notes])
    assert "only turn audio into notes" in text_of(workspace.last_post(dm_for(ADA)))
    assert not fake.calls_to("file") and memo_count(workspace.service) == 0


# ---- request authenticity -----------------------------------------------------------------------
async def test_bad_or_stale_signatures_get_401_and_do_nothing(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    posts = len(fake.posts())
    event = workspace.message_event(ADA, "what did Maya mention last time?")
    forged = await workspace.event(event, secret="someone-elses-secret")
    stale = await workspace.event(event, timestamp=int(time.time()) - 10 * 60)  # Slack's window is 5 minutes
    await workspace.settle()
    assert forged.status == 401 and stale.status == 401
    assert len(fake.posts()) == posts

    assert (await workspace.event(event)).status == 200  # the genuine request still works afterwards
    await workspace.settle()
    assert len(fake.posts()) == posts + 1


async def test_a_memo_over_the_size_limit_is_refused_before_download(tmp_path, fake, shared_data):
    settings = Settings(data_dir=tmp_path / "small", slack_bot_token=BOT_TOKEN, slack_signing_secret="fake-signing-secret-0123456789",
                        slack_api_url=fake.api_url, slack_app_token=None, port=free_port(), max_memo_mb=0.01)
    service = build_assistant(settings)
    ws, stop, task = await start_bot(service, settings, fake)
    try:
        await ws.enrol(ADA, "Dr Ada Example")
        await ws.say(ADA, "", files=[fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())])
        assert "Please send a shorter recording" in text_of(ws.last_post(dm_for(ADA)))
        assert not fake.calls_to("file") and memo_count(service) == 0
    finally:
        stop.set()
        await task
        service.ctx.uow.engine.dispose()


async def test_unreadable_audio_gets_a_reason_in_the_thread(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    broken = fake.add_file((shared_data / "speech/formats/corrupt.ogg").read_bytes(), name="clip.ogg", mimetype="audio/ogg", filetype="ogg")
    event = await workspace.say(ADA, "", files=[broken])
    answer = workspace.last_post(dm_for(ADA))
    assert answer["thread_ts"] == event["ts"] and "header" not in [b["type"] for b in answer["blocks"]]
    assert text_of(answer) and "/retry" not in text_of(answer).replace("/alliance retry", "")
    assert fake.reactions[(dm_for(ADA), event["ts"])] == {"warning"}


async def test_text_sent_with_a_clip_names_the_client(workspace, fake, shared_data):
    await workspace.enrol(ADA, "Dr Ada Example")
    clip = fake.add_file((shared_data / "speech/formats/jfk.m4a").read_bytes())
    event = workspace.message_event(ADA, "Nora Vance", files=[{"id": clip["id"], "file_access": "check_file_info"}])
    assert (await workspace.event(event)).status == 200
    await workspace.settle()
    note = workspace.last_post(dm_for(ADA))
    assert text_of(note).startswith("Note for Nora Vance")  # filed, not a draft asking whom
