"""Session dates from the way a therapist opens a memo."""
from __future__ import annotations

from datetime import date

import pytest

from core.language.dates import session_date_from

THURSDAY = date(2024, 11, 7)


@pytest.mark.parametrize(
    "memo,expected",
    [
        ("Session with Maya Thompson today.", date(2024, 11, 7)),
        ("Notes from this morning's session with Daniel.", date(2024, 11, 7)),
        ("Yesterday's session with Daniel Okafor.", date(2024, 11, 6)),
        ("This is about my session yesterday with Priya.", date(2024, 11, 6)),
        ("Tuesday's session with Maya. She was tired.", date(2024, 11, 5)),
        ("Saw Maya on Tuesday. She was tired.", date(2024, 11, 5)),
        ("Note for last Friday, Daniel.", date(2024, 11, 1)),
        ("Session on Thursday with Maya.", date(2024, 10, 31)),  # same weekday as today: a week ago
        ("Maya, Monday's appointment.", date(2024, 11, 4)),
        ("Session on 2024-11-03 with Maya.", date(2024, 11, 3)),
        ("November 3rd, Maya Thompson.", date(2024, 11, 3)),
        ("Maya, 3 November.", date(2024, 11, 3)),
        ("Maya Thompson, the 3rd of November.", date(2024, 11, 3)),
        ("Session on November the third.", date(2024, 11, 3)),
        ("Session with Maya, twenty-first of October.", date(2024, 10, 21)),
        ("Session from December 30th.", date(2023, 12, 30)),  # no year: the most recent one
        ("Session with Maya on the 2nd of February 2023.", date(2023, 2, 2)),
        ("This is for the day before yesterday, Maya.", date(2024, 11, 5)),
        ("Two days ago I saw Maya.", date(2024, 11, 5)),
        ("Session with Maya today. She said on Tuesday she was sad.", date(2024, 11, 7)),
        ("um okay so uh yesterday's session with daniel", date(2024, 11, 6)),
    ],
)
def test_session_dates(memo, expected):
    assert session_date_from(memo, THURSDAY) == expected


@pytest.mark.parametrize(
    "memo",
    [
        "Session with Maya. She talked about her week.",
        "Session with Maya. We will meet next Tuesday.",
        "Session with Maya. She will see her father on Tuesday.",
        "Daniel Okafor. Plan to see him again on Friday.",
        "Next patient is Christine, date of birth is January 13, 1982.",
        "She was born on November 3rd, 1980.",
        "Maya. She may 3 times a week go running.",
        "",
        "Session with Maya on 2099-01-01.",  # the future is not a session date
    ],
)
def test_no_date_stated(memo):
    assert session_date_from(memo, THURSDAY) is None


def test_later_content_does_not_move_the_date():
    memo = ("Session with Maya. She talked about work. She was anxious. Then she said last Monday's session "
            "had stayed with her all week.")
    assert session_date_from(memo, THURSDAY) is None
