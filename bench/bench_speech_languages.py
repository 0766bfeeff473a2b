"""Memos in other languages on the multilingual model: detection and word errors. Prints JSON.

For each language, two short therapy-style dictations (invented people), spoken by espeak-ng's voice
for that language at two speeds, transcribed by a multilingual model (default "base") with the
language given, and with "auto" (detected). Scores: word error rate (lowercase, punctuation dropped),
whether detection picked the right language, and whether the primed client name came out right.
espeak-ng is a robotic voice: absolute error rates are pessimistic, the comparison between languages
is the point. Needs `apt-get install -y espeak-ng`.

    .venv/bin/python bench/bench_speech_languages.py [--model base]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from bench.speech_dictations import edit_distance, speak_pcm, to_ogg  # noqa: E402
from core.config import Settings  # noqa: E402
from core.errors import NoSpeech  # noqa: E402
from core.speech.local import LocalTranscriber  # noqa: E402

# (espeak voice, client name, two dictations). Translations of the English memos' content.
MEMOS = {
    "en": ("en-us", "Anna Becker", (
        "Session with Anna Becker today. She feels more anxious at work and sleeps badly. We practised a breathing exercise.",
        "Anna Becker came in tired. Homework: a thought record before every meeting. Next time we talk about her father.")),
    "de": ("de", "Anna Becker", (
        "Sitzung mit Anna Becker heute. Sie hat mehr Angst bei der Arbeit und schläft schlecht. Wir haben eine Atemübung gemacht.",
        "Anna Becker kam müde. Hausaufgabe: ein Gedankenprotokoll vor jedem Termin. Nächstes Mal sprechen wir über ihren Vater.")),
    "fr": ("fr", "Claire Martin", (
        "Séance avec Claire Martin aujourd'hui. Elle est plus anxieuse au travail et dort mal. Nous avons fait un exercice de respiration.",
        "Claire Martin est arrivée fatiguée. Devoir : un journal des pensées avant chaque réunion. La prochaine fois, nous parlerons de son père.")),
    "es": ("es", "Lucía García", (
        "Sesión con Lucía García hoy. Está más ansiosa en el trabajo y duerme mal. Hicimos un ejercicio de respiración.",
        "Lucía García llegó cansada. Tarea: un registro de pensamientos antes de cada reunión. La próxima vez hablaremos de su padre.")),
    "it": ("it", "Giulia Rossi", (
        "Seduta con Giulia Rossi oggi. È più ansiosa al lavoro e dorme male. Abbiamo fatto un esercizio di respirazione.",
        "Giulia Rossi è arrivata stanca. Compito: un diario dei pensieri prima di ogni riunione. La prossima volta parleremo di suo padre.")),
    "pt": ("pt", "Ana Silva", (
        "Sessão com Ana Silva hoje. Ela está mais ansiosa no trabalho e dorme mal. Fizemos um exercício de respiração.",
        "Ana Silva chegou cansada. Tarefa: um registo de pensamentos antes de cada reunião. Na próxima vez falamos do pai dela.")),
    "nl": ("nl", "Sanne de Vries", (
        "Sessie met Sanne de Vries vandaag. Ze is angstiger op het werk en slaapt slecht. We hebben een ademhalingsoefening gedaan.",
        "Sanne de Vries kwam moe binnen. Huiswerk: een gedachtenschema voor elke vergadering. Volgende keer praten we over haar vader.")),
    "pl": ("pl", "Anna Kowalska", (
        "Sesja z Anną Kowalską dzisiaj. Jest bardziej niespokojna w pracy i źle śpi. Zrobiliśmy ćwiczenie oddechowe.",
        "Anna Kowalska przyszła zmęczona. Zadanie: dziennik myśli przed każdym spotkaniem. Następnym razem porozmawiamy o jej ojcu.")),
}
SPEEDS = (140, 170)


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    data_dir = Path(tempfile.gettempdir()) / "alliance-speech-bench" / "data"
    t = LocalTranscriber(Settings(whisper_model=args.model, data_dir=data_dir))
    results = {}
    for code, (voice, name, texts) in MEMOS.items():
        row = {"word_errors": 0, "words": 0, "detected_right": 0, "names_right": 0, "memos": 0, "auto_word_errors": 0}
        for text in texts:
            for speed in SPEEDS:
                audio = to_ogg(speak_pcm(text, voice, speed))
                for language in (code, "auto"):
                    try:
                        result = t.transcribe(audio, hint_names=[name], language=language)
                        out, detected = result.text, result.language
                    except NoSpeech:
                        out, detected = "", None
                    errors = edit_distance(words(text), words(out))
                    if language == code:
                        row["word_errors"] += errors
                        row["words"] += len(words(text))
                        row["names_right"] += name in out
                        row["memos"] += 1
                    else:
                        row["auto_word_errors"] += errors
                        row["detected_right"] += detected == code
        results[code] = {
            "wer_language_given": round(row["word_errors"] / row["words"], 3),
            "wer_auto": round(row["auto_word_errors"] / row["words"], 3),
            "detected_right": f"{row['detected_right']}/{row['memos']}",
            "name_right": f"{row['names_right']}/{row['memos']}",
        }
        print(code, json.dumps(results[code]), file=sys.stderr, flush=True)
    print(json.dumps({"benchmark": "speech_languages", "date": dt.date.today().isoformat(), "machine": machine(),
                      "model": args.model, "voice": "espeak-ng", "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
