"""Block Kit rendering of core Replies for Slack. Pure functions: a Reply in, blocks out.

Slack refuses a whole message when one block breaks a limit (invalid_blocks), so every limit is
enforced here: 3000 characters per section, 150 per header, 75 per button or option label, 25
elements per actions block, 50 blocks per message (100 in the App Home view). All text the therapist
or a transcript wrote goes through `escape`, so "<!channel>" in a memo stays text.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable, Sequence

from bots.render import split_message
from core.replies import (NOT_DISCUSSED, addendum_heading, flag_label, item_lines, measures_text, note_lists, signature_line,
                          split_risks)
from core.actions import encode
from core.commands import COMMANDS
from core.types import Button, ChooseClient, Digest, ListNotes, NoteDraft, Reply, ShowNote

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
LABEL_LIMIT = 75
OPTION_VALUE_LIMIT = 150
ELEMENTS_PER_ACTIONS = 25
OPTIONS_PER_SELECT = 100
MESSAGE_BLOCKS = 50
HOME_BLOCKS = 100
FALLBACK_LIMIT = 3000
ACTION_PREFIX = "alliance:"  # action_id prefix of everything we render; bots/slack.py listens for it

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Message text arrives escaped the same way; the core wants what the therapist typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sections(mrkdwn: str) -> list[Block]:
    """One or more section blocks for a text of any length, split at paragraph/line/word boundaries."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in split_message(mrkdwn, SECTION_LIMIT) if chunk.strip()]


def copy_sections(text: str) -> list[Block]:
    """Copy-ready text as code blocks (no formatting applied, one click selects it), each under the limit."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"```{escape(chunk)}```"}}
            for chunk in split_message(text.rstrip(), SECTION_LIMIT - 500) if chunk.strip()]


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": _clip(" ".join(text.split()) or "alliance", HEADER_LIMIT)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}]}


# ---- notes -------------------------------------------------------------------------------------
def note_blocks(note: NoteDraft, heading: str) -> list[Block]:
    """Header, risk first (it must not scroll out of sight), then summary and one section per part."""
    blocks: list[Block] = [header(heading)]
    risks, screenings = split_risks(note.risks)
    if risks:
        lines = [f"• {escape(flag_label(f))}: “{escape(f.evidence)}”" for f in risks]
        blocks += sections(":warning: *Risk*\n" + "\n".join(lines))
    if note.summary:
        blocks += sections(f"*Summary*\n{escape(note.summary)}")
    for name, text in note.sections:
        blocks += sections(f"*{escape(name)}*\n{escape(text) if text.strip() else '_' + NOT_DISCUSSED + '_'}")
    for title, items in note_lists(note):
        blocks += sections(f"*{title}*\n" + "\n".join(f"• {escape(i)}" for i in items))
    if note.measures:
        blocks += sections("*Measures*: " + escape(measures_text(note.measures)))
    if screenings:  # a screening result, not a warning
        lines = [f"• {escape(flag_label(f))}: “{escape(f.evidence)}”" for f in screenings]
        blocks += sections("*Screened, denied*\n" + "\n".join(lines))
    if note.alliance:
        lines = [f"• {escape(flag_label(f))}: “{escape(f.evidence)}”" for f in note.alliance]
        blocks += sections("*Alliance*\n" + "\n".join(lines))
    for addendum in note.addenda:
        blocks += sections(f"*{escape(addendum_heading(addendum))}*\n{escape(addendum.text)}")
    writer = "offline writer" if note.writer.startswith("offline") else note.writer
    details = [f"Session {note.session_date:%a %d %b %Y}", note.format, writer]
    if note.signed_at:
        details.append(signature_line(note))
    if note.version > 1:
        details.append(f"version {note.version}")
    if note.needs_client:
        details.append("draft until you choose the client")
    blocks.append(context(" · ".join(escape(d) for d in details)))
    return blocks


# "/retry", "/clients" … in the core's texts (not after a word or inside "/alliance clients").
COMMAND_MENTION = re.compile(r"(?<![\w/])/(" + "|".join(sorted(COMMANDS, key=len, reverse=True)) + r")\b")


def slackify(reply: Reply) -> Reply:
    """Commands are typed as `/alliance today` here, not `/today` as the core's texts say."""
    if not reply.text or "/" not in reply.text:
        return reply
    return replace(reply, text=COMMAND_MENTION.sub(lambda m: f"/alliance {m.group(1)}", reply.text))


