"""What every `alliance` subcommand shares: output helpers, building the service, and argument types
that refuse a bad value with one line before anything is written."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime

from core.types import NOTE_FORMATS


def print_json(value) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fail(args, message: str, code: int = 1) -> int:
    """A refusal: {"error": ...} on stdout with --json, one line on stderr without."""
    if getattr(args, "json", False):
        print_json({"error": message})
    else:
        progress(message)
    return code


def assistant():
    from bots.bootstrap import build_assistant

    return build_assistant()


def therapist_of(args):
    """The service and the id of the `--as` therapist (created on first use)."""
    service = assistant()
    return service, service.therapist_id(service.console_sender(args.as_name))


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr (what is wrong, where to look), not the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def record_number(value: str) -> int:
    from core.actions import record_id

    number = record_id(value)
    if number is None:
        raise argparse.ArgumentTypeError("use a session number like 12")
    return number


def count_of(low: int, high: int, what: str):
    def parse(value: str) -> int:
        if not value.strip().isdigit() or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(f"use a number of {what} from {low} to {high}")
        return int(value)

    return parse


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("use a date like 2026-12-01") from None


def moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("T", " "))
    except ValueError:
        raise argparse.ArgumentTypeError('use a time like "2026-12-01 09:30"') from None


def note_format(value: str) -> str:
    if value.upper() not in NOTE_FORMATS:
        raise argparse.ArgumentTypeError("choose SOAP, DAP, BIRP or GIRP")
    return value.upper()


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance")
    except PackageNotFoundError:
        return "unknown (not installed)"


def new_therapist_confirmed(similar) -> bool:
    """At a terminal, ask; in a script, refuse with the question (nothing was written)."""
    progress(str(similar))
    if not sys.stdin.isatty():
        progress(f'Run it once in a terminal to confirm "{similar.name}" is a new therapist.')
        return False
    if input(f'Create a new therapist "{similar.name}"? [y/N] ').strip().lower() not in ("y", "yes"):
        progress("Nothing created.")
        return False
    assistant().console_sender(similar.name, new_therapist=True)
    return True


def therapist_and_client(args):
    """(service, therapist id, client) for --as and --client; client None (and why, said) if unknown."""
    from core import roster
    from core.errors import AllianceError

    service, therapist_id = therapist_of(args)
    try:
        with service.ctx.uow() as uow:
            client = roster.find(uow, therapist_id, args.client)
    except AllianceError as error:
        fail(args, str(error).replace("Your clients: /clients", "See: alliance clients --as NAME"))
        client = None
    return service, therapist_id, client
