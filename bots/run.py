"""`alliance run`: the configured chat bots and the scheduler in one asyncio process."""
from __future__ import annotations

import asyncio
import logging
import signal

from bots.bootstrap import build_assistant
from core.config import Settings

log = logging.getLogger(__name__)


async def run(settings: Settings | None = None, stop: asyncio.Event | None = None) -> int:
    settings = settings or Settings()
    if settings.log_level.upper() == "WARNING":  # the CLI default; a server should say what it does
        logging.getLogger().setLevel(logging.INFO)
    service = build_assistant(settings)
    stop = stop or _stop_on_signals()
    tasks, notifiers = [], {}
    if settings.telegram_bot_token:
        from bots import telegram

        notifiers["telegram"] = telegram.make_notifier(settings)
        tasks.append(asyncio.create_task(telegram.serve(service, settings, stop), name="telegram"))
    if settings.slack_bot_token:
        from bots import slack

        notifiers["slack"] = slack.make_notifier(settings)
        tasks.append(asyncio.create_task(slack.serve(service, settings, stop), name="slack"))
    if not tasks:
        log.error("No chat platform configured: set TELEGRAM_BOT_TOKEN and/or SLACK_BOT_TOKEN (see README).")
        return 2
    from bots.scheduler import serve as serve_scheduler

    tasks.append(asyncio.create_task(serve_scheduler(service, notifiers, settings, stop), name="scheduler"))
    log.info("alliance is running: %s", ", ".join(t.get_name() for t in tasks))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    await asyncio.gather(*pending, return_exceptions=True)
    for notifier in notifiers.values():
        close = getattr(notifier, "close", None)
        if close is not None:
            await close()
    for task in done:
        if task.exception() is not None:
            log.error("%s stopped: %s", task.get_name(), type(task.exception()).__name__)
            return 1
    return 0


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # pragma: no cover (Windows)
            pass
    return stop
