"""`alliance` — the command line: one more channel into the same core, plus the operator commands."""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
from pathlib import Path

from bots.cli_common import (
    Parser,
    assistant,
    count_of,
    day,
    fail,
    moment,
    new_therapist_confirmed,
    note_format,
    print_json,
    progress,
    record_number,
    therapist_and_client,
    therapist_of,
    version_text,
)
from bots.cli_keys import add_parsers as add_key_parsers
from core.types import AudioMemo, Reply


# ---- commands ------------------------------------------------------------------------------------
async def cmd_memo(args) -> int:
    if args.resume:
        return await _resume(args)
    if not args.file:
        progress("Give the memo's audio file, e.g. alliance memo session.ogg --as NAME (or --resume).")
        return 2
    path = Path(args.file)
    if not path.is_file():
        progress(f"No file at {path}.")
        return 2
    data = path.read_bytes()
    service = assistant()
    sender = service.console_sender(args.as_name)
    message_id = hashlib.sha256(data).hexdigest()[:24]
    # The file's own name often holds a client's name: only its extension is kept.
    memo = AudioMemo(message_id, data, "memo" + path.suffix.lower()[:6], client_hint=args.client,
                     session_date=args.date, note_format=args.format)
    receipt = await service.receive_memo(sender, memo)
    if not receipt.accepted:
        progress(receipt.message)
        return 1
    progress("Transcribing and writing the note…" if not receipt.duplicate else "Already received; fetching its note…")
    therapist_id = service.therapist_id(sender)
    reply = await service.finish_memo(therapist_id, receipt.memo_id)
    return _finish_note(receipt.memo_id, reply, args)


async def _resume(args) -> int:
    """Finish the therapist's memos a killed command left half-way (each one, once)."""
    service = assistant()
    therapist_id = service.therapist_id(service.console_sender(args.as_name))
    pending = service.unfinished_memos(therapist_id)
    if not pending:
        progress("No memo was left unfinished.")
        return 0
    progress(f"Finishing {len(pending)} memo(s) left unfinished…")
    code = 0
    for memo_id in pending:
        code = max(code, _finish_note(memo_id, await service.finish_memo(therapist_id, memo_id), args))
    return code


async def cmd_note(args) -> int:
    from core.handlers import write_typed_note

    service = assistant()
    who = service.who(service.console_sender(args.as_name))
    message_id = hashlib.sha256(args.text.encode()).hexdigest()[:24]
    memo = AudioMemo(message_id, None, session_date=args.date, note_format=args.format, client_hint=args.client)
    if not any(ch.isalpha() for ch in args.text):
        progress("Give the note's text, e.g. alliance note \"Session with Maya today. She reported…\" --as NAME")
        return 2
    reply = await write_typed_note(service.ctx, who, args.text, memo)
    return _finish_note(reply.memo_id, reply, args)


def _finish_note(memo_id, reply: Reply, args) -> int:
    from bots.cli_notes import cli_words, print_note

    if reply.note is None:
        if args.json:
            print_json({"error": cli_words(reply.text), "memo_id": memo_id})
        else:
            progress(cli_words(reply.text))
        return 1
    if args.json:
        print_json({**reply.note.to_json(), "memo_id": memo_id})
    else:
        print_note(reply, as_name=args.as_name)  # with the CLI commands that act on it, not chat buttons
    return 0


async def cmd_ask(args) -> int:
    service = assistant()
    answer = await service.answer(service.console_sender(args.as_name), args.question)
    if args.json:
        print_json(
            {
                "answer": answer.text,
                "found": answer.found,
                "citations": [
                    {"client": c.client_name, "session_date": c.session_date.isoformat(), "note_id": c.note_id}
                    for c in answer.citations
                ],
            }
        )
    else:
        print(answer.text)
    return 0 if answer.found else 1


async def cmd_digest(args) -> int:
    from core.replies import digest_text

    service, therapist_id = therapist_of(args)
    digest = await service.digest(therapist_id, args.day or service.today_for(therapist_id))
    if args.json:
        print_json(digest_json(digest))
    else:
        print(digest_text(digest))
    return 0