# ---- buttons -----------------------------------------------------------------------------------
def block_id(row: int, origin: str) -> str:
    """Our actions blocks say where they sit: "note:<note id>" on a note message, or
    "<ts of the note message>:<note id>" on a follow-up (a confirmation posted under a note)."""
    return f"{ACTION_PREFIX}{row}:{origin}"


def parse_block_id(value: str | None) -> tuple[str, str]:
    """(kind or origin ts, note id or "-") from a block id made by `block_id`."""
    parts = (value or "").split(":")
    if len(parts) >= 4 and value.startswith(ACTION_PREFIX):
        return parts[2], parts[3]
    return "-", "-"


def _button(button: Button, action_id: str) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _clip(button.label, LABEL_LIMIT)},
        "value": encode(button.action),
        "action_id": action_id,
    }
    if "delete" in button.label.lower():  # destructive buttons look destructive
        element["style"] = "danger"
    return element


def _select(placeholder: str, options: Sequence[Button], action_id: str) -> Block:
    return {
        "type": "static_select",
        "placeholder": {"type": "plain_text", "text": _clip(placeholder, LABEL_LIMIT)},
        "action_id": action_id,
        "options": [
            {"text": {"type": "plain_text", "text": _clip(o.label, LABEL_LIMIT)}, "value": encode(o.action)}
            for o in options[:OPTIONS_PER_SELECT]
        ],
    }


def is_client_menu(button: Button) -> bool:
    # The one button whose answer (the list of clients) Slack can show in place, as a menu.
    return isinstance(button.action, ChooseClient)


def actions_blocks(
    rows: Sequence[Sequence[Button]],
    origin: str,
    picker: Sequence[Sequence[Button]] = (),
) -> list[Block]:
    """One actions block per row of buttons. With a `picker` (core.replies.client_picker), the
    "change client" button becomes a static select of the clients not already shown as buttons."""
    shown = {b.action for row in rows for b in row if not is_client_menu(b)}
    menu = [b for row in picker for b in row if b.action not in shown]
    blocks: list[Block] = []
    for r, row in enumerate(rows):
        elements = []
        for c, button in enumerate(row):
            action_id = f"{ACTION_PREFIX}{r}:{c}"
            if menu and is_client_menu(button):
                elements.append(_select(button.label, menu, action_id))
            else:
                elements.append(_button(button, action_id))
        for start in range(0, len(elements), ELEMENTS_PER_ACTIONS):
            chunk = elements[start : start + ELEMENTS_PER_ACTIONS]
            if chunk:
                blocks.append({"type": "actions", "block_id": block_id(len(blocks), origin), "elements": chunk})
    return blocks


# ---- whole replies -----------------------------------------------------------------------------
def digest_blocks(digest: Digest) -> list[Block]:
    if digest.empty:
        return sections(escape(f"No sessions on {digest.day:%a %d %b}."))
    blocks = [header(f"Prep for {digest.day:%A %d %B}: {len(digest.items)} session(s)")]
    for item in digest.items:
        first, *rest = item_lines(item)
        blocks += sections("*" + escape(first) + "*" + "".join("\n" + escape(line.strip()) for line in rest))
    return blocks


def reply_blocks(
    reply: Reply,
    *,
    origin: str | None = None,
    picker: Sequence[Sequence[Button]] = (),
) -> list[Block]:
    """All blocks of a reply, in order; `paginate` cuts them into messages."""
    blocks: list[Block] = []
    if reply.note is not None:
        blocks += note_blocks(reply.note, reply.text or "Progress note")
        origin = origin or f"note:{reply.note.note_id}"
    else:
        if reply.digest is not None:
            blocks += digest_blocks(reply.digest)
        from core.replies import digest_text

        if reply.text and (reply.digest is None or reply.text != digest_text(reply.digest)):
            blocks = sections(escape(reply.text)) + blocks
        blocks += copy_sections(reply.copy)
    blocks += actions_blocks(reply.buttons, origin or "-:-", picker or [reply.client_menu])
    return blocks


def fallback_text(reply: Reply) -> str:
    """The message's `text`: what notifications and screen readers show."""
    text = reply.text or ("Progress note" if reply.note else "Today's prep" if reply.digest else "")
    return escape(_clip(text, FALLBACK_LIMIT))


