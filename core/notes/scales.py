"""The rating scales a therapist names in a memo: score range, and how the name is said or misheard.

A score outside its scale's range is not a score (it is kept as text, marked uncertain). `alliance`
marks the client's feedback on the therapy itself (SRS, WAI-SR, "rated the session 7/10 on feeling
heard"), which an alliance timeline is built from; the rest measure symptoms or wellbeing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    low: float
    high: float
    spoken: str  # regex (case-insensitive) for the name as typed, said or misheard
    alliance: bool = False

    @property
    def bands(self) -> tuple[tuple[float, float, str], ...]:
        """Published severity bands (low, high, label), for charts; () for a scale without them."""
        return BANDS.get(self.name, ())


def _letters(word: str) -> str:
    """ "phq" also as "P H Q", "P.H.Q.", "P-H-Q"."""
    return r"\.?[\s-]?".join(word) + r"\.?"


def _named(letters: str, digit: str, digit_word: str) -> str:
    """ "PHQ-9", "PHQ 9", "PHQ9", "P H Q nine", "PHQ-nine"; the number after it is the score."""
    return rf"\b{_letters(letters)}[\s-]*(?:{digit}|{digit_word})(?![\d.]\d)(?!\d)\b"


SCALES: tuple[Scale, ...] = (
    Scale("PHQ-9", 0, 27, _named("phq", "9", "nine") + r"|\bpatient\s+health\s+questionnaire(?:[\s-]*(?:9|nine))?\b|\bphq\b(?![\s-]*(?:2|two)\b)"),
    Scale("PHQ-2", 0, 6, _named("phq", "2", "two")),
    Scale("GAD-7", 0, 21, _named("gad", "7", "seven") + r"|(?-i:\bGAD\b)(?![\s-]*(?:2|two)\b)"),
    Scale("GAD-2", 0, 6, _named("gad", "2", "two")),
    Scale("PCL-5", 0, 80, _named("pcl", "5", "five") + r"|\b(?:ptsd|p\.?t\.?s\.?d\.?)\s+check\s?list\b|\bpcl\b"),
    Scale("Y-BOCS", 0, 40,
          r"\b(?:y|why|wide)[\s-]?(?:bocs|bocks|box|bok|bocks)\b|\bybocs\b|\byale[\s-]brown(?:\s+obsessive[\s-]compulsive\s+scale)?\b"),
    Scale("AUDIT-C", 0, 12, r"\baudit[\s-]c\b"),
    Scale("AUDIT", 0, 40, r"(?-i:\bAUDIT\b)(?!-C)|\b(?:the\s+)?audit(?=\s+(?:score|total|was|is|came|of|at|today|=|:))"),
    Scale("DAST-10", 0, 10, r"\bdast(?:[\s-]*(?:10|ten))?\b"),
    Scale("BDI-II", 0, 63, r"\bbdi(?:[\s-]*(?:ii|2|two)\b)?|\bbeck\s+depression\s+inventory(?:[\s-]*(?:ii|2)\b)?"),
    Scale("BAI", 0, 63, r"\bbai\b|\bbeck\s+anxiety\s+inventory\b"),
    Scale("EPDS", 0, 30, r"\bepds\b|\bedinburgh(?:\s+(?:postnatal|postpartum)\s+depression\s+scale|\s+scale)?\b"),
    Scale("K10", 10, 50, r"\bk[\s-]?(?:10|ten)\b|\bkessler(?:[\s-]*(?:10|ten))?\b"),
    Scale("DASS-21", 0, 126, r"\bdass(?:[\s-]?(?:21|twenty[\s-]one))?\b"),
    Scale("CORE-10", 0, 40, r"\bcore[\s-]?(?:10|ten)\b"),
    Scale("ORS", 0, 40, r"\b(?-i:ORS)\b|\bo\.r\.s\.?|\boutcome\s+rating\s+scale\b"),
    Scale("SRS", 0, 40, r"\b(?-i:SRS)\b|\bs\.r\.s\.?|\bsession\s+rating\s+scale\b", alliance=True),
    Scale("WAI-SR", 12, 60,
          r"\bwai(?:[\s-]?(?:sr|s\.r\.|short|12))?\b|\bworking\s+alliance\s+inventory(?:[\s-]+(?:sr|short\s+(?:form|revised)))?\b",
          alliance=True),
    Scale("SUDS", 0, 100, r"\bsuds\b|\bsud\s+(?:rating|level|score)\b|\bsubjective\s+units\s+of\s+distress(?:\s+scale)?\b"),
    Scale("CGI-S", 1, 7, r"\bcgi(?:[\s-]?s)?\b"),
)
_BY_NAME = {scale.name.lower(): scale for scale in SCALES}

# Severity bands as the scales' authors publish them; drawn behind a chart's points (core/reports/chart.py).
# PHQ-9: Kroenke, Spitzer & Williams 2001. GAD-7: Spitzer et al. 2006. BDI-II: Beck, Steer & Brown 1996.
# BAI: Beck & Steer 1993. K10: Andrews & Slade 2001. CORE-10: Barkham et al. 2013. Y-BOCS: Goodman et al.
# 1989. AUDIT: Babor et al. (WHO) 2001. DAST-10: Skinner 1982. PCL-5: Weathers et al. 2013 (cut-off 33).
# EPDS: Cox, Holden & Sagovsky 1987. ORS: clinical cut-off 25, SRS: 36 (Miller & Duncan 2003).
BANDS: dict[str, tuple[tuple[float, float, str], ...]] = {
    "PHQ-9": ((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately severe"), (20, 27, "severe")),
    "GAD-7": ((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")),
    "BDI-II": ((0, 13, "minimal"), (14, 19, "mild"), (20, 28, "moderate"), (29, 63, "severe")),
    "BAI": ((0, 7, "minimal"), (8, 15, "mild"), (16, 25, "moderate"), (26, 63, "severe")),
    "K10": ((10, 15, "low"), (16, 21, "moderate"), (22, 29, "high"), (30, 50, "very high")),
    "CORE-10": ((0, 5, "healthy"), (6, 10, "low"), (11, 14, "mild"), (15, 19, "moderate"), (20, 24, "moderately severe"),
                (25, 40, "severe")),
    "Y-BOCS": ((0, 7, "subclinical"), (8, 15, "mild"), (16, 23, "moderate"), (24, 31, "severe"), (32, 40, "extreme")),
    "AUDIT": ((0, 7, "low risk"), (8, 15, "increasing risk"), (16, 19, "higher risk"), (20, 40, "possible dependence")),
    "DAST-10": ((0, 2, "low"), (3, 5, "moderate"), (6, 8, "substantial"), (9, 10, "severe")),
    "PCL-5": ((0, 32, "below cut-off"), (33, 80, "probable PTSD")),
    "EPDS": ((0, 9, "low"), (10, 12, "possible depression"), (13, 30, "probable depression")),
    "ORS": ((0, 24, "clinical range"), (25, 40, "non-clinical range")),
    "SRS": ((0, 35, "below cut-off (36)"), (36, 40, "at or above 36")),
}
PATTERNS: tuple[tuple[Scale, re.Pattern[str]], ...] = tuple((s, re.compile(s.spoken, re.I)) for s in SCALES)

# Self-ratings without a named instrument: "mood 4/10", "anxiety at 7 out of 10".
RATED_THINGS = (
    "mood", "anxiety", "depression", "sleep", "energy", "pain", "stress", "distress", "craving", "cravings", "urges?",
    "motivation", "confidence", "hope", "hopefulness", "hopelessness", "anger", "irritability", "panic", "worry", "fear",
    "shame", "guilt", "loneliness", "self-esteem", "wellbeing", "well-being", "appetite", "focus", "concentration",
)
SESSION_RATING = "Session rating"


def scale_named(name: str) -> Scale | None:
    """The registry entry for a stored measure name ("PHQ-9"); a self-rating ("Mood /10") has none."""
    return _BY_NAME.get(name.strip().lower())


def is_alliance_measure(name: str) -> bool:
    """Feedback on the therapy (SRS, WAI-SR, a session rating), as opposed to a symptom measure."""
    scale = scale_named(name)
    return bool(scale and scale.alliance) or name.startswith(SESSION_RATING)
