"""A voice memo in a Slack DM: check the sender, fetch the audio safely, persist, then write and deliver
the note in the memo's thread. Also finishes memos a previous run left unfinished."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bots.slack_files import DownloadError, check_file, download, is_audio, needs_file_info
from bots.slack_send import DONE, HOURGLASS, PROBLEM, slack_error
from core.language.client_match import hint_from_caption
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
RESUME_FETCH_FAILED = "I was restarting while fetching this voice memo and couldn't get it from Slack again."
GONE = "The recording is no longer on Slack."


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
        file = audio[0]
        try:
            check_file(file, api_url=self.bot.settings.slack_api_url, max_bytes=self.bot.settings.max_memo_bytes)
        except DownloadError as error:
            await self._problem(channel, ts, thread_ts, str(error))
            return
        filetype = (file.get("filetype") or "m4a").lower()
        # Recorded before the download: the event is already claimed, so a crash from here on must not
        # lose the memo; a restart fetches it again by its file id (see resume). A neutral file name:
        # Slack's may carry a client's name, and the memo row stores it in clear.
        memo = AudioMemo(
            f"{channel}:{ts}",
            None,
            filename=f"memo.{filetype}",
            mime_type=file.get("mimetype") or "",
            source_ref=file.get("id"),
            size_bytes=int(file.get("size") or 0) or None,
            client_hint=hint_from_caption(event.get("text")),
        )
        receipt = await self.service.receive_memo(sender, memo)
        if not receipt.accepted:
            await self._problem(channel, ts, thread_ts, receipt.message)
            return
        if receipt.duplicate and not receipt.needs_audio:
            return  # the first delivery of this message writes and posts the note
        # Remember where the note belongs before the slow part, so a restart can still deliver it.
        self.service.set_reply_ref(therapist_id, receipt.memo_id, f"{channel}:{thread_ts}")
        if len(audio) > 1:
            await self.poster.post(channel, Reply(ONE_AT_A_TIME), thread_ts=thread_ts)
        problem = await self.fetch_audio(therapist_id, receipt.memo_id, file)
        if problem:
            await self._problem(channel, ts, thread_ts, problem)
            return
        await self.finish(therapist_id, receipt.memo_id, channel, ts, thread_ts)

    async def fetch_audio(self, therapist_id: int, memo_id: int, file: dict[str, Any]) -> str | None:
        """Download a recorded memo's audio (host allow-list, no redirects, HTML and size checks) and attach
        it. Returns None when attached, else the message for the therapist; the memo is then failed with it."""
        settings = self.bot.settings
        try:
            data = await download(file, settings.slack_bot_token or "", api_url=settings.slack_api_url, max_bytes=settings.max_memo_bytes)
        except DownloadError as error:
            self._fail(therapist_id, memo_id, str(error))
            return str(error)
        receipt = self.service.attach_audio(therapist_id, memo_id, data)  # fails the memo itself if unusable
        return None if receipt.accepted else receipt.message

    def _fail(self, therapist_id: int, memo_id: int, message: str) -> None:
        # Kept as a failed memo with the reason, never left pending (a restart would fetch it again).
        # No core call fails a memo with a reason of ours; attach_audio only judges bytes it is given.
        self.service.fail_memo(therapist_id, memo_id, message)

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
            if memo.needs_audio and not await self._refetch(memo, channel, thread_ts):
                continue
            await self.finish(memo.therapist_id, memo.memo_id, channel, thread_ts, thread_ts)

    async def _refetch(self, memo: PendingMemo, channel: str, thread_ts: str | None) -> bool:
        """The download of this memo was cut off by a restart: files.info, then the same safe download.
        On failure the therapist is told where the note would have gone and asked to send it again."""
        if memo.memo_id in self._delivering:
            return False
        self._delivering.add(memo.memo_id)
        try:
            file = await self._file_info({"id": memo.source_ref, "file_access": "check_file_info"}) if memo.source_ref else None
            if file is None:
                problem = GONE
                self._fail(memo.therapist_id, memo.memo_id, problem)
            else:
                problem = await self.fetch_audio(memo.therapist_id, memo.memo_id, file)
        finally:
            self._delivering.discard(memo.memo_id)
        if problem is None:
            return True
        log.info("slack memo %s could not be fetched again after a restart", memo.memo_id)
        text = f"{RESUME_FETCH_FAILED} {problem}"
        if "again" not in problem:
            text += " Please send it again."
        try:
            await self.poster.post(channel, Reply(text), thread_ts=thread_ts)
            if thread_ts:
                await self.poster.swap_reaction(channel, thread_ts, HOURGLASS, PROBLEM)
        except SlackApiError as error:
            log.warning("slack memo %s: could not say the fetch failed: %s", memo.memo_id, slack_error(error))
        return False

    async def _where(self, memo: PendingMemo) -> tuple[str, str | None]:
        ref = self.service.reply_ref(memo.therapist_id, memo.memo_id)
        if ref and ":" in ref:
            channel, thread_ts = ref.split(":", 1)
            return channel, thread_ts
        # Stopped before the thread was recorded: post in the therapist's DM instead.
        accounts = [a for a in self.service.linked_accounts(memo.therapist_id) if a[0] == "slack"]
        return await self.poster.dm_channel(accounts[0][2]), None