def digest_json(digest) -> dict:
    def flags(items):
        return [{"kind": f.kind, "status": f.status, "evidence": f.evidence, "qualifiers": list(f.qualifiers)} for f in items]

    return {
        "day": digest.day.isoformat(),
        "items": [
            {
                "appointment_id": i.appointment_id,
                "client": i.client_name,
                "time": i.starts_at.strftime("%H:%M"),
                "starts_at": i.starts_at.isoformat(),
                "first_session": i.first_session,
                "last_session": i.last_session.isoformat() if i.last_session else None,
                "summary": i.summary,
                "highlights": list(i.highlights),
                "homework": list(i.homework),
                "follow_ups": list(i.follow_ups),
                "risks": [{**flag, "session_date": day.isoformat()} for flag, day in
                          zip(flags(i.risks), i.risk_dates or (i.last_session,) * len(i.risks))],
                "alliance": flags(i.alliance),
                "addenda": [{"session_date": day.isoformat(), "text": text} for day, text in i.addenda],
            }
            for i in digest.items
        ],
    }


async def cmd_appointment(args) -> int:
    from bots.cli_notes import cli_words
    from core.context import Who
    from core.schedule import appointments

    service, therapist_id = therapist_of(args)
    ctx, who = service.ctx, Who(therapist_id, "console")
    if args.action == "add":
        if not args.client or not args.at:
            return fail(args, 'appointment add needs --client NAME and --at "YYYY-MM-DD HH:MM"', 2)
        past = appointments.is_past(ctx, therapist_id, args.at)
        reply = appointments.add(ctx, who, args.client, args.at, weekly=args.weekly)
        if not reply.text.startswith("Scheduled"):
            return fail(args, cli_words(reply.text))
        print_json({"message": reply.text, "past": past}) if args.json else print(reply.text)
        if past and not args.json:  # allowed from the terminal (recording history), but never silently
            progress("Note: that time has already passed, so it brings no reminder.")
    elif args.action == "cancel":
        from core.schedule.commands import cancel

        reply = await cancel(ctx, who, str(args.id or ""))
        ok = reply.text == "Session cancelled."
        if args.json:
            print_json({"id": args.id, "cancelled": True} if ok else {"error": "No such session (see: alliance appointment list)."})
        else:
            print("Session cancelled." if ok else "No such session (see: alliance appointment list).")
        return 0 if ok else 1
    elif args.json:
        print_json(appointments_json(ctx, therapist_id, args.days))
    else:
        text = appointments.list_text(ctx, therapist_id, days=args.days, assign_hint="alliance calendar assign {id} NAME")
        print(cli_words(text))
    return 0


def appointments_json(ctx, therapist_id: int, days: int) -> list[dict]:
    from datetime import timedelta

    tz, now = ctx.tz(therapist_id), ctx.clock.now()
    with ctx.uow() as uow:
        found = uow.appointments.occurrences(therapist_id, now, now + timedelta(days=days), tz)
        names = {c.id: c.name for c in uow.clients.list(therapist_id)}
    return [{"id": o.appointment_id, "client": names.get(o.client_id), "starts_at": o.starts_at.astimezone(tz).isoformat(),
             "weekly": o.weekly, "source": o.source} for o in found]


async def cmd_clients(args) -> int:
    if args.alias and len(args.add or ()) != 1:
        progress("Give --alias together with exactly one --add NAME.")
        return 2
    from core import roster

    names = [roster.clean_name(name) for name in args.add or ()]
    for name in names:
        problem = roster.name_problem(name)
        if problem:  # refuse before anything is written
            progress(problem)
            return 2
    service, therapist_id = therapist_of(args)
    with service.ctx.uow() as uow:
        for name in names:
            roster.create(uow, therapist_id, name, "console", aliases=args.alias or ())
        uow.commit()
        clients = uow.clients.list(therapist_id)
    if args.json:
        print_json([{"id": c.id, "name": c.name, "aliases": list(c.aliases)} for c in clients])
    else:
        print("\n".join(c.name for c in clients) or "No clients yet.")
    return 0


