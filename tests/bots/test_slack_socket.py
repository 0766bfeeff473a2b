"""Slack in Socket Mode (SLACK_APP_TOKEN set): no public URL, events arrive over a WebSocket that the
fake opens from apps.connections.open. Same bot, same rules: acknowledged envelopes, exactly once."""
from __future__ import annotations

import asyncio

import pytest

from bots.slack import SlackBot
from bots.bootstrap import build_assistant
from core.config import Settings
from tests.bots.test_slack import fake  # noqa: F401 (fixture)
from tests.fakes.slack_api import BOT_TOKEN, TEAM, dm_for, event_body

ADA = "U0ADA0001"


@pytest.fixture
async def running(tmp_path, fake):
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=None,
        slack_bot_token=BOT_TOKEN,
        slack_app_token="xapp-1-A0ALLIANCE-fake",
        slack_signing_secret=None,  # not needed without HTTP
        slack_api_url=fake.api_url,
    )
    service = build_assistant(settings)
    stop = asyncio.Event()
    bot = SlackBot(service, settings)
    task = asyncio.create_task(bot.serve(stop))
    yield bot
    stop.set()
    await asyncio.wait_for(task, 30)
    bot.service.ctx.uow.engine.dispose()


def command(text: str, trigger: str) -> dict:
    return {"token": "legacy", "team_id": TEAM, "channel_id": dm_for(ADA), "channel_name": "directmessage",
            "user_id": ADA, "command": "/alliance", "text": text, "api_app_id": "A0ALLIANCE",
            "response_url": "http://127.0.0.1:9/unused", "trigger_id": trigger}


async def test_socket_mode_enrols_and_answers_once(running, fake):
    code = running.service.create_invite("Dr Ada Example").code
    await fake.push("slash_commands", command(f"link {code}", "1.1"), envelope_id="env-link")
    await fake.wait_for_ack("env-link")
    await fake.wait_for("chat.postMessage")
    assert "Welcome, Dr Ada Example" in fake.posts(dm_for(ADA))[-1]["blocks"][0]["text"]["text"]

    event = {"type": "message", "user": ADA, "text": "which clients do I have?", "ts": "1700000001.000200",
             "team": TEAM, "channel": dm_for(ADA), "channel_type": "im", "event_ts": "1"}
    body = event_body(event, event_id="Ev0SOCKET")
    await fake.push("events_api", body, envelope_id="env-1")
    await fake.push("events_api", body, envelope_id="env-2", retry_attempt=1)  # redelivered
    await fake.wait_for_ack("env-1")
    await fake.wait_for_ack("env-2")
    await fake.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.2)  # let the redelivery reach its listener, then wait for any work it started
    await running.idle()
    assert len(fake.posts(dm_for(ADA))) == 2
