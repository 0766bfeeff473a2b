"""`alliance notes …`: every note reachable from the terminal — list, show (and earlier versions), transcript,
edit (an instruction, or the note in $EDITOR), assign a draft, sign, copy, delete — plus what the other CLI
commands share about notes: printing one with CLI hints (never chat buttons nothing can press), chat
command names translated to CLI ones, and writing a file safely. bots/cli.py adds it with `add_parsers`.
Each command is `run_notes(service, args)` so tests drive it with a service of their own."""
from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from bots.cli_common import assistant, day, fail, print_json, progress, record_number, therapist_and_client
from bots.render import plain_text
from core.errors import AllianceError
from core.schedule.appointments import SCHEDULE_USAGE
from core.types import NoteDraft, Reply

CHAT_TO_CLI = {
    "notes": "alliance notes list", "edit": "alliance notes edit", "sign": "alliance notes sign",
    "copy": "alliance notes copy", "transcript": "alliance notes transcript", "export": "alliance export --client",
    "forget": "alliance forget --client", "clients": "alliance clients", "client": "alliance memo FILE --client",
    "retry": "alliance chat (then /retry)",
}
CLI_SCHEDULE = 'Add one: alliance appointment add --client NAME --at "YYYY-MM-DD HH:MM" [--weekly]'
_CHAT_COMMAND = re.compile(r"(?<![\w/])/(" + "|".join(sorted(CHAT_TO_CLI, key=len, reverse=True)) + r")\b( \d+)?")


def cli_words(text: str) -> str:
    """The core's texts name chat commands ("/edit 12 …"); at the terminal they name the CLI's."""
    def swap(m: re.Match[str]) -> str:
        if m[1] == "notes" and m[2]:
            return f"alliance notes show{m[2]}"
        return CHAT_TO_CLI[m[1]] + (m[2] or "")

    text = text.replace("Tap a note to open it, or type", "Open one with").replace(SCHEDULE_USAGE, CLI_SCHEDULE)
    return _CHAT_COMMAND.sub(swap, text)


def status_of(note: NoteDraft) -> str:
    return "draft" if note.needs_client else "signed" if note.signed else "final"


def note_json(note: NoteDraft, **extra) -> dict:
    return {"id": note.note_id, **note.to_json(), "status": status_of(note), **extra}


def print_note(reply: Reply, *, as_name: str = "NAME") -> None:
    """A note reply at the terminal: its text, then the commands that act on it."""
    note = reply.note
    print(cli_words(plain_text(reply)))
    if note is None or note.note_id is None:
        return
    you = f"--as {shlex.quote(as_name)}"
    if note.needs_client:
        hints = [f"alliance notes assign {note.note_id} --client NAME {you}   (file this draft under a client)",
                 f"alliance clients --add \"FULL NAME\" {you}   (names on file are heard right and filed without asking)"]
    else:
        change = "addendum: …" if note.signed else "Plan: …"
        hints = [f"alliance notes edit {note.note_id} \"{change}\" {you}"]
        if not note.signed:
            hints.append(f"alliance notes sign {note.note_id} {you}")
    hints += [f"alliance notes copy {note.note_id} {you}", f"alliance notes transcript {note.note_id} {you}"]
    print("\nNext:\n" + "\n".join("  " + h for h in hints))


def write_private(path: Path, data: bytes, *, force: bool = False, data_dir: Path | None = None) -> str | None:
    """Write a file only this user can read (0600). Never through a symbolic link, never over an existing file
    without `force`, never into alliance's own data folder. Returns why it refused, or None when written."""
    if data_dir is not None and _inside(path, data_dir):
        return f"{path} is inside alliance's data folder ({data_dir}); write the export somewhere else."
    if path.is_symlink():
        return f"{path} is a symbolic link; I won't write through it."
    if path.is_dir():
        return f"{path} is a folder; give a file name."
    if path.exists() and not force:
        return f"{path} already exists; add --force to replace it."
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return f"{path} already exists; add --force to replace it."
    except OSError as error:
        return f"Couldn't write {path} ({error.strerror or type(error).__name__})."
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), stat.S_IRUSR | stat.S_IWUSR)  # a replaced file keeps no wider mode
        handle.write(data)
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve(strict=False).relative_to(folder.resolve(strict=False))
        return True
    except ValueError:
        return False


def confirm(question: str) -> bool:
    """y/N at the terminal; end of input is "no" (main() turns a bare EOF into "Cancelled")."""
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


async def cmd_export(args) -> int:
    from core.context import Who
    from core.notebook import chart

    service, therapist_id, client = therapist_and_client(args)
    if client is None:
        return 1
    pdf = args.pdf or (args.out or "").lower().endswith(".pdf")
    if pdf and not args.out:
        return fail(args, "A PDF goes to a file: add --out FILE.pdf", 2)
    with service.ctx.uow() as uow:
        make = chart.pdf_document if pdf else chart.markdown_document
        document = make(uow, Who(therapist_id, "console"), client)
        uow.commit()
    if args.out:
        problem = write_private(Path(args.out), document.content, force=args.force, data_dir=service.settings.data_dir)
        if problem:
            return fail(args, problem)
    summary = {"client": client.name, "format": "pdf" if pdf else "markdown", "file": args.out, "bytes": len(document.content)}
    if args.json:
        print_json(summary if args.out else {**summary, "content": document.content.decode()})
    elif args.out:
        progress(f"Wrote {args.out} (only you can read it).")
    else:
        sys.stdout.write(document.content.decode())
    return 0


