"""Block Kit rendering against the limits Slack enforces (the fake's check_blocks): a long dictation
must still arrive, whole and in order, and a transcript can never ping a channel."""
from __future__ import annotations

from datetime import date

from bots.slack_blocks import fit, paginate, reply_blocks
from core.replies import note_reply
from core.types import Flag, NoteDraft
from tests.fakes.slack_api import check_blocks


def long_note() -> NoteDraft:
    paragraph = " ".join(f"Sentence {n} about the week at work and at home." for n in range(1, 1000))
    return NoteDraft(
        client_name="Maya Thompson",
        session_date=date(2026, 11, 20),
        format="SOAP",
        sections=tuple((name, paragraph) for name in ("Subjective", "Objective", "Assessment", "Plan")),
        summary="Anxious before the team meeting <!channel> & said so.",
        homework=tuple(f"Thought record, evening {n}" for n in range(1, 60)),
        risks=(Flag("self_harm", "She mentioned <@U0OTHER> hurting her."),),
        note_id=7,
        client_id=1,
    )


def all_text(pages) -> str:
    return "\n".join(b["text"]["text"] for page in pages for b in page if b["type"] == "section")


def test_a_long_note_fits_slack_and_keeps_every_word():
    note = long_note()
    pages = paginate(reply_blocks(note_reply(note)))
    assert len(pages) > 1  # more than one message's worth
    for page in pages:
        assert check_blocks(page, 50) is None
    assert pages[-1][-1]["type"] == "actions" and all(b["type"] != "actions" for b in pages[0])  # buttons under the end
    text = all_text(pages)
    for n in (1, 500, 999):
        assert text.count(f"Sentence {n} about") == 4  # every part, nothing cut
    assert "Thought record, evening 59" in text

    edited = fit(reply_blocks(note_reply(note)))  # chat.update edits one message
    assert check_blocks(edited, 50) is None and edited[-1]["type"] == "actions"


def test_transcript_text_cannot_ping_or_mention():
    text = all_text(paginate(reply_blocks(note_reply(long_note()))))
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; said so." in text
    assert "<@U0OTHER>" not in text and "&lt;@U0OTHER&gt;" in text
