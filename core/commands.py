"""The command table: one entry per command — its help text and its handler. Same words on every
channel: Telegram "/today", Slack "/alliance today", the console "/today". A new command is one line here
and one handler."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from core import handlers
from core.alliance import commands as alliance
from core.context import Context, Who
from core.notebook import handlers as notebook
from core.schedule import commands as schedule
from core.types import Reply

Handler = Callable[[Context, Who, str], Awaitable[Reply]]


@dataclass(frozen=True)
class Spec:
    help: str  # "usage — what it does"; the part after " — " is what menus show
    handler: Handler | None  # None: handled before enrolment (start, link)
    menu: bool = True  # in the chat's command menu ("/link" only duplicates /start there)


async def _help(ctx: Context, who: Who, args: str) -> Reply:
    return Reply(help_text())


COMMANDS: dict[str, Spec] = {
    "start": Spec("link this chat with an invite code", None),
    "help": Spec("what I can do", _help),
    "clients": Spec("your clients", handlers.clients),
    "today": Spec("today's prep digest now", handlers.today),
    "note": Spec("/note <text> — write a note from typed text", handlers.note),
    "client": Spec("/client <name> — whom your next memo is about", handlers.client),
    "settings": Spec("time zone, digest time, note format, reminders", handlers.settings),
    "schedule": Spec("/schedule <client> <day> <HH:MM> [weekly] — add a session", schedule.schedule),
    "appointments": Spec("upcoming sessions", schedule.appointments),
    "cancel": Spec("/cancel <number> — cancel a session", schedule.cancel),
    "calendar": Spec("/calendar <ICS feed URL> — sync sessions from your calendar (or send an .ics file)", schedule.calendar),
    "assign": Spec("/assign <number> <client> — file a calendar session under a client", schedule.assign),
    "export": Spec("/export <client> [pdf] — the client's notes as a document", notebook.export),
    "score": Spec("/score <client> <scale> <score> [date] — save a feedback score, e.g. SRS 32", alliance.score),
    "repaired": Spec("/repaired <client> [date] — mark a client's open rupture repaired", alliance.repaired),
    "report": Spec("/report <client> — the alliance over time, with a chart", alliance.report),
    "chart": Spec("/chart <client> [measure] — a client's scores over time as a picture", alliance.chart),
    "forget": Spec("/forget <client> — delete a client and all their notes", handlers.forget),
    "retry": Spec("try failed memos again", handlers.retry),
    "notes": Spec("/notes [client | drafts | number] — find, open and change your notes", notebook.notes),
    "edit": Spec("/edit <number> <change> — e.g. /edit 12 Plan: start exposure next week", notebook.edit, menu=False),
    "sign": Spec("/sign <number> — sign a note (later changes become addenda)", notebook.sign_command, menu=False),
    "copy": Spec("/copy <number> — a note as plain text for your EHR", notebook.copy, menu=False),
    "transcript": Spec("/transcript <number> — what I heard for a note", notebook.transcript, menu=False),
    "link": Spec("/link <code> — link this account with an invite code", None, menu=False),
}
ALIASES = {"digest": "today", "appts": "appointments", "appointment": "appointments"}


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


def menu_entry(name: str) -> str:
    return COMMANDS[name].help.split(" — ")[-1]


def help_text(prefix: str = "/") -> str:
    lines = [
        "Send me a voice memo after a session and I'll write the progress note.",
        "Ask me anything about your clients, e.g. \"what did Maya mention last time?\"",
        "",
        "Commands:",
    ]
    lines += [f"{prefix}{name} — {menu_entry(name)}" for name, spec in COMMANDS.items() if spec.handler is not None]
    return "\n".join(lines)
