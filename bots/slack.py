"""The Slack bot: slack-bolt AsyncApp wiring. Each listener acknowledges at once and does its work in a
tracked background task, so Slack gets its answer within 3 seconds however slow transcription is.

Exactly once: every Events API delivery is claimed by its event_id in the database before anything
happens (never by X-Slack-Retry-Num: an event that only ever arrives as a retry must still count).
PHI only in the bot's DM: anything from a channel, shared channel or group DM gets an ephemeral
"DMs only" answer that never echoes content, and no file is fetched.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from dataclasses import replace
from typing import Any, Coroutine, Sequence

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bots import slack_memos
from bots.slack_blocks import escape, home_view, parse_block_id, slackify, unescape
from bots.slack_channel import SlackChannel
from bots.slack_send import SlackNotifier, SlackPoster, slack_error, web_client
from core.actions import decode
from core.commands import help_text, split_subcommand
from core.config import Settings
from core.errors import AllianceError, NotEnrolled, NotPrivate
from core.notebook.handlers import drafts_of
from core.types import DeleteNote, Reply, Sender

log = logging.getLogger(__name__)

COMMAND = "/alliance"
EVENTS_PATH = "/slack/events"
LINK_HINT = " Then send `/alliance link <code>` here."
DELETED = "Note deleted."


def _bolt_logger() -> logging.Logger:
    # Bolt logs whole request bodies at INFO when a signature fails (a stale but genuine request
    # would carry a therapist's words). Its loggers inherit this level, so INFO never happens.
    logger = logging.getLogger("bots.slack.bolt")
    logger.setLevel(logging.WARNING)
    return logger


class SlackBot:
    def __init__(self, service, settings: Settings):
        self.service = service
        self.settings = settings
        self.client = web_client(settings)
        self.poster = SlackPoster(self.client)
        service.flow.channels["slack"] = SlackChannel(self.client, settings)
        self.app = AsyncApp(
            name="alliance",
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            logger=_bolt_logger(),
            process_before_response=False,  # answer Slack first, work afterwards
        )
        self._tasks: set[asyncio.Task] = set()
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("app_home_opened")(self._on_home)
        self.app.command(COMMAND)(self._on_command)
        self.app.action(re.compile(r"^alliance:"))(self._on_action)

    # ---- plumbing ------------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine, what: str) -> None:
        task = asyncio.create_task(self._guard(coro, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, coro: Coroutine, what: str) -> None:
        try:
            await coro
        except SlackApiError as error:
            log.warning("slack %s failed: %s", what, slack_error(error))
        except Exception as error:  # the type only: messages may quote what the therapist wrote
            log.error("slack %s failed: %s", what, type(error).__name__)

    async def idle(self) -> None:
        """Wait until every background task has finished (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _claim(self, body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        return not event_id or self.service.claim_event(f"slack:event:{event_id}")

    @staticmethod
    def _sender(body: dict[str, Any], event: dict[str, Any], chat_type: str) -> Sender:
        team = event.get("user_team") or event.get("team") or body.get("team_id") or ""
        return Sender("slack", team, event.get("user") or "", chat_type)

    def refusal(self, error: AllianceError) -> str:
        return str(error) + (LINK_HINT if isinstance(error, NotEnrolled) else "")

    @staticmethod
    def slackify(reply: Reply) -> Reply:
        return slackify(reply)

    async def _post(self, sender: Sender, channel: str, reply: Reply, *, thread_ts: str | None = None) -> None:
        if not reply.silent:
            await self.poster.post(channel, slackify(reply), thread_ts=thread_ts)

    # ---- events --------------------------------------------------------------------------------
    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("subtype") not in (None, "file_share", "thread_broadcast") or event.get("bot_id"):
            return  # edits, deletions, joins and our own posts
        if self._claim(body):
            self._spawn(self._message(body, event), "message")

    async def _message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        channel, ts = event["channel"], event["ts"]
        sender = self._sender(body, event, event.get("channel_type") or "")
        if not sender.is_private:
            await self.poster.ephemeral(channel, sender.user_id, str(NotPrivate()), thread_ts=event.get("thread_ts"))
            return
        if event.get("files"):
            await slack_memos.receive(self, sender, event)
            return
        text = unescape(event.get("text") or "").strip()
        if not text:
            return
        thread_ts = event.get("thread_ts")
        in_thread = bool(thread_ts) and thread_ts != ts
        try:  # in a thread, the core tells a note edit from an answer to its own question
            reply = await self.service.receive_text(
                sender, text, message_id=f"{channel}:{ts}", origin=f"{channel}:{thread_ts if in_thread else ts}",
                reply_to=f"{channel}:{thread_ts}" if in_thread else None,
            )
        except AllianceError as error:
            reply = Reply(self.refusal(error))
        if not reply.silent:
            await self._post(sender, channel, reply, thread_ts=thread_ts if in_thread else None)

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        channel = event.get("channel") or ""
        if channel.startswith("D") or not self._claim(body):
            return  # in the DM the message event answers
        self._spawn(
            self.poster.ephemeral(channel, event.get("user") or "", str(NotPrivate()), thread_ts=event.get("thread_ts")),
            "mention",
        )

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") == "home" and self._claim(body):
            self._spawn(self._home(self._sender(body, event, "im")), "app home")

    async def _home(self, sender: Sender) -> None:
        try:
            therapist_id = self.service.therapist_id(sender)
        except AllianceError as error:
            view = home_view(None, [], refusal=str(error))
        else:
            digest = await self.service.digest(therapist_id, self.service.today_for(therapist_id))
            view = home_view(digest, self.service.recent_notes(therapist_id, 10),
                             drafts=[(d.entry.id, d.line) for d in drafts_of(self.service.ctx, therapist_id)])
        await self.client.views_publish(user_id=sender.user_id, view=view)

    # ---- the slash command ---------------------------------------------------------------------
    async def _on_command(self, ack, body: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._command(body), "command")

    async def _command(self, body: dict[str, Any]) -> None:
        # A retried or replayed command (the same signed request again, within Slack's five minutes) is
        # handled once: keyed by its trigger_id, or by the whole request when there is none.
        key = body.get("trigger_id") or hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
        if not self.service.claim_event(f"slack:command:{key}"):
            return
        user, channel = body.get("user_id") or "", body.get("channel_id") or ""
        private = await self._is_bot_dm(user, channel)
        sender = Sender("slack", body.get("team_id") or "", user, "im" if private else "channel")
        if not private:
            await self._respond(body, str(NotPrivate()))
            return
        command = split_subcommand(unescape(body.get("text") or ""))
        try:
            if command.name in ("link", "start"):
                reply = self.service.enroll(sender, command.args) if command.args else Reply(
                    "Send `/alliance link <code>` with the invite code from your practice admin."
                )
            elif command.name == "help":
                reply = Reply(help_text(f"{COMMAND} "))
            else:
                reply = await self.service.run_command(sender, command, origin=channel, message_id=f"{channel}:command:{key}")
        except AllianceError as error:
            reply = Reply(self.refusal(error))
        await self._post(sender, channel, reply)

    async def _is_bot_dm(self, user: str, channel: str) -> bool:
        """Slash commands carry no channel type; the bot's DM is the channel conversations.open gives."""
        if not channel.startswith("D"):
            return False
        try:
            return channel == await self.poster.dm_channel(user)
        except SlackApiError as error:
            log.warning("slack conversations.open failed: %s", slack_error(error))
            return False

    async def _respond(self, body: dict[str, Any], text: str) -> None:
        """An ephemeral answer through the command's response_url (works where the bot isn't a member)."""
        from slack_sdk.webhook.async_client import AsyncWebhookClient

        url = body.get("response_url")
        if url:
            await AsyncWebhookClient(url).send(text=escape(text), response_type="ephemeral")

    # ---- buttons and menus ---------------------------------------------------------------------
    async def _on_action(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._press(body, action), "action")

    async def _press(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = body.get("user") or {}
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
        pressed_ts = container.get("message_ts") or ""
        thread_ts = (body.get("message") or {}).get("thread_ts") or pressed_ts
        team = user.get("team_id") or (body.get("team") or {}).get("id") or ""
        from_home = container.get("type") == "view"  # the App Home tab: answers go to the bot's DM
        if from_home:
            channel = await self.poster.dm_channel(user.get("id") or "")
        sender = Sender("slack", team, user.get("id") or "", "im" if channel.startswith("D") else "channel")
        value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
        try:
            reply = slackify(await self.service.press(sender, value))
        except AllianceError as error:
            await self.poster.ephemeral(channel, sender.user_id, self.refusal(error))
            return
        kind, note_ref = parse_block_id(action.get("block_id"))
        on_note = kind == "note"
        origin_ts = pressed_ts if on_note else kind  # the note message this button belongs to, if any
        if reply.silent:
            return
        if from_home:
            await self.poster.post(channel, reply)
        elif reply.note is not None:
            # A changed note replaces the note on screen; a picker that led here says so.
            target = pressed_ts if on_note or origin_ts == "-" else origin_ts
            await self.poster.update(channel, target, reply)
            if target != pressed_ts:
                await self.poster.replace_text(channel, pressed_ts, reply.text)
        elif reply.buttons:  # a question about the note (confirm, pick): asked under it
            await self.poster.post(channel, reply, thread_ts=thread_ts, origin=f"{origin_ts}:{note_ref}")
        elif on_note:
            await self.poster.post(channel, reply, thread_ts=thread_ts)
        else:
            await self.poster.replace_text(channel, pressed_ts, reply.text)  # spent buttons go away
        if origin_ts != "-" and isinstance(decode(value), DeleteNote) and reply.text == DELETED:
            # The chat mirrors the records: a deleted note's text leaves Slack too.
            await self.poster.replace_text(channel, origin_ts, DELETED)

    # ---- running -------------------------------------------------------------------------------
    async def serve(self, stop: asyncio.Event, *, host: str = "0.0.0.0") -> None:
        if self.settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(self.app, self.settings.slack_app_token)
            await handler.connect_async()
            log.info("slack bot connected (Socket Mode)")
            close = handler.close_async
        else:
            if not self.settings.slack_signing_secret:
                raise RuntimeError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).")
            web_app = self.app.web_app(path=EVENTS_PATH, port=self.settings.port)
            web_app.router.add_get("/healthz", _healthy)
            runner = web.AppRunner(web_app, access_log=None)  # one line per event adds nothing but noise
            await runner.setup()
            await web.TCPSite(runner, host, self.settings.port).start()
            log.info("slack bot listening on %s:%s%s", host, self.settings.port, EVENTS_PATH)
            close = runner.cleanup
        try:
            await stop.wait()
        finally:
            await close()
            await self._drain()

    async def _drain(self, timeout_s: float = 20) -> None:
        """Give running work a moment; anything cut off is persisted and resumes on the next start."""
        try:
            await asyncio.wait_for(self.idle(), timeout_s)
        except asyncio.TimeoutError:
            for task in list(self._tasks):
                task.cancel()


async def _healthy(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def serve(service, settings: Settings, stop: asyncio.Event) -> None:
    """Called by bots/run.py: Socket Mode with SLACK_APP_TOKEN, otherwise HTTP on $PORT."""
    await SlackBot(service, settings).serve(stop)


def make_notifier(settings: Settings) -> SlackNotifier:
    return SlackNotifier(web_client(settings))


def make_channel(settings: Settings) -> SlackChannel:
    """For a worker process: posts and updates through the Web API; no events are received."""
    return SlackChannel(web_client(settings), settings)


__all__: Sequence[str] = ("SlackBot", "serve", "make_notifier")
