"""`alliance` — the command line: one more channel into the same core, plus the operator commands."""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from datetime import date, datetime
from pathlib import Path

from core.types import NOTE_FORMATS, AudioMemo, Reply


def _print_json(value) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _assistant():
    from bots.bootstrap import build_assistant

    return build_assistant()


def _therapist(args):
    """The service and the id of the `--as` therapist (created on first use)."""
    service = _assistant()
    return service, service.therapist_id(service.console_sender(args.as_name))


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr (what is wrong, where to look), not the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def _record_id(value: str) -> int:
    from core.commands import record_id

    number = record_id(value)
    if number is None:
        raise argparse.ArgumentTypeError("use a session number like 12")
    return number


def _count(low: int, high: int, what: str):
    def parse(value: str) -> int:
        if not value.strip().isdigit() or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(f"use a number of {what} from {low} to {high}")
        return int(value)

    return parse


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("use a date like 2026-12-01") from None


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("T", " "))
    except ValueError:
        raise argparse.ArgumentTypeError('use a time like "2026-12-01 09:30"') from None


def _format(value: str) -> str:
    if value.upper() not in NOTE_FORMATS:
        raise argparse.ArgumentTypeError("choose SOAP, DAP, BIRP or GIRP")
    return value.upper()


# ---- commands ------------------------------------------------------------------------------------
async def cmd_memo(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        _progress(f"No file at {path}.")
        return 2
    data = path.read_bytes()
    service = _assistant()
    sender = service.console_sender(args.as_name)
    message_id = hashlib.sha256(data).hexdigest()[:24]
    memo = AudioMemo(message_id, data, path.name, client_hint=args.client, session_date=args.date, note_format=args.format)
    receipt = await service.receive_memo(sender, memo)
    if not receipt.accepted:
        _progress(receipt.message)
        return 1
    _progress("Transcribing and writing the note…" if not receipt.duplicate else "Already received; fetching its note…")
    therapist_id = service.therapist_id(sender)
    reply = await service.process_memo(therapist_id, receipt.memo_id)
    return _finish_note(service, therapist_id, receipt.memo_id, reply, args)


async def cmd_note(args) -> int:
    service = _assistant()
    sender = service.console_sender(args.as_name)
    message_id = hashlib.sha256(args.text.encode()).hexdigest()[:24]
    fields = {"session_date": args.date, "note_format": args.format, "client_hint": args.client}
    reply = await service.write_typed_note(sender, args.text, message_id=message_id, **fields)
    return _finish_note(service, service.therapist_id(sender), reply.memo_id, reply, args)


def _finish_note(service, therapist_id: int, memo_id, reply: Reply, args) -> int:
    from bots.console import print_reply

    if reply.note is None:
        if args.json:
            _print_json({"error": reply.text, "memo_id": memo_id})
        else:
            _progress(reply.text)
        return 1
    if memo_id is not None:
        service.mark_delivered(therapist_id, memo_id)
    if args.json:
        _print_json({**reply.note.to_json(), "memo_id": memo_id})
    else:
        print_reply(reply)
    return 0


async def cmd_ask(args) -> int:
    service = _assistant()
    answer = await service.answer(service.console_sender(args.as_name), args.question)
    if args.json:
        _print_json(
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

    service, therapist_id = _therapist(args)
    digest = await service.digest(therapist_id, args.day or service.today_for(therapist_id))
    if args.json:
        _print_json(digest_json(digest))
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
    from core.schedule import appointments

    service, therapist_id = _therapist(args)
    if args.action == "add":
        if not args.client or not args.at:
            _progress('appointment add needs --client NAME and --at "YYYY-MM-DD HH:MM"')
            return 2
        past = appointments.is_past(service, therapist_id, args.at)
        reply = appointments.add(service, therapist_id, args.client, args.at, weekly=args.weekly)
        if not reply.text.startswith("Scheduled"):
            _progress(reply.text)
            return 1
        print(reply.text)
        if past:  # allowed from the terminal (recording history), but never silently
            _progress("Note: that time has already passed, so it brings no reminder.")
    elif args.action == "cancel":
        ok = args.id is not None and service.store.cancel_appointment(therapist_id, args.id)
        print("Session cancelled." if ok else "No such session (see: alliance appointment list).")
        return 0 if ok else 1
    else:
        print(appointments.list_text(service, therapist_id, days=args.days))
    return 0


async def cmd_clients(args) -> int:
    if args.alias and len(args.add or ()) != 1:
        _progress("Give --alias together with exactly one --add NAME.")
        return 2
    from core.commands import client_name_problem

    names = [" ".join(name.split()) for name in args.add or ()]
    for name in names:
        problem = client_name_problem(name)
        if problem:  # refuse before anything is written
            _progress(problem)
            return 2
    service, therapist_id = _therapist(args)
    for name in names:
        existing = [c for c in service.store.clients(therapist_id) if c.name.lower() == name.lower()]
        if name and not existing:
            aliases = [a.strip() for a in (args.alias or []) if a.strip()]
            client = service.store.add_client(therapist_id, name, aliases)
            service.store.audit(therapist_id, "console", "write", "client", client.id)
    clients = service.store.clients(therapist_id)
    if args.json:
        _print_json([{"id": c.id, "name": c.name, "aliases": list(c.aliases)} for c in clients])
    else:
        print("\n".join(c.name for c in clients) or "No clients yet.")
    return 0


def _therapist_and_client(args):
    """(service, therapist id, client) for --as and --client; client None (and why, said) if unknown."""
    service, therapist_id = _therapist(args)
    client, problem = service.find_client(therapist_id, args.client)
    if client is None:
        _progress(problem)
    return service, therapist_id, client


async def cmd_export(args) -> int:
    service, therapist_id, client = _therapist_and_client(args)
    if client is None:
        return 1
    document = service.export(therapist_id, client, "console")
    if args.out:
        Path(args.out).write_bytes(document.content)
        _progress(f"Wrote {args.out}")
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
            _progress("Nothing deleted.")
            return 1
    service.store.delete_client(therapist_id, client.id)
    service.store.audit(therapist_id, "console", "delete", "client", client.id)
    print(f"Deleted {client.name} and everything recorded about them.")
    return 0


async def cmd_invite(args) -> int:
    service = _assistant()
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
        _print_json(
            {"therapist": invite.therapist, "code": invite.code, "expires_at": invite.expires_at.isoformat(), "telegram_link": link}
        )
    else:
        print(f"Invite for {invite.therapist} (expires {invite.expires_at:%Y-%m-%d %H:%M} UTC):")
        print(f"  Telegram: {link or '/start ' + invite.code + '  (set TELEGRAM_BOT_USERNAME for a link)'}")
        print(f"  Slack:    /alliance link {invite.code}")
    return 0


async def cmd_chat(args) -> int:
    from bots.console import chat

    return await chat(_assistant(), args.as_name)


async def cmd_demo(args) -> int:
    from bots.demo import run_demo

    return await run_demo()


async def cmd_doctor(args) -> int:
    from core.doctor import run_doctor

    return run_doctor()


async def cmd_run(args) -> int:
    from bots.run import run

    return await run()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="alliance", description="A self-hosted assistant for psychotherapists.")
    sub = parser.add_subparsers(dest="command", required=True)

    def therapist(p):
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="the therapist")
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    def note_options(p):
        p.add_argument("--client", help="the client this note is about")
        p.add_argument("--date", type=_day, help="session date, YYYY-MM-DD (default: today)")
        p.add_argument("--format", type=_format, help="SOAP, DAP, BIRP or GIRP")

    sub.add_parser("demo", help="offline demo with bundled sample memos").set_defaults(run=cmd_demo)
    sub.add_parser("run", help="run the configured bots and the scheduler").set_defaults(run=cmd_run)
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
    p.add_argument("--day", type=_day)
    p.set_defaults(run=cmd_digest)
    p = therapist(sub.add_parser("appointment", help="add, list or cancel sessions"))
    p.add_argument("action", choices=["add", "list", "cancel"])
    p.add_argument("--client")
    p.add_argument("--at", type=_moment, help='"YYYY-MM-DD HH:MM" in your time zone')
    p.add_argument("--weekly", action="store_true")
    p.add_argument("--id", type=_record_id, help="the session number to cancel")
    p.add_argument("--days", type=_count(1, 366, "days"), default=14)
    p.set_defaults(run=cmd_appointment)
    from bots.cli_schedule import add_parsers as add_schedule_parsers

    add_schedule_parsers(sub, therapist)
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
    p.add_argument("--days", type=_count(1, 90, "days"), help="valid for this many days (default 7)")
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
        _progress(str(error))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback: the type only, as messages may quote what was typed
        _progress(f"Something went wrong ({type(error).__name__}). What was saved before stays; `alliance doctor` checks the set-up.")
        return 1


if __name__ == "__main__":
    sys.exit(main())
