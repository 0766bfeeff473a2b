"""The Telegram bot (python-telegram-bot v22): Application wiring, long polling or a webhook, the
command menu, finishing memos left over from a restart, and the notifier the scheduler sends through.

`alliance run` calls serve() and make_notifier(); tests point base_url at a local fake Bot API."""
from __future__ import annotations

import asyncio
import hmac
import logging
import re
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, BotCommand, Update
from telegram.ext import Application, Defaults

from bots.telegram_channel import TelegramChannel, TelegramNotifier
from bots.telegram_handlers import TelegramHandlers
from bots.telegram_order import PerChatOrder
from bots.telegram_render import NO_PREVIEW
from core.commands import COMMANDS, menu_entry
from core.config import Settings
from core.service import Assistant

log = logging.getLogger(__name__)

# Only what the bot acts on: no membership changes, channel posts or edits reach us at all.
ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class TelegramConfigError(RuntimeError):
    """The bot can't start as configured; the message says what to set (never a secret's value)."""


# ---- configuration ---------------------------------------------------------------------------------
def api_urls(settings: Settings) -> tuple[str, str]:
    """(base_url, base_file_url) in PTB's form: ".../bot" and ".../file/bot", the token appended by PTB.
    A self-hosted server may be given as its root ("http://localhost:8081") or in PTB's form."""
    base = (settings.telegram_base_url or "https://api.telegram.org/bot").rstrip("/")
    if "{token}" not in base and not base.endswith("/bot"):
        base += "/bot"
    file_base = (settings.telegram_base_file_url or "").rstrip("/")
    if not file_base:
        root = base[: -len("/bot")] if base.endswith("/bot") else base
        file_base = root + "/file/bot"
    elif "{token}" not in file_base and not file_base.endswith("/file/bot"):
        file_base += "/file/bot"
    return base, file_base


def _token(settings: Settings) -> str:
    if not settings.telegram_bot_token:
        raise TelegramConfigError("TELEGRAM_BOT_TOKEN is not set.")
    return settings.telegram_bot_token


def _webhook_secret(settings: Settings) -> str:
    secret = settings.telegram_webhook_secret or ""
    if not secret:
        raise TelegramConfigError(
            "ALLIANCE_TELEGRAM_WEBHOOK_URL is set but ALLIANCE_TELEGRAM_WEBHOOK_SECRET is not: "
            "refusing to accept unauthenticated webhook requests."
        )
    if not SECRET_FORMAT.fullmatch(secret):
        raise TelegramConfigError(
            "ALLIANCE_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -."
        )
    return secret


def make_bot(settings: Settings) -> Bot:
    base_url, base_file_url = api_urls(settings)
    return Bot(_token(settings), base_url=base_url, base_file_url=base_file_url)


def build_application(service: Assistant, settings: Settings) -> tuple[Application, TelegramHandlers]:
    base_url, base_file_url = api_urls(settings)
    app = (
        Application.builder()
        .token(_token(settings))
        .base_url(base_url)
        .base_file_url(base_file_url)
        .defaults(Defaults(link_preview_options=NO_PREVIEW))
        .job_queue(None)  # scheduling is bots/scheduler.py's job, from the database
        .concurrent_updates(PerChatOrder())  # chats at once, each chat in order
        .build()
    )
    handlers = TelegramHandlers(service, settings)
    handlers.register(app)
    service.flow.channels["telegram"] = TelegramChannel(app.bot, settings)  # acks (and, all-in-one, notes)
    return app, handlers


def menu() -> list[BotCommand]:
    return [BotCommand(name, menu_entry(name)[:256]) for name, spec in COMMANDS.items() if spec.menu]


# ---- running ---------------------------------------------------------------------------------------
async def serve(service: Assistant, settings: Settings, stop: asyncio.Event) -> None:
    """Run the bot until `stop` is set: long polling, or a webhook when ALLIANCE_TELEGRAM_WEBHOOK_URL is set."""
    webhook_url = settings.telegram_webhook_url
    secret = _webhook_secret(settings) if webhook_url else None  # refuse before touching the network
    app, _ = build_application(service, settings)
    async with app:  # initialize (getMe) ... shutdown
        log.info("telegram bot @%s starting (%s)", app.bot.username, "webhook" if webhook_url else "polling")
        if not settings.telegram_bot_username:
            log.info("set TELEGRAM_BOT_USERNAME=%s so `alliance invite` prints t.me links", app.bot.username)
        await app.bot.set_my_commands(menu())
        runner = None
        if webhook_url:
            runner = await start_webhook_server(app, settings, secret)
            await app.bot.set_webhook(webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        else:
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            await stop.wait()
        finally:
            if runner is not None:
                await runner.cleanup()
            if app.updater.running:
                await app.updater.stop()
            await app.stop()  # waits for memos being finished in the background


async def start_webhook_server(app: Application, settings: Settings, secret: str) -> web.AppRunner:
    """Our own small aiohttp endpoint rather than PTB's: the secret header is compared in constant
    time, and nothing about a refused request (its header included) is logged."""
    path = urlsplit(settings.telegram_webhook_url).path or "/"
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("refused a webhook request without the right secret token")
            return web.Response(status=403)
        try:
            payload = await request.json()
            update = Update.de_json(payload, app.bot)
        except Exception:  # noqa: BLE001 - malformed body: tell Telegram, keep no content
            return web.Response(status=400)
        await app.update_queue.put(update)
        return web.Response(status=200)

    webapp = web.Application(client_max_size=1024 * 1024)
    webapp.router.add_post(path, receive)
    runner = web.AppRunner(webapp, access_log=None)
    await runner.setup()
    host = getattr(settings, "telegram_webhook_listen", None) or "0.0.0.0"
    port = getattr(settings, "telegram_webhook_port", None) or settings.port
    await web.TCPSite(runner, host, port).start()
    log.info("telegram webhook listening on port %s", port)
    return runner


# ---- the worker's and the scheduler's way out ------------------------------------------------------
def make_channel(settings: Settings) -> TelegramChannel:
    """For a worker process: its own Bot, no polling (the web process receives)."""
    return TelegramChannel(make_bot(settings), settings)


def make_notifier(settings: Settings) -> TelegramNotifier:
    return TelegramNotifier(make_bot(settings))


async def fetch_username(settings: Settings) -> str:
    """The bot's @username from getMe, for t.me invite links when TELEGRAM_BOT_USERNAME is not set."""
    async with make_bot(settings) as bot:
        return bot.username
