"""Process roles and the channel registry.

    alliance run            everything in one process (the default; all SQLite needs)
    alliance run web        channels: receive, acknowledge, queue (Telegram webhook or polling, Slack)
    alliance run worker     take memos from the queue: fetch, transcribe, write, deliver [--concurrency N]
    alliance run clock      the scheduler: queues digests, reminders, calendar refreshes, recovery

web, worker and clock share the PostgreSQL database and its Procrastinate queue; run any number of
workers, on any number of machines. On SQLite the queue lives inside the one `alliance run` process."""
from __future__ import annotations

import asyncio
import importlib
import os
import logging
import signal
from dataclasses import dataclass
from typing import Callable

from bots.bootstrap import build_assistant, memo_concurrency
from core.config import Settings

log = logging.getLogger(__name__)
ROLES = ("all", "web", "worker", "clock")


@dataclass(frozen=True)
class ChannelEntry:
    """A chat platform: its module has serve(service, settings, stop), make_channel(settings) and
    make_notifier(settings). A new channel is new files in bots/ and one line below."""

    module: str
    configured: Callable[[Settings], bool]


CHANNELS = {
    "telegram": ChannelEntry("bots.telegram", lambda s: bool(s.telegram_bot_token)),
    "slack": ChannelEntry("bots.slack", lambda s: bool(s.slack_bot_token)),
}


class RunError(RuntimeError):
    """The process can't start as configured; the message says what to change."""


def _modules(settings: Settings) -> dict:
    return {name: importlib.import_module(entry.module) for name, entry in CHANNELS.items() if entry.configured(settings)}


def _queue(settings: Settings, role: str, concurrency: int):
    if settings.resolved_database_url.startswith("postgresql"):
        from storage.queue_pg import ProcrastinateQueue

        return ProcrastinateQueue(settings.resolved_database_url, heartbeat_s=settings.worker_heartbeat_s,
                                  stalled_after_s=settings.stalled_after_s)
    if role != "all":
        raise RunError(f"`alliance run {role}` needs PostgreSQL (ALLIANCE_DATABASE_URL): separate processes share its "
                       "job queue. On SQLite, `alliance run` does everything in one process.")
    from storage.queue_local import LocalQueue

    return LocalQueue(concurrency)


async def run(settings: Settings | None = None, stop: asyncio.Event | None = None, *, role: str = "all",
              concurrency: int | None = None) -> int:
    settings = settings or Settings()
    if settings.log_level.upper() == "WARNING":  # the CLI default; a server should say what it does
        logging.getLogger().setLevel(logging.INFO)
    if concurrency:
        settings = settings.model_copy(update={"memo_concurrency": concurrency})
    modules = _modules(settings)
    if role in ("all", "web") and not modules:
        log.error("No chat platform configured: set TELEGRAM_BOT_TOKEN and/or SLACK_BOT_TOKEN (see README).")
        return 2
    try:
        queue = _queue(settings, role, memo_concurrency(settings))
    except RunError as error:
        log.error("%s", error)
        return 2
    works = role in ("all", "worker")
    if role == "worker" and settings.worker_nice > 0:  # batch work: the web process's acks come first
        try:
            os.nice(settings.worker_nice)
        except OSError:
            pass
    notifiers = {name: m.make_notifier(settings) for name, m in modules.items()} if works else {}
    channels = [m.make_channel(settings) for m in modules.values()] if works else []
    service = build_assistant(settings, queue=queue, channels=channels, notifiers=notifiers, worker=works)
    stop = stop or _stop_on_signals()
    opened = getattr(queue, "open", None)
    if opened is not None:
        await opened()
    poller = None
    if role in ("all", "web") and "telegram" in modules and not settings.telegram_webhook_url and opened is not None:
        from storage.queue_pg import hold_poller_lock

        poller = await hold_poller_lock(settings.resolved_database_url)
        if poller is None:
            log.error("Another web process is already polling Telegram (a bot allows one). To run several web "
                      "processes, use the webhook: set ALLIANCE_TELEGRAM_WEBHOOK_URL and ALLIANCE_TELEGRAM_WEBHOOK_SECRET.")
            await queue.close()
            return 2
    tasks = []
    if role in ("all", "web"):
        tasks += [asyncio.create_task(m.serve(service, settings, stop), name=name) for name, m in modules.items()]
    if works:
        tasks.append(asyncio.create_task(_work(service, queue, settings, stop), name="worker"))
    if role in ("all", "clock"):
        from bots.scheduler import serve as serve_clock

        tasks.append(asyncio.create_task(serve_clock(service.ctx, queue, stop), name="clock"))
    log.info("alliance is running (%s): %s", role, ", ".join(t.get_name() for t in tasks))
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        stop.set()
    await asyncio.gather(*pending, return_exceptions=True)
    await _close(queue, notifiers, channels, poller, service.flow.transcriber)
    for task in done:
        error = task.exception()
        if error is not None:
            # Our configuration errors say what to set (never a secret's value); anything else: the type only,
            # as an exception's text may quote content.
            said = str(error) if type(error).__name__.endswith("ConfigError") or isinstance(error, RunError) else type(error).__name__
            log.error("%s stopped: %s", task.get_name(), said)
            return 1
    return 0


async def _work(service, queue, settings: Settings, stop: asyncio.Event) -> None:
    concurrency = memo_concurrency(settings)
    log.info("worker: %d memo(s) at a time", concurrency)
    warm_up = getattr(service.flow.transcriber, "warm_up", None)
    if warm_up is not None:  # transcriber processes load the model before the first memo waits for it
        await asyncio.to_thread(warm_up)
    if hasattr(queue, "run_workers"):  # PostgreSQL
        await service.recover()
        await queue.run_workers(service.jobs, concurrency, stop)
        return
    queue.start(service.jobs, on_positions=service.flow.announce_positions)
    await service.recover()  # memos a previous run (or a killed CLI command) left unfinished
    try:
        await stop.wait()
    finally:
        await queue.stop()


async def _close(queue, notifiers: dict, channels: list, poller, transcriber=None) -> None:
    for closable in [*notifiers.values(), *channels, queue, poller, transcriber]:
        close = getattr(closable, "close", None)
        if close is None:
            continue
        try:
            result = close()
            if asyncio.iscoroutine(result):
                await result
        except Exception as error:  # shutting down anyway
            log.warning("closing %s failed: %s", type(closable).__name__, type(error).__name__)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # pragma: no cover (Windows)
            pass
    return stop