# ---- the parser -------------------------------------------------------------------------------------------
def add_parsers(sub, therapist) -> None:
    p = sub.add_parser("notes", help="list, show, edit, sign, copy or delete your notes")
    actions = p.add_subparsers(dest="notes_action", required=True, metavar="ACTION")
    q = therapist(actions.add_parser("list", help="your notes, newest first"))
    q.add_argument("--client", metavar="NAME", help="only this client's notes")
    q.add_argument("--drafts", action="store_true", help="only drafts waiting for their client")
    q.add_argument("--from", dest="start", type=day, metavar="DATE", help="sessions on or after this date (YYYY-MM-DD)")
    q.add_argument("--to", dest="end", type=day, metavar="DATE", help="sessions on or before this date (YYYY-MM-DD)")
    q = therapist(actions.add_parser("show", help="one note, with its signature and addenda"))
    q.add_argument("id", type=record_number, metavar="ID", help="the note's number (see: alliance notes list)")
    q.add_argument("--version", dest="version_number", type=record_number, metavar="N", help="an earlier version of it")
    for name, text in (("transcript", "what the assistant heard (or the typed text) behind a note"),
                       ("sign", "sign a note: its text is locked, later changes become addenda"),
                       ("copy", "the note as plain text under its format's headings, to paste into an EHR")):
        q = therapist(actions.add_parser(name, help=text))
        q.add_argument("id", type=record_number, metavar="ID", help="the note's number (see: alliance notes list)")
    q = therapist(actions.add_parser("edit", help='change a note: "Plan: …", "remove homework 2", … or in $EDITOR'))
    q.add_argument("id", type=record_number, metavar="ID", help="the note's number (see: alliance notes list)")
    q.add_argument("instruction", nargs="?", metavar="INSTRUCTION",
                   help='e.g. "Plan: start exposure next week"; leave out to edit the note in $EDITOR')
    q = therapist(actions.add_parser("assign", help="file a draft (or move a note) under a client"))
    q.add_argument("id", type=record_number, metavar="ID", help="the note's number (see: alliance notes list --drafts)")
    q.add_argument("--client", required=True, metavar="NAME", help="the client (a new name adds the client)")
    q = therapist(actions.add_parser("delete", help="delete a note for good"))
    q.add_argument("id", type=record_number, metavar="ID", help="the note's number (see: alliance notes list)")
    q.add_argument("--yes", action="store_true", help="no confirmation question")
    p.set_defaults(run=cmd_notes)


async def cmd_notes(args) -> int:
    return await run_notes(assistant(), args)


async def run_notes(service, args) -> int:
    from core.notebook import cli_calls

    who = service.who(service.console_sender(args.as_name))
    action, failed = args.notes_action, False
    try:
        if action == "list":
            return _listed(cli_calls.listing(service.ctx, who, args.client, args.drafts, args.start, args.end), args)
        if action == "delete":
            return _delete(service, who, args)
        if action == "edit" and args.instruction is None:
            reply = await _edit_in_editor(service, who, args.id)
        else:
            reply = await cli_calls.run(service.ctx, who, action, args.id, getattr(args, "instruction", None) or
                                        getattr(args, "client", None) or getattr(args, "version_number", None))
    except AllianceError as error:
        reply, failed = Reply(str(error)), True
    return _output(reply, args, failed)


def _listed(found, args) -> int:
    if args.json:
        print_json([item.to_json() for item in found])
    elif not found:
        print("No drafts: every note has its client." if args.drafts else "No notes found.")
    else:
        print("\n".join(item.line for item in found))
        print(f"\nOpen one with: alliance notes show ID --as {shlex.quote(args.as_name)}")
    return 0


def _output(reply: Reply, args, failed: bool = False) -> int:
    if args.json:
        if reply.note is not None:
            print_json(note_json(reply.note, message=cli_words(reply.text.split("\n")[0])))
        elif reply.copy:
            print_json({"id": args.id, "text": reply.copy})
        elif not failed and args.notes_action == "transcript":
            head, _, body = reply.text.partition("\n\n")
            print_json({"id": args.id, "transcript": body, "typed": "typed" in head})
        else:
            print_json({"error": cli_words(reply.text)} if failed else {"id": args.id, "message": cli_words(reply.text)})
    elif failed:
        progress(cli_words(reply.text))
    elif reply.copy:
        sys.stdout.write(reply.copy)  # exactly the text to paste: pipe it to pbcopy, xclip, wl-copy
    elif reply.note is not None:
        print_note(reply, as_name=args.as_name)
    else:
        print(cli_words(reply.text))
    return 1 if failed else 0


def _delete(service, who, args) -> int:
    from core.notebook import cli_calls

    summary = cli_calls.describe(service.ctx, who, args.id)
    if summary is None:
        return _output(Reply("That note no longer exists."), args, failed=True)
    if not args.yes and not confirm(f"Delete note #{args.id} ({summary}) for good?"):
        progress("Nothing deleted.")
        return 1
    cli_calls.delete(service.ctx, who, args.id)
    if args.json:
        print_json({"id": args.id, "deleted": True})
    else:
        print(f"Deleted note #{args.id}.")
    return 0


async def _edit_in_editor(service, who, note_id: int) -> Reply:
    from core.notebook import cli_calls

    text = cli_calls.editable(service.ctx, who, note_id)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="alliance-") as folder:  # 0700: only you can read the note
        path = Path(folder) / f"note-{note_id}.txt"
        path.write_text(text)
        path.chmod(0o600)
        try:
            finished = subprocess.run([*shlex.split(editor), str(path)])
        except OSError:
            raise AllianceError(f"Couldn't start the editor ({editor}); set $EDITOR, or give the change as an instruction.")
        saved = path.read_text()
    if finished.returncode != 0:
        raise AllianceError("The editor exited with an error, so the note is unchanged.")
    return await cli_calls.from_editor(service.ctx, who, note_id, saved)
