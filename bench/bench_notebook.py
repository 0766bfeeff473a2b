"""The notebook's numbers: how many edit phrasings the offline parser reads right, per kind (the case set
of tests/core/test_notebook_instructions.py), and how long listing, opening, editing, signing and
exporting take on SQLite with a therapist of 500 notes. Prints JSON.

    python -m bench.bench_notebook
"""
from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.machine import machine
from core.notebook.instructions import parse, parse_line
from tests.core.test_notebook_instructions import CASES, NOT_INSTRUCTIONS, TODAY

NOTES = 500
NAMES = ["Maya Thompson", "Daniel Okafor", "Lena Brandt", "Tomas Varga", "Nora Vance", "Priya Raman", "Leo Park",
         "Ines Moreau", "Samir Haddad", "Greta Lind", "Omar Said", "Clara Weiss", "Jonas Berg", "Aiko Tanaka",
         "Rafael Costa", "Hana Novak", "Felix Aubert", "Zara Quint", "Milo Fenwick", "Ruth Adeyemi"]  # invented


def parser_results() -> dict:
    right, total = Counter(), Counter()
    for text, expected in CASES.items():
        kind = type(expected).__name__
        total[kind] += 1
        right[kind] += parse_line(text, TODAY) == expected
    refused = sum(parse(text, TODAY) is None for text in NOT_INSTRUCTIONS)
    return {"per_kind": {k: f"{right[k]}/{total[k]}" for k in sorted(total)},
            "instructions_read_right": f"{sum(right.values())}/{len(CASES)}",
            "non_instructions_refused": f"{refused}/{len(NOT_INSTRUCTIONS)}"}


def timed(fn, repeat: int = 20) -> dict:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(runs), 2), "max_ms": round(max(runs), 2)}


async def storage_results() -> dict:
    from bots.bootstrap import build_assistant
    from core.config import Settings
    from core.notebook import chart, handlers
    from core.types import ShowNote
    from tests import support

    folder = Path(tempfile.mkdtemp())
    service = build_assistant(Settings(data_dir=folder / "data", database_url=f"sqlite:///{folder / 'bench.db'}"))
    sender = service.console_sender("Dr. Bench")
    who = service.who(sender)
    for name in NAMES:
        support.add_client(service, who.therapist_id, name)
    for i in range(NOTES):
        text = (f"Session with {NAMES[i % 20]} on 2026-{1 + i % 11:02d}-{1 + i % 27:02d}. She reported "
                f"sleeping better, night {i}. We practised box breathing. Homework: keep a thought record.")
        await support.typed_note(service, sender, text, message_id=f"b{i}")
    note_id = support.latest_notes(service, who.therapist_id, 1)[0].note_id
    loop = asyncio.get_running_loop()

    def run(coro_fn):
        return lambda: asyncio.run_coroutine_threadsafe(coro_fn(), loop).result()

    out = {"notes": NOTES}
    out["list_all"] = await asyncio.to_thread(timed, run(lambda: handlers.notes(service.ctx, who, "")))
    out["open_one"] = await asyncio.to_thread(timed, run(lambda: handlers.show(service.ctx, who, ShowNote(note_id))))
    out["edit_offline"] = await asyncio.to_thread(timed, run(lambda: handlers.edit(service.ctx, who, f"{note_id} add homework: walk")))
    out["copy"] = await asyncio.to_thread(timed, run(lambda: handlers.copy(service.ctx, who, str(note_id))))
    client = support.clients(service, who.therapist_id)[0]

    def export(kind):
        with service.ctx.uow() as uow:
            (chart.pdf_document if kind == "pdf" else chart.markdown_document)(uow, who, client)

    out["client_notes"] = len(support.notes_for(service, who.therapist_id, client.id))
    out["export_markdown"] = timed(lambda: export("md"), 5)
    out["export_pdf"] = timed(lambda: export("pdf"), 5)
    service.ctx.uow.engine.dispose()
    return out


def main() -> None:
    print(json.dumps({"machine": machine(), "parser": parser_results(), "sqlite": asyncio.run(storage_results())}, indent=2))


if __name__ == "__main__":
    main()
