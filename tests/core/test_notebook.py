"""Notes as things a therapist reaches later, through the service on in-memory adapters: list, open, see
the transcript, edit offline (command, reply to the note, the Edit button's question), sign (then changes
are addenda), copy for the EHR, earlier versions, drafts filed under a client."""
from __future__ import annotations

import pytest

from core.actions import encode
from core.types import AskSignNote, CopyNote, EditNote, ListNotes, ShowNote, ShowTranscript, ShowVersions, SignNote
from tests.core.flow_support import enrol, in_memory
from tests import support

MAYA = ("Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
        "We practised box breathing together. Homework: keep a thought record every evening. "
        "Next time check in on her father's visit.")
DANIEL = "Saw Daniel Okafor yesterday. He felt hopeful about the job search. Homework: update the CV."


@pytest.fixture
async def practice(tmp_path):
    service, channel = in_memory(tmp_path)
    sender = enrol(service)
    service.ctx.queue.start(service.jobs)
    yield service, channel, sender, service.therapist_id(sender)
    await service.ctx.queue.stop()


async def say(service, sender, text, **kw):
    say.n = getattr(say, "n", 0) + 1
    return await service.receive_text(sender, text, message_id=f"t{say.n}", **kw)


async def typed(service, sender, text):
    return (await support.typed_note(service, sender, text, message_id=str(hash(text)))).note


def labels(reply):
    return [b.label for row in reply.buttons for b in row]


def button(reply, label):
    return next(b.action for row in reply.buttons for b in row if b.label.startswith(label))


async def test_notes_are_listed_opened_and_filtered(practice):
    service, _, sender, tid = practice
    maya, daniel = await typed(service, sender, MAYA), await typed(service, sender, DANIEL)
    listing = await say(service, sender, "/notes")
    assert f"#{maya.note_id} · Maya Thompson" in listing.text and f"#{daniel.note_id} · Daniel Okafor" in listing.text
    assert listing.text.index("Maya") < listing.text.index("Daniel")  # newest session first
    opened = await service.press(sender, encode(button(listing, f"#{daniel.note_id}")))
    assert opened.note.note_id == daniel.note_id and opened.text.startswith(f"Note #{daniel.note_id}")
    assert {"Edit…", "Transcript", "Copy", "Sign", "Delete"} <= set(labels(opened))

    only_maya = await say(service, sender, "/notes maya")
    assert "Maya Thompson" in only_maya.text and "Daniel" not in only_maya.text
    ranged = await say(service, sender, "/notes Daniel from 2026-11-24 to 2026-11-24")
    assert "Daniel Okafor" in ranged.text
    assert "No notes" in (await say(service, sender, "/notes Daniel to 2026-11-01")).text
    assert "no date 2026-02-30" in (await say(service, sender, "/notes from 2026-02-30")).text
    assert (await say(service, sender, f"/notes {maya.note_id}")).note.client_name == "Maya Thompson"
    assert "can't find that note" in (await say(service, sender, "/notes 999")).text
    assert any(e.action == "read" and e.record_type == "note" for e in support.audit_events(service, tid))


async def test_a_long_list_pages(practice):
    service, _, sender, tid = practice
    for day in range(1, 13):
        await typed(service, sender, f"Session with Maya Thompson on 2026-11-{day:02d}. She slept better, day {day}.")
    first = await say(service, sender, "/notes")
    assert "(12)" in first.text and first.text.count("\n#") == 10
    second = await service.press(sender, encode(button(first, "Older notes")))
    assert second.text.count("\n#") == 2 and "page 2" in second.text


async def test_offline_edits_make_versions_and_say_who(practice):
    service, _, sender, tid = practice
    note = await typed(service, sender, MAYA)
    edited = await say(service, sender, f"/edit {note.note_id} Plan: start exposure next week\nremove homework 1\nadd follow-up: ask about sleep")
    assert edited.text.startswith("Updated — version 2; the previous version is kept.")
    assert dict(edited.note.sections)["Plan"] == "start exposure next week"
    assert edited.note.homework == () and "ask about sleep" in edited.note.follow_ups
    [old] = support.note_versions(service, tid, note.note_id)
    assert old.homework == note.homework and old.version == 1
    writes = [e for e in support.audit_events(service, tid) if e.action == "write" and e.record_type == "note"]
    assert writes[-1].actor == "telegram:501" and writes[-1].record_id == note.note_id

    versions = await service.press(sender, encode(ShowVersions(note.note_id)))
    assert "Version 1" in versions.text and "thought record" in versions.text
    restored = await say(service, sender, f"/edit {note.note_id} restore version 1")
    assert restored.note.version == 3 and restored.note.homework == note.homework

    for bad, why in ((f"/edit {note.note_id} Data: x", "no Data section"), (f"/edit {note.note_id} remove homework 5", "no homework 5"),
                     (f"/edit {note.note_id} date: 2027-06-01", "future"), (f"/edit {note.note_id} make it nicer", "couldn't read")):
        answer = await say(service, sender, bad)
        assert why in answer.text
    assert support.note(service, tid, note.note_id).version == 3  # nothing half-applied


