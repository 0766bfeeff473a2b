"""A voice memo in a Slack DM, translated into one core call. The core records it (before any download),
acknowledges it in the memo's thread through bots/slack_channel.py and queues it; the memo flow fetches,
transcribes and updates the acknowledgement into the note."""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bots.slack_files import DownloadError, check_file, is_audio, needs_file_info
from bots.slack_send import PROBLEM, slack_error
from core.errors import AllianceError
from core.language.client_match import hint_from_caption
from core.types import AudioMemo, Reply, Sender

log = logging.getLogger(__name__)

NOT_AUDIO = (
    "I can only turn audio into notes. Record a clip (the microphone button) or attach an audio file "
    "(M4A, MP3, WebM, OGG, WAV, FLAC)."
)
ONE_AT_A_TIME = "I took the first recording; please send each memo in its own message."


async def receive(bot, sender: Sender, event: dict[str, Any]) -> None:
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts") or ts  # a memo shared inside a thread is answered in that thread
    try:
        bot.service.therapist_id(sender)  # before any files.info or download
    except AllianceError as error:
        await bot.poster.post(channel, Reply(bot.refusal(error)))
        return
    files = [await _file_info(bot, f) for f in event.get("files") or []]
    audio = [f for f in files if f and is_audio(f)]
    if not audio:
        await bot.poster.post(channel, Reply(NOT_AUDIO), thread_ts=thread_ts)
        return
    file = audio[0]
    try:  # a file elsewhere than Slack's file host, or too big: refused before anything is recorded
        check_file(file, api_url=bot.settings.slack_api_url, max_bytes=bot.settings.max_memo_bytes)
    except DownloadError as error:
        await bot.poster.post(channel, Reply(str(error)), thread_ts=thread_ts)
        await bot.poster.react(channel, ts, PROBLEM)
        return
    filetype = "".join(ch for ch in (file.get("filetype") or "m4a").lower() if ch.isalnum())[:5] or "m4a"
    # A neutral file name: Slack's may carry a client's name.
    memo = AudioMemo(
        f"{channel}:{ts}", None, filename=f"memo.{filetype}", mime_type=file.get("mimetype") or "",
        source_ref=file.get("id"), size_bytes=int(file.get("size") or 0) or None,
        client_hint=hint_from_caption(event.get("text")),
    )
    receipt = await bot.service.receive_memo(sender, memo, origin=f"{channel}:{thread_ts}")
    if not receipt.accepted:
        await bot.poster.post(channel, Reply(receipt.message), thread_ts=thread_ts)
    elif len(audio) > 1 and not receipt.duplicate:
        await bot.poster.post(channel, Reply(ONE_AT_A_TIME), thread_ts=thread_ts)


async def _file_info(bot, file: dict[str, Any]) -> dict[str, Any] | None:
    """Events may carry a stub ({"id", "file_access": "check_file_info"}); files.info has the rest."""
    if not needs_file_info(file):
        return file
    try:
        return (await bot.client.files_info(file=file["id"]))["file"]
    except (SlackApiError, KeyError) as error:
        log.warning("slack files.info failed: %s", slack_error(error) if isinstance(error, SlackApiError) else "no id")
        return None
