"""Turning a typed message into a command. Same words on every channel: Telegram "/today",
Slack "/alliance today", the console "/today"."""
from __future__ import annotations

from dataclasses import dataclass

COMMANDS: dict[str, str] = {
    "start": "link this chat with an invite code",
    "help": "what I can do",
    "clients": "your clients",
    "today": "today's prep digest now",
    "note": "/note <text> — write a note from typed text",
    "client": "/client <name> — whom your next memo is about",
    "settings": "time zone, digest time, note format, reminders",
    "schedule": "/schedule <client> <day> <HH:MM> [weekly] — add a session",
    "appointments": "upcoming sessions",
    "cancel": "/cancel <number> — cancel a session",
    "calendar": "/calendar <ICS feed URL> — sync sessions from your calendar (or send an .ics file)",
    "assign": "/assign <number> <client> — file a calendar session under a client",
    "export": "/export <client> — the client's notes as a document",
    "forget": "/forget <client> — delete a client and all their notes",
    "retry": "try failed memos again",
    "link": "/link <code> — link this account with an invite code",
}

ALIASES = {"ask": "ask", "digest": "today", "appts": "appointments", "appointment": "appointments"}


@dataclass(frozen=True)
class Command:
    name: str  # a key of COMMANDS, "ask" for a question, or "unknown"
    args: str = ""
    raw_name: str = ""


def parse_command(text: str, *, slash_prefix: str = "/") -> Command:
    """A message starting with the prefix is a command; anything else is a question."""
    stripped = text.strip()
    if not stripped.startswith(slash_prefix):
        return Command("ask", stripped)
    head, _, rest = stripped[len(slash_prefix):].partition(" ")
    name = head.split("@", 1)[0].lower()  # Telegram appends @botname in groups
    name = ALIASES.get(name, name)
    if name in COMMANDS or name == "ask":
        return Command(name, rest.strip(), head)
    return Command("unknown", rest.strip(), head)


def split_subcommand(text: str) -> Command:
    """Slack's "/alliance today" arrives as text "today"; an empty text means help."""
    stripped = text.strip()
    if not stripped:
        return Command("help")
    head, _, rest = stripped.partition(" ")
    name = ALIASES.get(head.lower(), head.lower())
    if name in COMMANDS or name == "ask":
        return Command(name, rest.strip(), head)
    return Command("ask", stripped)


def help_text(prefix: str = "/") -> str:
    lines = [
        "Send me a voice memo after a session and I'll write the progress note.",
        "Ask me anything about your clients, e.g. \"what did Maya mention last time?\"",
        "",
        "Commands:",
    ]
    for name, description in COMMANDS.items():
        if name in ("start", "link"):
            continue
        lines.append(f"{prefix}{name} — {description.split(' — ')[-1]}")
    return "\n".join(lines)


# ---- values typed into commands and carried by buttons -----------------------------------------------
MAX_RECORD_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger number cannot name a row, and would crash the query
MAX_CLIENT_NAME = 80


def record_id(text: str) -> int | None:
    """A row number typed or carried by a button ("12", "#12"); None for anything that can't be one.
    ASCII digits only, and within the column's range, so junk never reaches the database."""
    text = text.strip().lstrip("#")
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_ID else None


def client_name_problem(name: str) -> str | None:
    """Why a typed client name can't be stored (None when it can): it must read like a name."""
    if not any(ch.isalpha() for ch in name):
        return "A client's name needs letters, e.g. Maya Thompson."
    if len(name) > MAX_CLIENT_NAME:
        return f"That name is too long ({len(name)} characters); please use at most {MAX_CLIENT_NAME}."
    if any(not ch.isprintable() for ch in name):
        return "That name contains characters I can't store; please type it plainly."
    return None