async def test_client_date_and_format_change(practice):
    service, _, sender, tid = practice
    note = await typed(service, sender, MAYA)
    moved = await say(service, sender, f"/edit {note.note_id} client: Daniel Okafor\ndate: 2026-11-20")
    assert moved.note.client_name == "Daniel Okafor" and str(moved.note.session_date) == "2026-11-20"
    daniel = next(c for c in support.clients(service, tid) if c.name == "Daniel Okafor")
    assert [n.note_id for n in support.notes_for(service, tid, daniel.id)] == [note.note_id]
    dap = await say(service, sender, f"/edit {note.note_id} format: DAP")
    assert dap.note.format == "DAP" and [n for n, _ in dap.note.sections] == ["Data", "Assessment", "Plan"]
    assert dap.note.client_name == "Daniel Okafor"


async def test_a_reply_to_a_delivered_note_is_an_offline_edit(practice):
    service, channel, sender, tid = practice
    await say(service, sender, "/note " + MAYA, origin="501:7")
    await service.ctx.queue.idle()
    [delivered] = channel.notes()
    ref = next(ref for kind, ref, reply in channel.log if kind == "send")
    answer = await say(service, sender, "remove homework 1", reply_to=ref)
    assert answer.note.homework == () and answer.text.startswith("Updated — version 2")
    free = await say(service, sender, "please make it warmer", reply_to=ref)
    assert "needs a language model" in free.text and "Plan: start exposure next week" in free.text


async def test_the_edit_button_asks_and_the_next_message_answers(practice):
    service, _, sender, tid = practice
    note = await typed(service, sender, MAYA)
    asked = await service.press(sender, encode(EditNote(note.note_id)))
    assert "What should change?" in asked.text and "Cancel" in labels(asked)
    done = await say(service, sender, "Assessment: anxiety lower than last month")
    assert dict(done.note.sections)["Assessment"] == "anxiety lower than last month"
    await service.press(sender, encode(EditNote(note.note_id)))
    answer = await say(service, sender, "what did Maya mention last time?")  # a question is still a question
    assert answer.note is None and "anxious" in answer.text


async def test_signing_locks_the_text_and_changes_become_addenda(practice):
    service, _, sender, tid = practice
    note = await typed(service, sender, MAYA)
    confirm = await service.press(sender, encode(AskSignNote(note.note_id)))
    assert "locked" in confirm.text
    signed = await service.press(sender, encode(SignNote(note.note_id)))
    assert signed.note.signed and signed.text.startswith("Signed.") and "Sign" not in labels(signed)
    assert support.note(service, tid, note.note_id).signed_at is not None
    with pytest.raises(Exception, match="signed"):
        with service.ctx.uow() as uow:
            uow.notes.replace(tid, note.note_id, note)

    changed = await say(service, sender, f"/edit {note.note_id} Plan: start exposure next week")
    assert changed.text.startswith("Addendum added; the signed note stays as signed.")
    assert dict(changed.note.sections)["Plan"] == dict(note.sections)["Plan"]  # the signed text never changes
    assert [a.text for a in changed.note.addenda] == ["Plan now reads: start exposure next week"]
    await say(service, sender, f"/edit {note.note_id} addendum: client called to reschedule")
    refused = await say(service, sender, f"/edit {note.note_id} client: Daniel Okafor")
    assert "signed" in refused.text and support.note(service, tid, note.note_id).client_name == "Maya Thompson"
    assert (await service.press(sender, encode(ListNotes(1)))).text.count("signed") == 1

    copied = await service.press(sender, encode(CopyNote(note.note_id)))
    assert "Electronically signed by Dr. Ada Quinn" in copied.copy
    assert copied.copy.index("PLAN:") < copied.copy.index("Electronically signed") < copied.copy.index("client called to reschedule")
    exported = await say(service, sender, "/export Maya Thompson")
    text = exported.document.content.decode()
    assert "signed" in text and "client called to reschedule" in text and "Plan now reads" in text
    # questions and the digest read a signed note like a final one
    assert "box breathing" in (await say(service, sender, "what did Maya mention last time?")).text
    assert {e.action for e in support.audit_events(service, tid)} >= {"sign", "addendum"}


