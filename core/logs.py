"""Logging set-up. Our own log lines carry ids, counts and timings only; this also keeps third-party
lines from leaking secrets (httpx logs Telegram URLs, which contain the bot token)."""
from __future__ import annotations

import logging
import re

SECRET_PATTERNS = (
    re.compile(r"bot\d+:[A-Za-z0-9_-]{20,}"),  # Telegram bot token inside API URLs
    re.compile(r"xox[abpre]-[A-Za-z0-9-]+"),  # Slack tokens
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"sk-[A-Za-z0-9_-]{16,}"),  # OpenAI-style keys
)
QUIET = ("alembic", "httpx", "httpx2", "httpcore", "telegram", "slack_bolt", "slack_sdk", "apscheduler", "openai", "faster_whisper", "aiohttp.access")


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for pattern in SECRET_PATTERNS:
            redacted = pattern.sub("[redacted]", redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(level: str | None = None) -> None:
    from core.config import Settings

    level = (level or Settings().log_level).upper()
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
