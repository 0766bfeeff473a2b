"""Which language a memo is transcribed in: ALLIANCE_WHISPER_LANGUAGE, or a therapist's own setting.

A language is a Whisper language code ("en", "de", "pt", ...), an English name of one ("German"), or
"auto" (the model detects it from the first 30 s). English-only models (tiny.en, the bundled default)
transcribe English only: asking one for another language is refused, with a message saying what to
install, rather than turning French speech into invented English.
See docs/speech-languages.md for what works how well.
"""
from __future__ import annotations

from core.errors import AllianceError

AUTO = "auto"
DEFAULT = "en"

# Whisper's languages (the order and codes of its tokenizer; "yue" came with large-v3).
_TABLE = """
en english|zh chinese|de german|es spanish|ru russian|ko korean|fr french|ja japanese|pt portuguese|
tr turkish|pl polish|ca catalan|nl dutch|ar arabic|sv swedish|it italian|id indonesian|hi hindi|
fi finnish|vi vietnamese|he hebrew|uk ukrainian|el greek|ms malay|cs czech|ro romanian|da danish|
hu hungarian|ta tamil|no norwegian|th thai|ur urdu|hr croatian|bg bulgarian|lt lithuanian|la latin|
mi maori|ml malayalam|cy welsh|sk slovak|te telugu|fa persian|lv latvian|bn bengali|sr serbian|
az azerbaijani|sl slovenian|kn kannada|et estonian|mk macedonian|br breton|eu basque|is icelandic|
hy armenian|ne nepali|mn mongolian|bs bosnian|kk kazakh|sq albanian|sw swahili|gl galician|
mr marathi|pa punjabi|si sinhala|km khmer|sn shona|yo yoruba|so somali|af afrikaans|oc occitan|
ka georgian|be belarusian|tg tajik|sd sindhi|gu gujarati|am amharic|yi yiddish|lo lao|uz uzbek|
fo faroese|ht haitian creole|ps pashto|tk turkmen|nn nynorsk|mt maltese|sa sanskrit|
lb luxembourgish|my myanmar|bo tibetan|tl tagalog|mg malagasy|as assamese|tt tatar|haw hawaiian|
ln lingala|ha hausa|ba bashkir|jw javanese|su sundanese|yue cantonese
"""
LANGUAGES: dict[str, str] = dict(
    entry.strip().split(" ", 1) for entry in _TABLE.replace("\n", "").split("|") if entry.strip()
)
_BY_NAME = {name: code for code, name in LANGUAGES.items()}


def normalise_language(value: str | None) -> str:
    """A code from LANGUAGES or "auto"; "" or None means the default ("en"). ValueError otherwise.

    Accepts codes and English names in any case ("DE", "German", "pt-BR" -> "pt").
    """
    text = (value or "").strip().lower().replace("_", "-")
    if not text:
        return DEFAULT
    if text in (AUTO, "detect"):
        return AUTO
    if text in _BY_NAME:
        return _BY_NAME[text]
    code = text.split("-", 1)[0]  # a regional tag: "en-GB", "pt-BR"
    if code in LANGUAGES:
        return code
    raise ValueError(f"{value!r} is not a language Whisper knows: use a code such as en, de, fr, or auto.")


def language_name(code: str) -> str:
    return "detected from the audio" if code == AUTO else LANGUAGES.get(code, code).title()


def decoder_language(code: str, *, multilingual: bool) -> str | None:
    """What to pass to faster-whisper: a code, or None to let a multilingual model detect it.

    An English-only model hears English whatever it is given, so anything but English (or "auto",
    which on such a model can only mean English) is refused in words the therapist can act on.
    """
    if multilingual:
        return None if code == AUTO else code
    if code in (DEFAULT, AUTO):
        return DEFAULT
    raise AllianceError(
        f"Memos in {language_name(code)} need a multilingual speech model, and the one installed here "
        "understands English only. Your practice admin can switch it (ALLIANCE_WHISPER_MODEL=base, "
        "see docs/speech-languages.md); your memo is kept."
    )