async def cmd_forget(args) -> int:
    service, therapist_id, client = therapist_and_client(args)
    if client is None:
        return 1
    if not args.yes:
        answer = input(f"Delete {client.name} and all their notes for good? Type the name to confirm: ")
        if answer.strip().lower() != client.name.lower():
            progress("Nothing deleted.")
            return 1
    from core import roster

    with service.ctx.uow() as uow:
        roster.forget(uow, therapist_id, client.id, "console")
        uow.commit()
    if args.json:
        print_json({"client": client.name, "deleted": True})
    else:
        print(f"Deleted {client.name} and everything recorded about them.")
    return 0


async def cmd_invite(args) -> int:
    service = assistant()
    invite = service.create_invite(args.name, args.days)
    username = service.settings.telegram_bot_username
    if not username and service.settings.telegram_bot_token:
        from bots.telegram import fetch_username

        try:
            username = await fetch_username(service.settings)
        except Exception:  # offline or a bad token: "/start CODE" still works
            username = None
    link = f"https://t.me/{username}?start={invite.code}" if username else None
    if args.json:
        print_json(
            {"therapist": invite.therapist, "code": invite.code, "expires_at": invite.expires_at.isoformat(), "telegram_link": link}
        )
    else:
        print(f"Invite for {invite.therapist} (expires {invite.expires_at:%Y-%m-%d %H:%M} UTC):")
        print(f"  Telegram: {link or '/start ' + invite.code + '  (set TELEGRAM_BOT_USERNAME for a link)'}")
        print(f"  Slack:    /alliance link {invite.code}")
    return 0


async def cmd_chat(args) -> int:
    from bots.console import chat

    return await chat(assistant(), args.as_name)


async def cmd_demo(args) -> int:
    from bots.demo import run_demo

    return await run_demo()


async def cmd_doctor(args) -> int:
    from bots.doctor import run_doctor

    return run_doctor()


