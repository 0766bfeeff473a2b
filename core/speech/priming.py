"""What primes the decoder: a short clinical vocabulary, then the therapist's client names, written
as Whisper's own previous-window text. Measured in docs/benchmarks.md
("Transcription" and "Speech"):
- A *timestamped* initial prompt, `<|0.00|> PHQ-9, ..., Maya Thompson, Siobhan. <|2.00|>`. A
  plain-text prompt (`hotwords` or a string `initial_prompt`) makes Whisper stop emitting timestamps,
  and on memos longer than one 30 s window whole sentences were then silently dropped.
- A bare list: framing words leak into the text ("Session notes. Clients: ..." turned "Plan: role
  play" into "Clients, role play").
- The vocabulary only ever goes before names, never alone: alone, it turned a clip saying "five
  five" into "PHQ-5" (an invented score); followed by the names, that clip stays "5-5", and on
  therapy dictations the vocabulary got most terms right that tiny.en otherwise mangles.
- Names last, nearest the audio: with the names first, other clients' names turned up in memos.
A name the model has never seen ("Daniel Okafor", "Siobhan") is primed like any other: there is no
registry of names on this side, only the list passed with each memo.
"""
from __future__ import annotations

from typing import Any, Sequence

# The decoder prompt holds at most ~223 tokens, shared with the previous window's text; a long client
# list would crowd that out, so only this many characters of names are passed.
MAX_HINT_CHARS = 400
PROMPT_SPAN = 100  # the closing timestamp: +100 steps of 0.02 s = <|2.00|>

# Terms of the trade that tiny.en otherwise writes as it hears them ("back-streaming" for box
# breathing, "PHQI", "the MBR"). Primed by default, before the names; ALLIANCE_WHISPER_VOCABULARY
# replaces the list. Scale names come with their number as written ("PHQ-9"), never a bare "PHQ".
# No bare acronyms: primed, "CBT" came out for "came in" ("GAD-7, CBT-14") and "EMDR" for "amiable"
# in a real recording ("made, EMDR, himself"); tiny.en writes CBT right unprimed anyway.
CLINICAL_VOCABULARY = (
    "PHQ-9", "GAD-7", "box breathing", "exposure hierarchy", "thought record",
    "behavioral activation", "safety plan", "suicidal ideation", "psychoeducation",
)


def _bounded(items: Sequence[str], budget: int) -> list[str]:
    kept: list[str] = []
    for item in dict.fromkeys(" ".join(i.split()) for i in items if i and i.strip()):
        budget -= len(item) + 2
        if budget < 0:
            break
        kept.append(item)
    return kept


def hint_prompt(hint_names: Sequence[str] = (), vocabulary: Sequence[str] = ()) -> str | None:
    """The priming text: one bare list, vocabulary first and names last; None without names.

    Names get the character budget first (a long caseload leaves no room for terms) but are written
    last. Without names nothing is primed: the vocabulary alone invents scores (module docstring).
    """
    names = _bounded(hint_names, MAX_HINT_CHARS)
    if not names:
        return None
    terms = _bounded([t for t in vocabulary if t not in names], MAX_HINT_CHARS - len(", ".join(names)) - 2)
    return ", ".join(terms + names) + "."


def vocabulary_setting(value: str | None) -> list[str]:
    """ALLIANCE_WHISPER_VOCABULARY: unset = CLINICAL_VOCABULARY, "none" or "" = no terms, else a comma list."""
    if value is None:
        return list(CLINICAL_VOCABULARY)
    if value.strip().lower() in ("", "none"):
        return []
    return [t.strip() for t in value.split(",") if t.strip()]


def prompt_tokens(hf_tokenizer: Any, text: str, *, multilingual: bool) -> list[int]:
    """`text` as token ids between two timestamps: <|0.00|> text <|2.00|>, like a previous window.

    Works with English-only and multilingual tokenizers: the ids of the text and of the timestamps do
    not depend on the language, so the tokenizer is built for English transcription either way.
    """
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(hf_tokenizer, multilingual, task="transcribe", language="en")
    begin = tokenizer.timestamp_begin  # the id of <|0.00|>; each next id is +0.02 s
    return [begin, *tokenizer.encode(" " + text.strip()), begin + PROMPT_SPAN]
