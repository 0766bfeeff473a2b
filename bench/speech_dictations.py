"""Therapy-style dictations that open with the client's name, spoken by espeak-ng; and how to score them.

Invented people only. Each dictation is a template (what a therapist says after a session) filled with
one client's name, spoken in one of several espeak-ng voices and speeds, and scored on:
- the client's name spelled right (every time it is said; a case-sensitive whole-word match),
- clinical terms right ("PHQ-9", "box breathing", "exposure hierarchy", ...),
- other clients' names that were primed but never said (each one is a name put in the wrong note),
- word error rate over everything (normalised as tests/core/test_transcribe.py does).

Needs `apt-get install -y espeak-ng` (bench time only; tests use committed clips).
"""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000

# Names the model has never been given before; how a person says each where espeak would not.
NAMES = (
    "Maya Thompson", "Daniel Okafor", "Priya Raman", "Siobhan", "Nguyen",
    "Tomasz Kowalczyk", "Aisha Bello", "Mateo Alvarez", "Ingrid Solberg", "Kwame Mensah",
    "Niamh Gallagher", "Oluwaseun Adeyemi", "Hannah Lindqvist", "Rafael Duarte",
)
SPOKEN = {"Siobhan": "Shivawn", "Nguyen": "Nwin", "Niamh": "Neev", "Oluwaseun": "Oh loo wah shay oon"}

# Clinical terms as written, and how to say them to espeak (it reads "PHQ-9" as one run-on word).
# HELD_OUT terms are said in the dictations but are not in the primed CLINICAL_VOCABULARY: they show
# whether priming some terms costs the others.
TERMS = {
    "PHQ-9": "P H Q 9", "GAD-7": "G A D 7", "box breathing": None, "exposure hierarchy": None,
    "thought record": None, "behavioural activation": None, "safety plan": None, "CBT": "C B T",
    "EMDR": "E M D R", "sertraline": None, "suicidal ideation": None, "cognitive restructuring": None,
    "panic attacks": None,
}
HELD_OUT = ("sertraline", "cognitive restructuring", "panic attacks")

TEMPLATES = (
    "{name} today. Her PHQ-9 was 12, down from 15. We practised box breathing and started an exposure "
    "hierarchy for the lift at work. Homework: a thought record each evening. Next time, review the hierarchy.",
    "Session with {name}. He reported panic attacks twice this week. We continued CBT and reviewed his safety "
    "plan. He denies suicidal ideation. Plan: behavioural activation, one walk each day.",
    "{name}, second session. GAD-7 came in at 14. She has started sertraline, prescribed by her GP. We worked on "
    "cognitive restructuring around her fear of failing. Homework: the thought record and box breathing.",
    "Notes for {name}. We began EMDR preparation and built a safe place exercise. Sleep is still poor. "
    "PHQ-9 of 9. Next session, start the exposure hierarchy and check the safety plan.",
    "{name} came in late and tired. Mood low after an argument with her sister. We used behavioural "
    "activation to plan the week. No suicidal ideation. Homework: box breathing twice a day.",
    "Brief note on {name}. Cancelled last week, attended today. Reviewed the thought record together. "
    "GAD-7 at 8, better than last month. We agreed to keep going with CBT for six more sessions.",
)

VOICES = (("en-us+m3", 150), ("en-gb+f3", 165), ("en-us+f2", 175), ("en-gb-scotland+m1", 145))


@dataclass(frozen=True)
class Dictation:
    name: str
    text: str
    voice: str
    speed: int

    @property
    def key(self) -> str:
        return f"{self.name.split()[0].lower()}-{self.voice.replace('+', '_')}-{self.speed}"


def dictations(names=NAMES, voices=VOICES) -> list[Dictation]:
    """One dictation per name and voice; the template rotates so every name meets several."""
    out = []
    for i, name in enumerate(names):
        for j, (voice, speed) in enumerate(voices):
            out.append(Dictation(name, TEMPLATES[(i + j) % len(TEMPLATES)].format(name=name), voice, speed))
    return out


def spoken_form(text: str) -> str:
    for written, said in {**SPOKEN, **{t: s for t, s in TERMS.items() if s}}.items():
        text = re.sub(rf"\b{re.escape(written)}\b", said, text)
    return text


def speak_pcm(text: str, voice: str, speed: int) -> np.ndarray:
    """espeak-ng -> float32 mono at 16 kHz."""
    from faster_whisper.audio import decode_audio

    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", spoken_form(text)], check=True, capture_output=True
    ).stdout
    with wave.open(io.BytesIO(wav)) as w:  # --stdout leaves the length unset: rewrite a proper header
        pcm, rate = w.readframes(w.getnframes()), w.getframerate()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(pcm)
    return decode_audio(io.BytesIO(buf.getvalue()), sampling_rate=SAMPLE_RATE)


def to_ogg(samples: np.ndarray, bitrate: int = 24_000) -> bytes:
    from bots.samples.samples import encode_ogg_opus

    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes()
    return encode_ogg_opus(pcm, SAMPLE_RATE, bitrate=bitrate)


def render(d: Dictation, cache: Path) -> bytes:
    """The dictation as an OGG/Opus voice memo, cached by text and voice."""
    path = cache / f"{d.key}-{hashlib.sha256(d.text.encode()).hexdigest()[:10]}.ogg"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_ogg(speak_pcm(d.text, d.voice, d.speed)))
    return path.read_bytes()


# --- scoring -----------------------------------------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return " ".join(_ONES[int(d)] for d in str(n))


def normalise(text: str) -> list[str]:
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text.lower().replace("-", " "))
    text = text.replace("behavioral", "behavioural").replace("practiced", "practised")
    words = re.sub(r"[^\w\s']", " ", text).replace("'", "").split()
    return ["mister" if w == "mr" else w for w in words]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev_diag, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev_diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev_diag + (r != h))
    return row[-1]


def name_hits(name: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))


def _squash(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text.lower().replace("behavioral", "behavioural"))


def term_hits(reference: str, text: str, terms) -> tuple[int, int, int]:
    """(said, written right, written but never said): "PHQ-9" matches "PHQ9" and "PHQ 9", not "PHQ-5"."""
    said = right = inserted = 0
    hyp, ref = _squash(text), _squash(reference)
    for term in terms:
        n = len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", reference))
        said += n
        right += min(n, hyp.count(_squash(term)))
        inserted += max(0, hyp.count(_squash(term)) - ref.count(_squash(term)))
    return said, right, inserted


def score(d: Dictation, text: str, primed: tuple[str, ...] = ()) -> dict:
    ref = normalise(d.text)
    said, right, inserted = term_hits(d.text, text, [t for t in TERMS if t not in HELD_OUT])
    held_said, held_right, _ = term_hits(d.text, text, HELD_OUT)
    return {
        "names_said": name_hits(d.name, d.text),
        "names_right": min(name_hits(d.name, text), name_hits(d.name, d.text)),
        "opening_right": int(name_hits(d.name, " ".join(text.split()[:6])) > 0),  # the name that files the note
        "terms_said": said,
        "terms_right": right,
        "terms_inserted": inserted,
        "held_out_said": held_said,
        "held_out_right": held_right,
        "wrong_client_names": sum(name_hits(n, text) for n in primed if n in NAMES and n not in d.name),
        "word_errors": edit_distance(ref, normalise(text)),
        "words": len(ref),
    }
