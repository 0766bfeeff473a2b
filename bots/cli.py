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
    moment,
    note_format,
    print_json,
    progress,
    record_number,
    therapist_of,
)
from bots.cli_keys import add_parsers as add_key_parsers
from core.types import AudioMemo, Reply


# ---- commands ------------------------------------------------------------------------------------
async def cmd_memo(args) -> int:
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
    from bots.console import print_reply

    if reply.note is None:
        if args.json:
            print_json({"error": reply.text, "memo_id": memo_id})
        else:
            progress(reply.text)
        return 1
    if args.json:
        print_json({**reply.note.to_json(), "memo_id": memo_id})
    else:
        print_reply(reply)
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
                "risks": flags(i.risks),
                "alliance": flags(i.alliance),
            }
            for i in digest.items
        ],
    }


async def cmd_appointment(args) -> int:
    from core.context import Who
    from core.schedule import appointments

    service, therapist_id = therapist_of(args)
    ctx, who = service.ctx, Who(therapist_id, "console")
    if args.action == "add":
        if not args.client or not args.at:
            progress('appointment add needs --client NAME and --at "YYYY-MM-DD HH:MM"')
            return 2
        past = appointments.is_past(ctx, therapist_id, args.at)
        reply = appointments.add(ctx, who, args.client, args.at, weekly=args.weekly)
        if not reply.text.startswith("Scheduled"):
            progress(reply.text)
            return 1
        print(reply.text)
        if past:  # allowed from the terminal (recording history), but never silently
            progress("Note: that time has already passed, so it brings no reminder.")
    elif args.action == "cancel":
        from core.schedule.commands import cancel

        reply = await cancel(ctx, who, str(args.id or ""))
        ok = reply.text == "Session cancelled."
        print("Session cancelled." if ok else "No such session (see: alliance appointment list).")
        return 0 if ok else 1
    else:
        print(appointments.list_text(ctx, therapist_id, days=args.days, assign_hint="alliance calendar assign {id} NAME"))
    return 0


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


def _therapist_and_client(args):
    """(service, therapist id, client) for --as and --client; client None (and why, said) if unknown."""
    from core import roster
    from core.errors import AllianceError

    service, therapist_id = therapist_of(args)
    try:
        with service.ctx.uow() as uow:
            client = roster.find(uow, therapist_id, args.client)
    except AllianceError as error:
        progress(str(error).replace("Your clients: /clients", "See: alliance clients --as NAME"))
        client = None
    return service, therapist_id, client


async def cmd_export(args) -> int:
    from core.context import Who
    from core.handlers import export_document

    service, therapist_id, client = _therapist_and_client(args)
    if client is None:
        return 1
    with service.ctx.uow() as uow:
        document = export_document(uow, Who(therapist_id, "console"), client)
        uow.commit()
    if args.out:
        Path(args.out).write_bytes(document.content)
        progress(f"Wrote {args.out}")
    else:
        sys.stdout.write(document.content.decode())
    return 0


async def cmd_forget(args) -> int:
    service, therapist_id, client = _therapist_and_client(args)
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
    sub = parser.add_subparsers(dest="command", required=True)

    def therapist(p):
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="the therapist")
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    def note_options(p):
        p.add_argument("--client", help="the client this note is about")
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
    p.add_argument("file")
    note_options(p)
    p.set_defaults(run=cmd_memo)
    p = therapist(sub.add_parser("note", help="typed text -> a progress note"))
    p.add_argument("text")
    note_options(p)
    p.set_defaults(run=cmd_note)
    p = therapist(sub.add_parser("ask", help="ask about your clients"))
    p.add_argument("question")
    p.set_defaults(run=cmd_ask)
    p = therapist(sub.add_parser("digest", help="the prep digest for a day"))
    p.add_argument("--day", type=day)
    p.set_defaults(run=cmd_digest)
    p = therapist(sub.add_parser("appointment", help="add, list or cancel sessions"))
    p.add_argument("action", choices=["add", "list", "cancel"])
    p.add_argument("--client")
    p.add_argument("--at", type=moment, help='"YYYY-MM-DD HH:MM" in your time zone')
    p.add_argument("--weekly", action="store_true")
    p.add_argument("--id", type=record_number, help="the session number to cancel")
    p.add_argument("--days", type=count_of(1, 366, "days"), default=14)
    p.set_defaults(run=cmd_appointment)
    from bots.cli_schedule import add_parsers as add_schedule_parsers

    add_schedule_parsers(sub, therapist)
    add_key_parsers(sub)  # keys list/rotate/retire, backup, restore
    p = therapist(sub.add_parser("clients", help="list your clients, or add some (names help transcription)"))
    p.add_argument("--add", action="append", metavar="NAME", help="add a client (repeatable)")
    p.add_argument("--alias", action="append", metavar="ALIAS", help='another name for the added client, e.g. "Danny"')
    p.set_defaults(run=cmd_clients)
    p = therapist(sub.add_parser("export", help="a client's notes as Markdown"))
    p.add_argument("--client", required=True)
    p.add_argument("--out", help="write to this file instead of the screen")
    p.set_defaults(run=cmd_export)
    p = therapist(sub.add_parser("forget", help="delete a client and all their notes"))
    p.add_argument("--client", required=True)
    p.add_argument("--yes", action="store_true", help="no confirmation question")
    p.set_defaults(run=cmd_forget)
    p = therapist(sub.add_parser("chat", help="talk to the assistant in the terminal"))
    p.set_defaults(run=cmd_chat)
    p = sub.add_parser("invite", help="a one-time link for a therapist's Telegram or Slack")
    p.add_argument("name")
    p.add_argument("--days", type=count_of(1, 90, "days"), help="valid for this many days (default 7)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_invite)
    return parser


def main(argv: list[str] | None = None) -> int:
    from core.errors import AllianceError
    from core.logs import setup_logging

    args = build_parser().parse_args(argv)
    setup_logging()
    try:
        return asyncio.run(args.run(args)) or 0
    except AllianceError as error:
        progress(str(error))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback: the type only, as messages may quote what was typed
        progress(f"Something went wrong ({type(error).__name__}). What was saved before stays; `alliance doctor` checks the set-up.")
        return 1


if __name__ == "__main__":
    sys.exit(main())
