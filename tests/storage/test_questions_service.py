"""The question set (tests/core/questions/) through the real service on SQLite and PostgreSQL: four
invented therapists share one database, each with their caseload stored encrypted; every question is asked
as its therapist. None wrong, none citing or quoting another therapist's notes, at least 95% right."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timezone

import pytest

from tests import support
from tests.core.questions.caseloads import CASELOADS, Loaded, load, questions, score


class Clock:
    def __init__(self):
        self.at = datetime.now(timezone.utc)

    def now(self) -> datetime:
        return self.at


def store(service, data: Loaded) -> tuple:
    """The caseload stored for a therapist of its own; returns (sender, the caseload as stored)."""
    import json

    from tests.core.questions.caseloads import HERE

    zone = json.loads((HERE / f"{data.name}.json").read_text())["timezone"]
    sender = service.console_sender(f"Dr. {data.name.title()} Questions")
    tid = service.therapist_id(sender)
    support.update_therapist(service, tid, timezone=zone)
    clients, notes = [], {}
    with service.ctx.uow() as uow:
        for client in data.clients:
            stored = uow.clients.add(tid, client.name, client.aliases)
            clients.append(stored)
            notes[stored.id] = []
            for note in data.notes[client.id]:
                draft = replace(note, client_id=stored.id, note_id=None)
                notes[stored.id].append(replace(draft, note_id=uow.notes.add(tid, draft, memo_id=None)))
            for session in (s for s in data.sessions if s.client_id == client.id):
                uow.appointments.add(tid, stored.id, session.starts_at)
        for session in (s for s in data.sessions if s.client_id is None):
            uow.appointments.add(tid, None, session.starts_at)
        uow.commit()
    return sender, replace(data, clients=clients, notes=notes)


@pytest.mark.parametrize("name", ["questions", "heldout"])
async def test_question_set_through_the_service(make_service, name):
    clock = Clock()
    service = make_service(clock=clock)
    practices = {n: store(service, load(n)) for n in CASELOADS}
    texts = {n: stored.texts() for n, (_, stored) in practices.items()}
    verdicts = []
    for item in questions(name):
        sender, stored = practices[item["caseload"]]
        clock.at = datetime.combine(stored.today, time(12), timezone.utc)
        answer = await service.answer(sender, item["q"])
        others = set().union(*(t for n, t in texts.items() if n != stored.name))
        verdicts.append((item["q"], *score(item, answer, stored, others)))
    leaks = [(q, why) for q, _, why in verdicts if any(w.startswith(("LEAK", "ungrounded")) for w in why)]
    wrong = [(q, why) for q, verdict, why in verdicts if verdict == "wrong"]
    right = sum(verdict == "right" for _, verdict, _ in verdicts)
    print(f"\n{name}: {len(verdicts)} questions, {right} right, {len(wrong)} wrong, "
          f"{sum(v == 'refused' for _, v, _ in verdicts)} refused, {len(leaks)} leaks")  # shown with -s (docs/benchmarks.md)
    assert not leaks
    assert not wrong
    assert right >= 0.95 * len(verdicts)
