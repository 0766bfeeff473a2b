"""How notes look in Telegram: escaped HTML, split under the 4,096-character limit, buttons that fit."""
from __future__ import annotations

from datetime import date

from bots.telegram import api_urls
from bots.telegram_channel import CLOUD_DOWNLOAD_LIMIT, download_limit
from bots.telegram_render import keyboard, render, tg_len
from core.config import Settings
from core.actions import decode
from core.types import AskDeleteNote, Button, Flag, NoteDraft, Reformat, Reply
from tests.bots.test_telegram import assert_telegram_html


def note(**fields) -> NoteDraft:
    base = dict(
        client_name="Maya <Thompson> & Co",
        session_date=date(2026, 11, 20),
        format="DAP",
        sections=(("Data", "She said <b>not</b> to tell anyone & then laughed."), ("Assessment", ""), ("Plan", "Thought record.")),
        summary="Anxious before the <team> meeting",
        homework=("keep a thought record",),
        risks=(Flag("self_harm", "I sometimes think <it> would be easier", status="denied"),),
        note_id=12,
    )
    base.update(fields)
    return NoteDraft(**base)


def test_everything_in_a_note_is_escaped():
    reply = Reply("Note for Maya <Thompson> & Co, Fri 20 Nov 2026 (DAP)", note=note())
    [text] = render(reply)
    assert_telegram_html(text)
    assert "&lt;b&gt;not&lt;/b&gt;" in text and "Maya &lt;Thompson&gt; &amp; Co" in text
    assert "<b>Assessment</b>\nNot discussed" in text  # an empty section says so rather than vanishing
    assert "Homework" in text and "thought record" in text and "Screened, denied" in text and "⚠" not in text  # a denial is no warning


def test_a_long_note_is_split_under_the_limit_without_losing_text():
    long_section = " ".join(f"Sentence {i} about <sleep> & mood." for i in range(900))
    reply = Reply("Note for Maya, Fri 20 Nov 2026 (DAP)", note=note(sections=(("Data", long_section), ("Plan", "Next week."))))
    chunks = render(reply)
    assert len(chunks) > 1
    for chunk in chunks:
        assert tg_len(chunk) <= 4096
        assert_telegram_html(chunk)
    joined = " ".join(chunks)
    assert "Sentence 0 about &lt;sleep&gt;" in joined and "Sentence 899 about" in joined and "Next week." in joined


def test_emoji_count_double_towards_the_limit():
    reply = Reply("🙂" * 3000)
    chunks = render(reply)
    assert len(chunks) == 2 and all(tg_len(c) <= 4096 for c in chunks)


def test_buttons_become_an_inline_keyboard_of_short_typed_actions():
    reply = Reply("x", buttons=((Button("DAP", Reformat(2**31 - 1, "DAP")),), (Button("Delete", AskDeleteNote(12)),)))
    markup = keyboard(reply)
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("DAP", "format:2147483647:DAP")], [("Delete", "delete:12")]]
    assert all(len(data.encode()) <= 64 and decode(data) is not None for row in rows for _, data in row)
    assert keyboard(Reply("no buttons")) is None


def test_download_limit_follows_the_server():
    assert download_limit(Settings()) == CLOUD_DOWNLOAD_LIMIT
    self_hosted = Settings(telegram_base_url="http://localhost:8081", max_memo_mb=200)
    assert download_limit(self_hosted) == 200 * 1024 * 1024
    assert download_limit(Settings(max_memo_mb=5)) == 5 * 1024 * 1024


def test_self_hosted_server_urls():
    assert api_urls(Settings()) == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    assert api_urls(Settings(telegram_base_url="http://localhost:8081/")) == (
        "http://localhost:8081/bot",
        "http://localhost:8081/file/bot",
    )
    custom = Settings(telegram_base_url="http://tg:8081/bot", telegram_base_file_url="http://files:8081")
    assert api_urls(custom) == ("http://tg:8081/bot", "http://files:8081/file/bot")


def test_a_plan_item_already_written_or_listed_is_not_repeated_on_any_channel():
    """The demo's note said "keep a thought record" four times: in Plan, Homework, Next steps and Follow up."""
    from bots.slack_blocks import note_blocks as slack_blocks
    from core.replies import note_text

    written = note(sections=(("Data", "Anxious at work."), ("Assessment", "Engaged."),
                             ("Plan", "Keep a thought record before each meeting. Next time, check in on her father's visit.")),
                   homework=("Keep a thought record before each meeting.",), follow_ups=("Check in on her father's visit.",),
                   plan=("Keep a thought record before each meeting.", "Next time, check in on her father's visit.",
                         "Book a review with the GP."))
    telegram = "\n".join(render(Reply("", note=written)))
    slack = str(slack_blocks(written, "Note"))
    for shown in (telegram, slack, note_text(written)):
        assert shown.count("thought record before each meeting") == 2  # the Plan section and the homework list
        assert shown.count("father's visit") == 2  # the Plan section and the follow-up list
        assert shown.count("Book a review with the GP.") == 1  # a plan item said nowhere else stays