def paginate(blocks: list[Block], limit: int = MESSAGE_BLOCKS) -> list[list[Block]]:
    """Messages of at most `limit` blocks; trailing actions stay together in the last message,
    so the buttons sit under the end of the note."""
    tail = 0
    while tail < len(blocks) and blocks[len(blocks) - 1 - tail]["type"] == "actions":
        tail += 1
    body, actions = blocks[: len(blocks) - tail], blocks[len(blocks) - tail :][:limit]
    pages = [body[i : i + limit] for i in range(0, len(body), limit)] or [[]]
    if len(pages[-1]) + len(actions) <= limit:
        pages[-1] = pages[-1] + actions
    else:
        pages.append(actions)
    return [page for page in pages if page]


def fit(blocks: list[Block], limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """One message's worth (chat.update edits one message): the body is cut to leave room for the
    trailing actions, with a note that the rest is in the export."""
    if len(blocks) <= limit:
        return blocks
    tail = 0
    while tail < len(blocks) and blocks[len(blocks) - 1 - tail]["type"] == "actions":
        tail += 1
    actions = blocks[len(blocks) - tail :][: limit - 2]
    body = blocks[: len(blocks) - tail][: limit - len(actions) - 1]
    return body + [context("Too long to show in full here; `/alliance export` has all of it.")] + actions


# ---- App Home ----------------------------------------------------------------------------------
def one_line(text: str, limit: int = 200) -> str:
    return _clip(" ".join(text.split()), limit)


def _open(label: str, action, n: int) -> Block:
    return {"type": "button", "text": {"type": "plain_text", "text": _clip(label, LABEL_LIMIT)},
            "value": encode(action), "action_id": f"{ACTION_PREFIX}home:{n}"}


def home_view(digest: Digest | None, notes: Iterable[NoteDraft], *, refusal: str | None = None,
              drafts: Sequence[tuple[int, str]] = ()) -> Block:
    """The App Home tab: today's sessions and the latest notes in one line each. The tab is only ever
    shown to the user who opens it, so client names are fine here; a stranger sees the refusal."""
    if refusal is not None:
        blocks = [header("alliance")] + sections(escape(refusal)) + [
            context(escape("Have an invite code? Send `/alliance link <code>` in the Messages tab."))
        ]
        return {"type": "home", "blocks": blocks}
    blocks: list[Block] = []
    if digest is not None:
        blocks.append(header(f"Today, {digest.day:%A %d %B}"))
        if digest.empty:
            blocks += sections("No sessions today.")
        for item in digest.items:
            line = f"*{item.starts_at:%H:%M}* {escape(item.client_name)}"
            if item.first_session:
                line += " — first session"
            else:
                line += f" — last session {item.last_session:%a %d %b}: {escape(one_line(item.summary))}"
            if item.risks:
                line += "\n:warning: " + escape(one_line("; ".join(flag_label(f) for f in item.risks)))
            blocks += sections(line)
    blocks += [{"type": "divider"}, header("Latest notes")]
    notes = list(notes)
    if not notes:
        blocks += sections("No notes yet. Send me a voice memo in the Messages tab after a session.")
    for n, note in enumerate(notes):
        client = escape(note.client_name or "client not chosen")
        state = " · signed" if note.signed else ""
        [block] = sections(f"*{client}* · {note.session_date:%a %d %b} · {note.format}{state}\n{escape(one_line(note.summary or '—'))}")
        blocks.append({**block, "accessory": _open("Open", ShowNote(note.note_id), n)})
    if notes:
        blocks.append({"type": "actions", "elements": [_open("All notes", ListNotes(1), 900)]})
    if drafts:  # (note id, its line): notes that wait for their client
        blocks += [{"type": "divider"}, header(f"Drafts waiting for a client ({len(drafts)})")]
        for n, (note_id, line) in enumerate(drafts[:20]):
            [block] = sections(escape(one_line(line)))
            blocks.append({**block, "accessory": _open("Choose client", ShowNote(note_id), 500 + n)})
    blocks.append(context("Send a voice memo in Messages for a new note · `/alliance help` for commands"))
    if len(blocks) > HOME_BLOCKS:
        blocks = blocks[: HOME_BLOCKS - 1] + [blocks[-1]]
    return {"type": "home", "blocks": blocks}