async def test_the_transcript_is_shown_to_its_therapist_only_and_audited(practice):
    service, _, sender, tid = practice
    note = await typed(service, sender, MAYA)
    shown = await service.press(sender, encode(ShowTranscript(note.note_id)))
    assert MAYA in shown.text and "typed" in shown.text
    assert [e for e in support.audit_events(service, tid) if e.action == "read" and e.record_type == "transcript"]
    other = enrol(service, "Dr. Ben Achterberg", user="502")
    stranger = await service.press(other, encode(ShowTranscript(note.note_id)))
    assert MAYA not in stranger.text and "can't find that note" in stranger.text
    assert "can't find that note" in (await service.press(other, encode(ShowNote(note.note_id)))).text
    assert "No notes" in (await say(service, other, "/notes")).text


@pytest.mark.parametrize("note_format, headings", [
    ("SOAP", ["SUBJECTIVE:", "OBJECTIVE:", "ASSESSMENT:", "PLAN:"]),
    ("DAP", ["DATA:", "ASSESSMENT:", "PLAN:"]),
    ("BIRP", ["BEHAVIOR:", "INTERVENTION:", "RESPONSE:", "PLAN:"]),
    ("GIRP", ["GOALS:", "INTERVENTION:", "RESPONSE:", "PLAN:"]),
])
async def test_copy_ready_layout_for_each_format(practice, note_format, headings):
    service, _, sender, tid = practice
    text = MAYA + " PHQ-9 was 12 today."
    note = (await support.typed_note(service, sender, text, message_id=note_format, note_format=note_format)).note
    copied = (await service.press(sender, encode(CopyNote(note.note_id)))).copy
    positions = [copied.index(h) for h in headings]
    assert positions == sorted(positions)
    assert copied.startswith(f"{note_format} progress note\nClient: Maya Thompson\nDate of service: ")
    assert "thought record" in copied and "PHQ-9 12" in copied and "Not signed yet." in copied
    assert not any(mark in copied for mark in ("*", "#", "•", "<b>", "__"))


async def test_a_draft_is_listed_and_filed_under_its_client(practice):
    service, _, sender, tid = practice
    support.add_client(service, tid, "Maya Thompson")
    support.add_client(service, tid, "Mara Thompson")
    draft = await typed(service, sender, "Session today with Ms. Thompson. She felt calmer this week.")
    assert draft.needs_client
    listed = await say(service, sender, "/notes drafts")
    assert f"#{draft.note_id}" in listed.text and "choose the client" in listed.text
    assert "Sign" not in labels(await service.press(sender, encode(ShowNote(draft.note_id))))
    filed = await say(service, sender, f"/edit {draft.note_id} client: Maya Thompson")
    assert filed.note.client_name == "Maya Thompson" and not filed.note.needs_client
    assert "No drafts" in (await say(service, sender, "/notes drafts")).text


async def test_an_addendum_to_a_signed_note_reaches_answers(tmp_path):
    """A correction made after signing is part of the record: questions quote it too."""
    from tests.core.flow_support import enrol, in_memory

    service, _ = in_memory(tmp_path)
    sender = enrol(service)
    note = await service.receive_text(sender, "/note Session with Nadia Okoro today. She talked about her brother's wedding.",
                                      message_id="1")
    assert note.note is not None
    number = note.note.note_id
    assert (await service.receive_text(sender, f"/sign {number}", message_id="2")).text.startswith("Signed.")
    added = await service.receive_text(sender, f"/edit {number} addendum: She also mentioned trouble sleeping since the wedding.",
                                       message_id="3")
    assert added.text.startswith("Addendum added")
    answer = await service.answer(sender, "has Nadia Okoro mentioned sleep?")
    assert answer.found and "trouble sleeping" in answer.text



def test_the_note_a_message_shows_is_read_from_its_first_line_only():
    from core.notebook.present import shown_note_id

    assert shown_note_id("Note #12 — Note for Maya Thompson, Thu 19 Nov 2026 (SOAP)\n\nMaya…") == 12
    assert shown_note_id("<b>Note #7 — Note for Ana Bell</b>") == 7
    assert shown_note_id("Your notes (2), newest first:\n#12 · Maya Thompson") is None
    assert shown_note_id("Prep for Friday\nNote #3 — quoted further down") is None
    assert shown_note_id(None) is None