async def cmd_run(args) -> int:
    from bots.run import run

    return await run(role=args.role, concurrency=args.concurrency)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="alliance", description="A self-hosted assistant for psychotherapists.")
    parser.add_argument("--version", action="version", version=f"alliance {version_text()}", help="the installed version")
    sub = parser.add_subparsers(dest="command", required=True)

    def therapist(p):
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME",
                       help='the therapist ("Dr. Rivera" and "Dr Rivera" are the same one)')
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    def note_options(p):
        p.add_argument("--client", metavar="NAME", help="the client this note is about")
        p.add_argument("--date", type=day, help="session date, YYYY-MM-DD (default: today)")
        p.add_argument("--format", type=note_format, help="SOAP, DAP, BIRP or GIRP")

    sub.add_parser("demo", help="offline demo with bundled sample memos").set_defaults(run=cmd_demo)
    p = sub.add_parser("run", help="run the bots, the workers and the scheduler (or one of them)")
    p.add_argument("role", nargs="?", default="all", choices=["all", "web", "worker", "clock"],
                   help="all (default): everything in one process; web, worker, clock: one role (needs PostgreSQL)")
    p.add_argument("--concurrency", type=count_of(1, 64, "memos"), metavar="N",
                   help="memos transcribed at once (default: one per core)")
    p.set_defaults(run=cmd_run)
    sub.add_parser("doctor", help="check the configuration and say plainly what is wrong").set_defaults(run=cmd_doctor)
    p = therapist(sub.add_parser("memo", help="a voice memo file -> a progress note"))
    p.add_argument("file", nargs="?", help="the recording (OGG, M4A, MP3, WAV, FLAC, WebM)")
    p.add_argument("--resume", action="store_true", help="finish memos an interrupted command left half-way")
    note_options(p)
    p.set_defaults(run=cmd_memo)
    p = therapist(sub.add_parser("note", help="typed text -> a progress note"))
    p.add_argument("text", help="what happened in the session, as you would dictate it")
    note_options(p)
    p.set_defaults(run=cmd_note)
    p = therapist(sub.add_parser("ask", help="ask about your clients"))
    p.add_argument("question", help='e.g. "what did Maya mention last time?"')
    p.set_defaults(run=cmd_ask)
    p = therapist(sub.add_parser("digest", help="the prep digest for a day"))
    p.add_argument("--day", type=day, metavar="DATE", help="the day, YYYY-MM-DD (default: today)")
    p.set_defaults(run=cmd_digest)
    p = therapist(sub.add_parser("appointment", help="add, list or cancel sessions"))
    p.add_argument("action", choices=["add", "list", "cancel"], help="add a session, list upcoming ones, or cancel one")
    p.add_argument("--client", metavar="NAME", help="the client (add)")
    p.add_argument("--at", type=moment, help='"YYYY-MM-DD HH:MM" in your time zone')
    p.add_argument("--weekly", action="store_true", help="repeat every week (add)")
    p.add_argument("--id", type=record_number, help="the session number to cancel")
    p.add_argument("--days", type=count_of(1, 366, "days"), default=14, metavar="N",
                   help="how many days ahead to list (default 14)")
    p.set_defaults(run=cmd_appointment)
    from bots.cli_schedule import add_parsers as add_schedule_parsers

    add_schedule_parsers(sub, therapist)
    from bots.cli_report import add_parsers as add_report_parsers  # alliance report, alliance chart

    add_report_parsers(sub, therapist)

    from bots.cli_notes import add_parsers as add_notes_parsers, cmd_export

    add_notes_parsers(sub, therapist)

    add_key_parsers(sub)  # keys list/rotate/retire, backup, restore
    p = therapist(sub.add_parser("clients", help="list your clients, or add some (names help transcription)"))
    p.add_argument("--add", action="append", metavar="NAME", help="add a client (repeatable)")
    p.add_argument("--alias", action="append", metavar="ALIAS", help='another name for the added client, e.g. "Danny"')
    p.set_defaults(run=cmd_clients)
    p = therapist(sub.add_parser("export", help="a client's notes as Markdown or PDF"))
    p.add_argument("--client", required=True, metavar="NAME", help="whose notes")
    p.add_argument("--out", metavar="FILE", help="write to this file (readable only by you) instead of the screen")
    p.add_argument("--pdf", action="store_true", help="a PDF instead of Markdown (also when FILE ends in .pdf)")
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.set_defaults(run=cmd_export)
    p = therapist(sub.add_parser("forget", help="delete a client and all their notes"))
    p.add_argument("--client", required=True, metavar="NAME", help="the client to delete")
    p.add_argument("--yes", action="store_true", help="no confirmation question")
    p.set_defaults(run=cmd_forget)
    p = sub.add_parser("chat", help="talk to the assistant in the terminal")
    p.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="the therapist")
    p.set_defaults(run=cmd_chat)
    p = sub.add_parser("invite", help="a one-time link for a therapist's Telegram or Slack")
    p.add_argument("name", help="the therapist's name, as they will use it with --as")
    p.add_argument("--days", type=count_of(1, 90, "days"), metavar="N", help="valid for this many days (default 7)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_invite)
    return parser


def main(argv: list[str] | None = None) -> int:
    from core.errors import AllianceError, SimilarTherapist
    from core.logs import setup_logging

    args = build_parser().parse_args(argv)
    setup_logging()
    try:
        try:
            return asyncio.run(args.run(args)) or 0
        except SimilarTherapist as similar:  # "Rivera" beside "Dr. Maria Rivera": ask before making a second
            if not new_therapist_confirmed(similar):
                return 1
            return asyncio.run(args.run(args)) or 0
    except AllianceError as error:
        from bots.cli_notes import cli_words

        progress(cli_words(str(error)))
        return 1
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or end of input at a question
        progress("Cancelled.")
        return 130 if isinstance(sys.exc_info()[1], KeyboardInterrupt) else 1
    except Exception as error:  # never a traceback: the type only, as messages may quote what was typed
        progress(f"Something went wrong ({type(error).__name__}). What was saved before stays; `alliance doctor` checks the set-up.")
        return 1


if __name__ == "__main__":
    sys.exit(main())
