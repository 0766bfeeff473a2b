"""What primes the decoder: the therapist's client names, as Whisper's own previous-window text.

Measured (docs/benchmarks.md, "Transcription"; docs/benchmarks-speech.md):
- The names go in as a *timestamped* initial prompt, `<|0.00|> Maya Thompson, Siobhan. <|2.00|>`.
  A plain-text prompt (`hotwords` or a string `initial_prompt`) makes Whisper stop emitting
  timestamps, and on memos longer than one 30 s window whole sentences were then silently dropped.
- Names only, as a bare list: framing words leak into the text ("Session notes. Clients: ..." turned
  "Plan: role play" into "Clients, role play"), and scale names ("PHQ-9, GAD-7") turned a clip
  saying "five five" into "PHQ-5" — an invented score is worse than a misspelt one.
A name the model has never seen ("Daniel Okafor", "Siobhan") is primed the same way as any other:
there is no registry of names on this side, only the list passed with each memo.
"""
from __future__ import annotations

from typing import Any, Sequence

# The decoder prompt holds at most ~223 tokens, shared with the previous window's text; a long client
# list would crowd that out, so only this many characters of names are passed.
MAX_HINT_CHARS = 400
PROMPT_SPAN = 100  # the closing timestamp: +100 steps of 0.02 s = <|2.00|>


def hint_prompt(hint_names: Sequence[str] = ()) -> str | None:
    """The priming text: the names, deduplicated, as a bare bounded list; None without names."""
    names: list[str] = []
    used = 0
    for name in dict.fromkeys(" ".join(n.split()) for n in hint_names if n and n.strip()):
        used += len(name) + 2
        if used > MAX_HINT_CHARS:
            break
        names.append(name)
    return ", ".join(names) + "." if names else None


def prompt_tokens(hf_tokenizer: Any, text: str, *, multilingual: bool) -> list[int]:
    """`text` as token ids between two timestamps: <|0.00|> text <|2.00|>, like a previous window.

    Works with English-only and multilingual tokenizers: the ids of the text and of the timestamps do
    not depend on the language, so the tokenizer is built for English transcription either way.
    """
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(hf_tokenizer, multilingual, task="transcribe", language="en")
    begin = tokenizer.timestamp_begin  # the id of <|0.00|>; each next id is +0.02 s
    return [begin, *tokenizer.encode(" " + text.strip()), begin + PROMPT_SPAN]
