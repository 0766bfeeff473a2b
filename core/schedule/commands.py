"""The schedule's chat commands: /schedule, /appointments, /cancel, /calendar, /assign, and an .ics
file sent in the chat."""
from __future__ import annotations

import asyncio

from core.actions import record_id
from core.context import Context, Who
from core.schedule import calendar_feeds as feeds
from core.schedule.appointments import list_text, schedule_from_text
from core.schedule.calendar_import import CalendarError, assign as assign_session, import_ics, unassigned_text
from core.types import Reply

CALENDAR_USAGE = (
    "Send /calendar followed by your calendar's ICS address (https://… or webcal://…) to sync it, "
    "or send the .ics file itself. /calendar shows sessions without a client; /calendar off stops syncing."
)


async def schedule(ctx: Context, who: Who, args: str) -> Reply:
    return schedule_from_text(ctx, who, args)


async def appointments(ctx: Context, who: Who, args: str) -> Reply:
    return Reply(list_text(ctx, who.therapist_id))


async def cancel(ctx: Context, who: Who, args: str) -> Reply:
    appointment_id = record_id(args)
    if appointment_id is None:
        return Reply("Say which session to cancel by its number from /appointments, e.g. /cancel 3.")
    with ctx.uow() as uow:
        cancelled = uow.appointments.cancel(who.therapist_id, appointment_id)
        if cancelled:
            uow.audit.record(who.therapist_id, who.actor, "delete", "appointment", appointment_id)
        uow.commit()
    return Reply("Session cancelled." if cancelled else "I couldn't find that session. See /appointments.")


async def calendar(ctx: Context, who: Who, args: str) -> Reply:
    args = args.strip()
    therapist_id = who.therapist_id
    if args.lower() in ("off", "stop", "remove"):
        count = feeds.remove_feeds(ctx, therapist_id)
        return Reply(f"Stopped syncing {count} calendar feed(s). Sessions already imported stay." if count else "No calendar feed to stop.")
    if args:
        try:
            feed_id = feeds.add_feed(ctx, therapist_id, args.split()[0])
        except CalendarError as error:
            return Reply(f"{str(error).capitalize()}. {CALENDAR_USAGE}")
        feed = next(f for f in feeds.feeds(ctx, therapist_id) if f.id == feed_id)
        result, _ = await feeds.refresh_feed(ctx, feed, ctx.clock.now(), force=True)
        if result is None:
            reason = next((f.last_error for f in feeds.feeds(ctx, therapist_id) if f.id == feed_id), None)
            return Reply(f"I saved the feed but couldn't load it: {reason or 'unknown error'}. I'll keep trying.")
        text = result.summary().replace("see /calendar to assign them.", "assign them below.")
        return Reply(text + ("\n\n" + unassigned_text(ctx, therapist_id) if result.unmatched else ""))
    count = len(feeds.feeds(ctx, therapist_id))
    head = f"Syncing {count} calendar feed(s)." if count else CALENDAR_USAGE
    return Reply(head + "\n\n" + unassigned_text(ctx, therapist_id))


async def calendar_file(ctx: Context, who: Who, data: bytes) -> Reply:
    """An .ics file sent in the chat (parsed off the event loop: a calendar can be large)."""
    try:
        result = await asyncio.to_thread(import_ics, ctx, who.therapist_id, data)
    except CalendarError as error:
        return Reply(f"I couldn't import that file: {error}.")
    return Reply(result.summary() + ("\n\n" + unassigned_text(ctx, who.therapist_id) if result.unmatched else ""))


async def assign(ctx: Context, who: Who, args: str) -> Reply:
    number, _, name = args.strip().lstrip("#").partition(" ")
    appointment_id = record_id(number)
    if appointment_id is None or not name.strip():
        return Reply("Say which session and whose it is, e.g. /assign 12 Maya Thompson (numbers from /calendar).")
    return Reply(assign_session(ctx, who, appointment_id, name.strip()))
