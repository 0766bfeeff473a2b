"""/settings: reading and changing a therapist's preferences from a chat line like "timezone Europe/Berlin"."""
from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from core.speech.languages import language_name, normalise_language
from core.types import NOTE_FORMATS

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_STYLE_CHARS = 1000  # the preferences go into every model prompt; a paste would crowd out the memo

USAGE = (
    "Change a setting with e.g.:\n"
    "/settings timezone Europe/Berlin\n"
    "/settings digest 07:30   (or: digest off / digest on)\n"
    "/settings days mon-fri\n"
    "/settings reminder 15   (minutes before a session, or: reminder off)\n"
    "/settings format DAP   (SOAP, DAP, BIRP or GIRP)\n"
    "/settings channel telegram   (or slack: where digests go when both are linked)\n"
    "/settings language de   (the language you dictate in; default: the server's)\n"
    "/settings style <how you like your notes written>"
)


def settings_text(therapist) -> str:
    reminder = f"{therapist.reminder_minutes} min before" if therapist.reminder_minutes else "off"
    digest = f"{therapist.digest_time} on {therapist.digest_days}" if therapist.digest_enabled else "off"
    return (
        "Your settings:\n"
        f"• Time zone: {therapist.timezone}\n"
        f"• Morning digest: {digest}\n"
        f"• Session reminder: {reminder}\n"
        f"• Note format: {therapist.note_format}\n"
        f"• Preferred channel: {therapist.channel or 'any linked chat'}\n"
        f"• Dictation language: {language_name(therapist.language) if therapist.language else 'the default'}\n\n" + USAGE
    )


def parse_days(value: str) -> str | None:
    """"mon-fri", "mon,wed,fri", "weekdays", "every day" -> a canonical comma list, or None."""
    value = value.strip().lower()
    if value in ("weekdays", "workdays"):
        return "mon-fri"
    if value in ("every day", "daily", "all", "everyday"):
        return "mon-sun"
    parts = [p.strip()[:3] for p in re.split(r"[,\s]+", value) if p.strip()]
    if len(parts) == 1 and "-" in value:
        start, _, end = value.partition("-")
        if start.strip()[:3] in DAYS and end.strip()[:3] in DAYS:
            return f"{start.strip()[:3]}-{end.strip()[:3]}"
        return None
    if parts and all(p in DAYS for p in parts):
        return ",".join(parts)
    return None


def day_numbers(spec: str) -> set[int]:
    """"mon-fri" -> {0..4}; "mon,wed" -> {0, 2}; weekday numbers as datetime.weekday()."""
    spec = spec.strip().lower()
    if "-" in spec and "," not in spec:
        start, end = (DAYS.index(p[:3]) for p in spec.split("-", 1))
        return {d % 7 for d in range(start, start + ((end - start) % 7) + 1)}
    return {DAYS.index(p[:3]) for p in spec.split(",") if p[:3] in DAYS}


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    # "localtime" is this machine's zone and "Factory" a placeholder: neither says where the therapist is.
    odd = ("localtime", "factory", "posixrules")
    return {name.lower(): name for name in available_timezones() if name.lower() not in odd and not name.startswith(("posix/", "right/"))}


def known_timezone(value: str) -> str | None:
    """The IANA name for `value` ("europe/berlin" -> "Europe/Berlin"), or None.

    Only names from the tz database: ZoneInfo() itself also opens odd files ("localtime", "Factory")
    and raises OSError, not ZoneInfoNotFoundError, for a name longer than a file name can be."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    return _zones().get(value.lower())


def parse_hhmm(value: str) -> str | None:
    match = re.fullmatch(r"(\d{1,2})(?::|\.|h)?(\d{2})?\s*(am|pm)?", value.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half and not 1 <= hour <= 12:  # "13pm" and "0am" are typos, not times
        return None
    if half == "pm" and hour < 12:
        hour += 12
    if half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def apply_setting(uow, therapist_id: int, args: str) -> str:
    """Apply one "key value" change; returns what happened in plain words."""
    key, _, value = args.strip().partition(" ")
    key, value = key.lower(), value.strip()
    if key in ("timezone", "tz", "time-zone", "zone"):
        zone = known_timezone(value)
        if zone is None:
            return f"I don't know the time zone \"{value[:40]}\". Use a name like Europe/Berlin or America/New_York."
        uow.therapists.update(therapist_id, timezone=zone)
        return f"Time zone set to {zone}."
    if key == "digest":
        if value.lower() in ("off", "no", "disable"):
            uow.therapists.update(therapist_id, digest_enabled=False)
            return "Morning digest turned off."
        if value.lower() in ("on", "yes", "enable"):
            uow.therapists.update(therapist_id, digest_enabled=True)
            return "Morning digest turned on."
        hhmm = parse_hhmm(value)
        if hhmm is None:
            return "Give the digest time as HH:MM, e.g. /settings digest 07:30."
        uow.therapists.update(therapist_id, digest_time=hhmm, digest_enabled=True)
        return f"Morning digest at {hhmm}."
    if key in ("days", "digest-days"):
        days = parse_days(value)
        if days is None:
            return "Give the days like mon-fri or mon,wed,fri."
        uow.therapists.update(therapist_id, digest_days=days)
        return f"Digest days: {days}."
    if key in ("reminder", "reminders"):
        if value.lower() in ("off", "no", "0", "none"):
            uow.therapists.update(therapist_id, reminder_minutes=None)
            return "Session reminders turned off."
        if not value.isdigit() or not 1 <= int(value) <= 24 * 60:
            return "Give the reminder as minutes before the session (1–1440), or off."
        uow.therapists.update(therapist_id, reminder_minutes=int(value))
        return f"Reminders {int(value)} minutes before each session."
    if key == "format":
        if value.upper() not in NOTE_FORMATS:
            return "The note format can be SOAP, DAP, BIRP or GIRP."
        uow.therapists.update(therapist_id, note_format=value.upper())
        return f"New notes will be written as {value.upper()}."
    if key in ("language", "lang"):
        if value.lower() in ("default", "off", "none", ""):
            uow.therapists.update(therapist_id, language=None)
            return "Your memos are heard in the server's default language."
        try:
            code = normalise_language(value[:40])
        except ValueError:
            return "I don't know that language. Use a code such as en, de, es, fr, or auto."
        uow.therapists.update(therapist_id, language=code)
        return f"Your memos will be heard as {language_name(code)}."
    if key == "channel":
        if value.lower() not in ("telegram", "slack", "any"):
            return "The channel can be telegram, slack or any."
        uow.therapists.update(therapist_id, channel=None if value.lower() == "any" else value.lower())
        return f"Digests and reminders go to {value.lower()}."
    if key in ("style", "preferences"):
        if len(value) > MAX_STYLE_CHARS:
            return f"Please keep your note-writing preferences under {MAX_STYLE_CHARS} characters; nothing was changed."
        uow.therapists.update(therapist_id, preferences=value)
        return "Noted your note-writing preferences." if value else "Cleared your note-writing preferences."
    return "I don't know that setting."
