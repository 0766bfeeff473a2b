"""Putting core Replies into Slack: post, update, ephemeral refusals, reactions, file uploads, and the
Notifier the scheduler uses for digests and reminders. Logs carry Slack error codes only, never text."""
from __future__ import annotations

import logging
from typing import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_blocks import escape, fallback_text, fit, paginate, reply_blocks, sections
from core.config import Settings
from core.types import Button, Reply

log = logging.getLogger(__name__)

HOURGLASS = "hourglass_flowing_sand"
DONE = "white_check_mark"
PROBLEM = "warning"


def web_client(settings: Settings) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL points it at GovSlack or a test server."""
    base_url = settings.slack_api_url or AsyncWebClient.BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack_sdk joins method names onto the base URL: ".../api" + "chat.postMessage" breaks
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=base_url)
    # Slack rate-limits chat.postMessage per channel; wait as told (Retry-After) instead of losing a note.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


def slack_error(error: SlackApiError) -> str:
    """The error code, for logs: the full response may echo what we sent."""
    try:
        return str(error.response.get("error") or error.response.status_code)
    except Exception:  # pragma: no cover - a response without a body
        return "unknown"


class SlackPoster:
    def __init__(self, client: AsyncWebClient):
        self.client = client
        self._dm: dict[str, str] = {}

    async def dm_channel(self, user_id: str) -> str:
        """The bot's direct-message channel with a user (conversations.open is idempotent)."""
        if user_id not in self._dm:
            response = await self.client.conversations_open(users=user_id)
            self._dm[user_id] = response["channel"]["id"]
        return self._dm[user_id]

    async def post(
        self,
        channel: str,
        reply: Reply,
        *,
        thread_ts: str | None = None,
        origin: str | None = None,
        picker: Sequence[Sequence[Button]] = (),
        first: bool = False,
    ) -> str | None:
        """Post a reply (several messages when it is long; a document as a file). Returns the ts of the
        message holding the buttons, i.e. the last one (with `first`, of the first one: the one to edit)."""
        ts, first_ts = None, None
        blocks = reply_blocks(reply, origin=origin, picker=picker)
        image = reply.document is not None and reply.document.mime_type.startswith("image/")
        if reply.document is not None and not image:
            # Files go up with the reply's text as the comment; buttons (if any) follow as a message.
            await self.upload(channel, reply, thread_ts=thread_ts)
            blocks = [b for b in blocks if b["type"] == "actions"]
        text = fallback_text(reply)
        for page in paginate(blocks):
            response = await self.client.chat_postMessage(channel=channel, text=text, blocks=page, thread_ts=thread_ts)
            ts = response["ts"]
            first_ts = first_ts or ts
        if image:  # a chart: shown inline under the text it illustrates (which may be long, with buttons)
            await self.upload_image(channel, reply.document, thread_ts=thread_ts)
        return first_ts if first else ts

    async def update(
        self,
        channel: str,
        ts: str,
        reply: Reply,
        *,
        origin: str | None = None,
        picker: Sequence[Sequence[Button]] = (),
    ) -> None:
        """Replace a message in place (a reformatted note, a spent confirmation)."""
        blocks = fit(reply_blocks(reply, origin=origin, picker=picker))
        await self.client.chat_update(channel=channel, ts=ts, text=fallback_text(reply), blocks=blocks)

    async def replace_text(self, channel: str, ts: str, text: str) -> None:
        await self.client.chat_update(channel=channel, ts=ts, text=escape(text), blocks=sections(escape(text)))

    async def ephemeral(self, channel: str, user: str, text: str, *, thread_ts: str | None = None) -> None:
        await self.client.chat_postEphemeral(channel=channel, user=user, text=escape(text), thread_ts=thread_ts)

    async def upload(self, channel: str, reply: Reply, *, thread_ts: str | None = None) -> None:
        document = reply.document
        await self.client.files_upload_v2(
            channel=channel,
            content=document.content,
            filename=document.filename,
            title=document.filename,
            initial_comment=escape(reply.text) if reply.text else None,
            thread_ts=thread_ts,
        )

    async def upload_image(self, channel: str, document, *, thread_ts: str | None = None) -> None:
        await self.client.files_upload_v2(
            channel=channel,
            content=document.content,
            filename=document.filename,
            title=document.filename,
            alt_txt="Chart of scores over time with alliance signals",
            thread_ts=thread_ts,
        )

    async def react(self, channel: str, ts: str, name: str) -> None:
        try:
            await self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as error:  # a missing reaction is cosmetic; never stop a memo for it
            if slack_error(error) != "already_reacted":
                log.warning("slack reactions.add failed: %s", slack_error(error))

    async def swap_reaction(self, channel: str, ts: str, old: str, new: str) -> None:
        try:
            await self.client.reactions_remove(channel=channel, timestamp=ts, name=old)
        except SlackApiError as error:
            if slack_error(error) != "no_reaction":
                log.warning("slack reactions.remove failed: %s", slack_error(error))
        await self.react(channel, ts, new)


class SlackNotifier:
    """core.ports.Notifier for the scheduler: digests and reminders into the therapist's DM."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient):
        self.poster = SlackPoster(client)

    async def send(self, user_id: str, workspace_id: str, reply: Reply) -> None:
        channel = await self.poster.dm_channel(user_id)
        await self.poster.post(channel, reply)
