"""A voice memo in a Slack DM: check the sender, fetch the audio safely, persist, then write and deliver
the note in the memo's thread. Also finishes memos a previous run left unfinished."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bots.slack_files import DownloadError, download, is_audio, needs_file_info
from bots.slack_send import DONE, HOURGLASS, PROBLEM, slack_error
from core.errors import AllianceError
from core.service import PendingMemo
from core.types import AudioMemo, Reply, Sender

if TYPE_CHECKING:
    from bots.slack import SlackBot

log = logging.getLogger(__name__)

NOT_AUDIO = (
    "I can only turn audio into notes. Record a clip (the microphone button) or attach an audio file "
    "(M4A, MP3, WebM, OGG, WAV, FLAC)."
)
ONE_AT_A_TIME = "I took the first recording; please send each memo in its own message."


class MemoFlow:
    def __init__(self, bot: "SlackBot"):
        self.bot = bot
        self.service = bot.service
        self.poster = bot.poster
        self._delivering: set[int] = set()

    async def receive(self, sender: Sender, event: dict[str, Any]) -> None:
        channel, ts = event["channel"], event["ts"]
        thread_ts = event.get("thread_ts") or ts  # a memo shared inside a thread is answered in that thread
        try:
            therapist_id = self.service.therapist_id(sender)  # before any files.info or download
        except AllianceError as error:
            await self.poster.post(channel, Reply(self.bot.refusal(error)))
            return
        files = [await self._file_info(f) for f in event.get("files") or []]
        audio = [f for f in files if f and is_audio(f)]
        if not audio:
            await self.poster.post(channel, Reply(NOT_AUDIO), thread_ts=thread_ts)
            return
        await self.poster.react(channel, ts, HOURGLASS)  # the acknowledgement: seen, working on it
        try:
            data = await download(
                audio[0],
                self.bot.settings.slack_bot_token or "",
                api_url=self.bot.settings.slack_api_url,
                max_bytes=self.bot.settings.max_memo_bytes,
            )
        except DownloadError as error:
            await self._problem(channel, ts, thread_ts, str(error))
            return
        filetype = (audio[0].get("filetype") or "m4a").lower()
        # A neutral file name: Slack's may carry a client's name, and the memo row stores it in clear.
        memo = AudioMemo(f"{channel}:{ts}", data, filename=f"memo.{filetype}", mime_type=audio[0].get("mimetype") or "")
        receipt = await self.service.receive_memo(sender, memo)
        if not receipt.accepted:
            await self._problem(channel, ts, thread_ts, receipt.message)
            return
        if receipt.duplicate:
            return  # the first delivery of this message writes and posts the note
        # Remember where the note belongs before the slow part, so a restart can still deliver it.
        self.service.set_reply_ref(therapist_id, receipt.memo_id, f"{channel}:{thread_ts}")
        if len(audio) > 1:
            await self.poster.post(channel, Reply(ONE_AT_A_TIME), thread_ts=thread_ts)
        await self.finish(therapist_id, receipt.memo_id, channel, ts, thread_ts)

    async def _file_info(self, file: dict[str, Any]) -> dict[str, Any] | None:
        if not needs_file_info(file):
            return file
        try:
            return (await self.poster.client.files_info(file=file["id"]))["file"]
        except (SlackApiError, KeyError) as error:
            log.warning("slack files.info failed: %s", slack_error(error) if isinstance(error, SlackApiError) else "no id")
            return None

    async def _problem(self, channel: str, memo_ts: str, thread_ts: str | None, message: str) -> None:
        await self.poster.post(channel, Reply(message), thread_ts=thread_ts)
        await self.poster.swap_reaction(channel, memo_ts, HOURGLASS, PROBLEM)

    async def finish(self, therapist_id: int, memo_id: int, channel: str, memo_ts: str | None, thread_ts: str | None) -> None:
        """Write the note (idempotent in the core) and post it under the memo. If posting fails the memo
        stays `drafted` and the next start delivers it."""
        if memo_id in self._delivering:
            return
        self._delivering.add(memo_id)
        try:
            reply = self.bot.slackify(await self.service.process_memo(therapist_id, memo_id))
            if reply.note is None:
                await self.poster.post(channel, reply, thread_ts=thread_ts)
                if memo_ts:
                    await self.poster.swap_reaction(channel, memo_ts, HOURGLASS, PROBLEM)
                return
            await self.poster.post(channel, reply, thread_ts=thread_ts, picker=self.bot.picker(therapist_id, reply))
            self.service.mark_delivered(therapist_id, memo_id, reply_ref=f"{channel}:{thread_ts}" if thread_ts else None)
            if memo_ts:
                await self.poster.swap_reaction(channel, memo_ts, HOURGLASS, DONE)
            log.info("slack memo %s delivered", memo_id)
        except SlackApiError as error:
            log.warning("slack delivery of memo %s failed: %s", memo_id, slack_error(error))
        finally:
            self._delivering.discard(memo_id)

    # ---- restart -------------------------------------------------------------------------------
    def pending(self) -> list[PendingMemo]:
        """Taken before the bot accepts events, so nothing new can be in it twice."""
        return self.service.unfinished_memos("slack")

    async def resume(self, pending: list[PendingMemo]) -> None:
        for memo in pending:  # one at a time: transcription is CPU-bound
            try:
                channel, thread_ts = await self._where(memo)
            except (SlackApiError, LookupError):
                log.warning("slack memo %s: no channel to deliver to", memo.memo_id)
                continue
            await self.finish(memo.therapist_id, memo.memo_id, channel, thread_ts, thread_ts)

    async def _where(self, memo: PendingMemo) -> tuple[str, str | None]:
        ref = self.service.reply_ref(memo.therapist_id, memo.memo_id)
        if ref and ":" in ref:
            channel, thread_ts = ref.split(":", 1)
            return channel, thread_ts
        # Stopped before the thread was recorded: post in the therapist's DM instead.
        accounts = [a for a in self.service.linked_accounts(memo.therapist_id) if a[0] == "slack"]
        return await self.poster.dm_channel(accounts[0][2]), None
