"""Slack as the memo flow's Channel (core/ports.py). A memo's origin is "channel:thread_ts" (the memo
message, or the thread it was posted in); the acknowledgement is posted in that thread and later
updated into the note; refs are "channel:ts". Reactions on the memo say where it stands: hourglass while
working, a check mark when the note is there, a warning when it could not be written."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_blocks import fallback_text, paginate, reply_blocks, slackify
from bots.slack_files import DownloadError, download
from bots.slack_send import DONE, HOURGLASS, PROBLEM, SlackPoster, slack_error
from core.config import Settings
from core.errors import FetchFailed
from core.types import Reply

log = logging.getLogger(__name__)

GONE = "The recording is no longer on Slack; please send it again."


def split_ref(ref: str) -> tuple[str, str | None]:
    channel, _, ts = ref.partition(":")
    return channel, ts or None


class SlackChannel:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, settings: Settings):
        self.client, self.settings = client, settings
        self.poster = SlackPoster(client)

    async def fetch_audio(self, source_ref: str, max_bytes: int) -> bytes:
        """files.info for a fresh download URL, then the safe download (host allow-list, no redirects,
        HTML and size checks)."""
        try:
            file = (await self.client.files_info(file=source_ref))["file"]
        except (SlackApiError, KeyError) as error:
            log.warning("slack files.info failed: %s", slack_error(error) if isinstance(error, SlackApiError) else "no file")
            raise FetchFailed(GONE) from None
        try:
            return await download(file, self.settings.slack_bot_token or "", api_url=self.settings.slack_api_url, max_bytes=max_bytes)
        except DownloadError as error:
            raise FetchFailed(str(error)) from None

    async def send(self, origin: str, reply: Reply) -> str | None:
        reply = slackify(reply)
        channel, thread_ts = split_ref(origin)
        if thread_ts and reply.note is None and reply.outcome is None:
            await self.poster.react(channel, thread_ts, HOURGLASS)  # seen, working on it
        ts = await self.poster.post(channel, reply, thread_ts=thread_ts, first=True)
        await self._outcome(channel, thread_ts, reply)
        return f"{channel}:{ts}" if ts else None

    async def edit(self, ref: str, reply: Reply, *, origin: str | None = None) -> str | None:
        """The acknowledgement becomes the reply; a note too long for one message continues below it."""
        reply = slackify(reply)
        channel, ts = split_ref(ref)
        pages = paginate(reply_blocks(reply))
        await self.client.chat_update(channel=channel, ts=ts, text=fallback_text(reply), blocks=pages[0] if pages else [])
        thread_ts = split_ref(origin)[1] if origin else None
        for page in pages[1:]:
            await self.client.chat_postMessage(channel=channel, text=fallback_text(reply), blocks=page, thread_ts=thread_ts)
        await self._outcome(channel, thread_ts, reply)
        return ref

    async def _outcome(self, channel: str, memo_ts: str | None, reply: Reply) -> None:
        if not memo_ts:
            return
        if reply.note is not None:
            await self.poster.swap_reaction(channel, memo_ts, HOURGLASS, DONE)
        elif reply.outcome == "failed":
            await self.poster.swap_reaction(channel, memo_ts, HOURGLASS, PROBLEM)
