"""A fixed library of general check-in practices for an open rupture, each with its source.

These are general suggestions from the alliance literature, shown as such ("General practice, not about
this client"); nothing here is generated, and nothing is about a particular client. Which one is shown
depends only on the rupture's age and whether it was partly repaired.
"""
from __future__ import annotations

from dataclasses import dataclass

LABEL = "General practice (not about this client)"


@dataclass(frozen=True)
class Practice:
    key: str
    text: str
    source: str

    def line(self) -> str:
        return f"{LABEL}: {self.text} — {self.source}"


LIBRARY: tuple[Practice, ...] = (
    Practice("feedback", "Ask for feedback on the last session: what helped, what didn't, what to do differently.",
             "Lambert & Shimokawa (2011), Collecting client feedback, Psychotherapy 48(1)"),
    Practice("explore", "Acknowledge the rupture and invite the client to explore it together, without defending.",
             "Safran & Muran (2000), Negotiating the Therapeutic Alliance, Guilford"),
    Practice("own", "Own your part in what happened, and check whether the client felt heard.",
             "Safran, Muran & Eubanks-Carter (2011), Repairing alliance ruptures, Psychotherapy 48(1)"),
    Practice("tasks", "Revisit agreement on the goals and tasks of the work, and adjust the pace together if needed.",
             "Bordin (1979), the working alliance; Eubanks, Muran & Safran (2018), Psychotherapy 55(4)"),
)
BY_KEY = {p.key: p for p in LIBRARY}


def for_rupture(last_session: bool, partly_repaired: bool) -> Practice:
    """A rupture in the last session: ask about that session. Partly repaired: come back to it and own
    your part. Older and never repaired: name it and explore it."""
    if partly_repaired:
        return BY_KEY["own"]
    return BY_KEY["feedback"] if last_session else BY_KEY["explore"]
