"""`alliance settings` and `alliance calendar`: the operator's side of schedules (bots/cli.py wires them in
with `add_parsers(sub, therapist)`). Each command is `run_*(service, args)` so tests drive them with a
service of their own; the `cmd_*` wrappers build the service from the environment like every CLI command."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bots.cli_common import assistant, print_json, record_number
from core.context import Who
from core.errors import AllianceError
from core.preferences import apply_setting, known_timezone, parse_days, parse_hhmm


# ---- argument types: refuse bad values before anything is written -----------------------------------
def _timezone(value: str) -> str:
    zone = known_timezone(value)
    if zone is None:
        raise argparse.ArgumentTypeError("use a time zone name like Europe/Berlin or America/New_York")
    return zone


def _hhmm(value: str) -> str:
    hhmm = parse_hhmm(value)
    if hhmm is None:
        raise argparse.ArgumentTypeError("use a time like 07:30")
    return hhmm


def _days(value: str) -> str:
    days = parse_days(value)
    if days is None:
        raise argparse.ArgumentTypeError("use days like mon-fri or mon,wed,fri")
    return days


def _minutes(value: str) -> str:
    if value.lower() in ("off", "none", "0"):
        return "off"
    if not value.isdigit() or not 1 <= int(value) <= 24 * 60:
        raise argparse.ArgumentTypeError("use minutes before the session (1-1440) or off")
    return str(int(value))


def _on_off(value: str) -> bool:
    if value.lower() in ("on", "yes", "true", "1"):
        return True
    if value.lower() in ("off", "no", "false", "0"):
        return False
    raise argparse.ArgumentTypeError("use on or off")


def add_parsers(sub, therapist) -> None:
    """Add `settings` and `calendar` to the `alliance` parser; `therapist` adds --as and --json."""
    p = therapist(sub.add_parser("settings", help="time zone, digest time and days, reminders, channel"))
    p.add_argument("--timezone", type=_timezone, metavar="TZ", help="e.g. Europe/Berlin")
    p.add_argument("--digest-time", type=_hhmm, metavar="HH:MM", help="morning digest time, local")
    p.add_argument("--digest-days", type=_days, metavar="DAYS", help="mon-fri, mon,wed,fri, daily")
    p.add_argument("--digest", type=_on_off, metavar="on|off", help="the morning digest on or off")
    p.add_argument("--digest-when-empty", type=_on_off, metavar="on|off", help="a digest even on days without sessions")
    p.add_argument("--reminder-minutes", type=_minutes, metavar="N|off", help="reminder N minutes before each session")
    p.add_argument("--channel", choices=["telegram", "slack", "any"], help="where digests go when both are linked")
    p.set_defaults(run=cmd_settings)

    p = sub.add_parser("calendar", help="import an .ics file or subscribe to a calendar feed")
    actions = p.add_subparsers(dest="calendar_action", required=True)
    q = therapist(actions.add_parser("import", help="an .ics file, or a feed URL to subscribe to"))
    q.add_argument("source", metavar="FILE|URL", help="an .ics file, or a calendar feed URL (https:// or webcal://)")
    q.add_argument("--once", action="store_true", help="import a URL now without subscribing")
    q = therapist(actions.add_parser("unassigned", help="calendar sessions without a client"))
    q = therapist(actions.add_parser("assign", help="give a calendar session (and its series) a client"))
    q.add_argument("id", type=record_number, help="the session number from `calendar unassigned`")
    q.add_argument("client", help="the client's name (a new name adds the client)")
    q = therapist(actions.add_parser("refresh", help="re-sync subscribed feeds now"))
    q = therapist(actions.add_parser("off", help="unsubscribe from feeds (imported sessions stay)"))
    p.set_defaults(run=cmd_calendar)


# ---- settings ---------------------------------------------------------------------------------------------
def settings_json(therapist) -> dict:
    return {
        "timezone": therapist.timezone,
        "digest_time": therapist.digest_time,
        "digest_days": therapist.digest_days,
        "digest_enabled": therapist.digest_enabled,
        "digest_when_empty": therapist.digest_when_empty,
        "reminder_minutes": therapist.reminder_minutes,
        "channel": therapist.channel,
        "note_format": therapist.note_format,
    }


def run_settings(service, args) -> int:
    from core.preferences import settings_text

    therapist_id = service.therapist_id(service.console_sender(args.as_name))
    ctx = service.ctx
    changes = []
    if args.timezone:
        changes.append(f"timezone {args.timezone}")
    if args.digest_time:
        changes.append(f"digest {args.digest_time}")
    if args.digest_days:
        changes.append(f"days {args.digest_days}")
    if args.digest is not None:
        changes.append("digest on" if args.digest else "digest off")
    if args.reminder_minutes:
        changes.append(f"reminder {args.reminder_minutes}")
    if args.channel:
        changes.append(f"channel {args.channel}")
    with ctx.uow() as uow:
        messages = [apply_setting(uow, therapist_id, change) for change in changes]
        if args.digest_when_empty is not None:
            uow.therapists.update(therapist_id, digest_when_empty=args.digest_when_empty)
            messages.append("A digest is sent even on days without sessions." if args.digest_when_empty else "No digest on days without sessions.")
        if changes or args.digest_when_empty is not None:
            uow.audit.record(therapist_id, "console", "write", "settings", therapist_id)
        therapist = uow.therapists.get(therapist_id)
        uow.commit()
    if args.json:
        print_json(settings_json(therapist))
    else:
        for message in messages:
            print(message)
        print(settings_text(therapist).split("\n\n")[0])
    return 0


async def cmd_settings(args) -> int:
    return run_settings(assistant(), args)


# ---- calendar ---------------------------------------------------------------------------------------------
CLI_HOW = "alliance calendar assign NUMBER NAME --as YOU"
CLI_HINT = "list them with `alliance calendar unassigned`"


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://", "webcal://"))


def _result_json(result) -> dict:
    return {
        "added": result.added, "updated": result.updated, "cancelled": result.cancelled,
        "matched": result.matched, "unmatched": result.unmatched, "unmatched_ids": result.unmatched_ids,
    }


async def run_calendar(service, args) -> int:
    from core.schedule import calendar_feeds as feeds
    from core.schedule.calendar_import import CalendarError, assign, import_ics, unassigned, unassigned_text

    therapist_id = service.therapist_id(service.console_sender(args.as_name))
    who, ctx = Who(therapist_id, "console"), service.ctx
    action = args.calendar_action
    try:
        if action == "import":
            if _is_url(args.source):
                if args.once:
                    data = await feeds.settings_fetch(ctx)(args.source)
                    result = import_ics(ctx, therapist_id, data)
                else:
                    feed_id = feeds.add_feed(ctx, therapist_id, args.source)
                    feed = next(f for f in feeds.feeds(ctx, therapist_id) if f.id == feed_id)
                    result, report = await feeds.refresh_feed(ctx, feed, ctx.clock.now(), force=True)
                    if result is None:
                        feed = next(f for f in feeds.feeds(ctx, therapist_id) if f.id == feed_id)
                        raise CalendarError(feed.last_error or "the feed could not be loaded")
            else:
                path = Path(args.source)
                if not path.is_file():
                    print(f"No file at {path}.", file=sys.stderr)
                    return 2
                result = import_ics(ctx, therapist_id, path.read_bytes())
            if args.json:
                print_json(_result_json(result))
            else:
                print(result.summary(CLI_HINT))
                if result.unmatched:
                    print(unassigned_text(ctx, therapist_id, CLI_HOW))
            return 0
        if action == "unassigned":
            if args.json:
                print_json(
                    [{"id": u.appointment_id, "title": u.title, "starts_at": u.starts_at.isoformat(), "more": u.more}
                     for u in unassigned(ctx, therapist_id)]
                )
            else:
                print(unassigned_text(ctx, therapist_id, CLI_HOW))
            return 0
        if action == "assign":
            try:
                message = assign(ctx, who, args.id, args.client)
            except AllianceError as error:
                message = str(error)
            print(json.dumps({"message": message}) if args.json else message)
            return 0 if message.startswith("Assigned") else 1
        if action == "refresh":
            problems = 0
            for feed in feeds.feeds(ctx, therapist_id):
                result, _ = await feeds.refresh_feed(ctx, feed, ctx.clock.now(), force=True)
                problems += result is None
                print(result.summary(CLI_HINT) if result else "A feed could not be loaded; see `alliance calendar import`.")
            return 1 if problems else 0
        if action == "off":
            count = feeds.remove_feeds(ctx, therapist_id)
            print(f"Unsubscribed from {count} feed(s); imported sessions stay.")
            return 0
    except CalendarError as error:
        print(f"Couldn't import the calendar: {error}.", file=sys.stderr)
        return 1
    return 2


async def cmd_calendar(args) -> int:
    return await run_calendar(assistant(), args)
