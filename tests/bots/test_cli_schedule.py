"""`alliance settings` and `alliance calendar`, parsed as an operator types them."""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bots.cli_schedule import add_parsers, run_calendar, run_settings
from tests.core.helpers_schedule import FakeClock, local
from tests import support

FIXTURE = Path(__file__).parent.parent / "fixtures" / "practice.ics"


def parser() -> argparse.ArgumentParser:
    # The same shape bots/cli.py gives every therapist command.
    root = argparse.ArgumentParser(prog="alliance")
    sub = root.add_subparsers(dest="command", required=True)

    def therapist(p):
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME")
        p.add_argument("--json", action="store_true")
        return p

    add_parsers(sub, therapist)
    return root


def test_settings_change_and_json(make_service, capsys):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    args = parser().parse_args([
        "settings", "--as", "Dr. Ines Varga", "--timezone", "America/New_York", "--digest-time", "7:45am",
        "--digest-days", "mon,wed,fri", "--reminder-minutes", "off", "--channel", "slack", "--json",
    ])
    assert run_settings(service, args) == 0
    assert json.loads(capsys.readouterr().out) == {
        "timezone": "America/New_York", "digest_time": "07:45", "digest_days": "mon,wed,fri", "digest_enabled": True,
        "digest_when_empty": False, "reminder_minutes": None, "channel": "slack", "note_format": "SOAP",
    }
    args = parser().parse_args(["settings", "--as", "Dr. Ines Varga", "--reminder-minutes", "20", "--digest", "off",
                                "--digest-when-empty", "on"])
    assert run_settings(service, args) == 0
    out = capsys.readouterr().out
    assert "Reminders 20 minutes before each session." in out and "Morning digest: off" in out
    therapist = support.therapist(service, service.therapist_id(service.console_sender("Dr. Ines Varga")))
    assert (therapist.reminder_minutes, therapist.digest_enabled, therapist.digest_when_empty) == (20, False, True)


@pytest.mark.parametrize(
    "bad", [["--timezone", "Mars/Olympus"], ["--digest-time", "25:00"], ["--digest-days", "someday"],
            ["--reminder-minutes", "-5"], ["--channel", "email"]],
)
def test_settings_refuses_bad_values(bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["settings", "--as", "Dr. Ines Varga", *bad])
    assert exit_.value.code == 2


async def test_calendar_import_file_list_and_assign(make_service, capsys):
    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 11, 1, 8, 0)))
    run_settings(service, parser().parse_args(["settings", "--as", "Dr. Ines Varga", "--timezone", "Europe/Berlin"]))
    therapist_id = service.therapist_id(service.console_sender("Dr. Ines Varga"))
    support.add_client(service, therapist_id, "Maya Thompson")
    support.add_client(service, therapist_id, "Daniel Okafor")
    capsys.readouterr()
    args = parser().parse_args(["calendar", "import", str(FIXTURE), "--as", "Dr. Ines Varga", "--json"])
    assert await run_calendar(service, args) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["added"], result["unmatched"]) == (6, 1)
    args = parser().parse_args(["calendar", "unassigned", "--as", "Dr. Ines Varga", "--json"])
    assert await run_calendar(service, args) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["title"] == "Intake - Priya" and item["starts_at"].startswith("2026-11-10T16:00")
    args = parser().parse_args(["calendar", "assign", str(item["id"]), "Priya Raman", "--as", "Dr. Ines Varga"])
    assert await run_calendar(service, args) == 0
    assert "Assigned 1 session(s) to Priya Raman." in capsys.readouterr().out
    args = parser().parse_args(["calendar", "import", "/nonexistent/calendar.ics", "--as", "Dr. Ines Varga"])
    assert await run_calendar(service, args) == 2


async def test_calendar_import_unreachable_url_fails_cleanly(make_service, capsys):
    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 11, 1, 8, 0)), calendar_allow_http=True,
                           calendar_allow_hosts="127.0.0.1")
    args = parser().parse_args(["calendar", "import", "http://127.0.0.1:9/private/t0ken.ics", "--as", "Dr. Ines Varga"])
    assert await run_calendar(service, args) == 1
    err = capsys.readouterr().err
    assert "could not be reached" in err and "t0ken" not in err
