"""The demo voice memos shipped with alliance, and the script that made them.

Each memo is a therapist dictating after a session with one of two invented clients. The text of each
is in samples.json ({file, client, session_date_hint, text}); the audio is that text spoken by
espeak-ng and encoded as OGG/Opus, the way Telegram sends a voice note.

Regenerate (needs `apt-get install espeak-ng`):  python bots/samples/samples.py
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parent

# Chosen by listening through Whisper tiny.en: of the espeak-ng English voices, en-us+m3 at 150 words
# a minute gave the lowest word error rate on these memos (no mbrola voices are packaged here).
VOICE = "en-us+m3"
SPEED_WPM = 150
BITRATE = 24_000  # a Telegram voice note is ~32 kb/s Opus; 24 kb/s keeps each memo under 100 KB

# espeak reads "PHQ-9 score" as one run-on word; a space makes it say the letters, then the number.
_SPOKEN = {"PHQ-9": "PHQ 9", "GAD-7": "GAD 7"}


def load_samples() -> list[dict[str, Any]]:
    """The bundled memos, each with its absolute `path` added."""
    samples = json.loads((SAMPLES_DIR / "samples.json").read_text(encoding="utf-8"))
    for sample in samples:
        sample["path"] = SAMPLES_DIR / sample["file"]
    return samples


def encode_ogg_opus(pcm_s16: bytes, sample_rate: int, *, bitrate: int = BITRATE) -> bytes:
    """Mono 16-bit PCM -> OGG/Opus bytes, with PyAV's bundled libopus (no ffmpeg binary needed)."""
    import av
    import numpy as np

    out_buf = io.BytesIO()
    with av.open(out_buf, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")  # Opus runs at 48 kHz
        stream.bit_rate = bitrate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm_s16, dtype=np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for resampled in resampler.resample(frame) + resampler.resample(None):
            out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    return out_buf.getvalue()


def speak(text: str, *, voice: str = VOICE, speed: int = SPEED_WPM) -> bytes:
    """Text -> OGG/Opus voice memo via espeak-ng."""
    for written, spoken in _SPOKEN.items():
        text = text.replace(written, spoken)
    wav_bytes = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], check=True, capture_output=True
    ).stdout
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        pcm, rate = wav.readframes(wav.getnframes()), wav.getframerate()
    return encode_ogg_opus(pcm, rate)


def main() -> int:
    for sample in load_samples():
        data = speak(sample["text"])
        sample["path"].write_bytes(data)
        print(f"{sample['file']}: {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
