"""Copy-ready notes for pasting into an EHR: plain text under the format's own headings, no Markdown or
bullets to clean up, the lists, scores and risk placed under the heading an EHR field expects for that
format, the signature and addenda at the end. One layout per format; nothing is added that the note
doesn't say."""
from __future__ import annotations

from core.notes.sections import FORMAT_SECTIONS
from core.replies import NOT_DISCUSSED, addendum_heading, flag_label, measures_text, split_risks
from core.types import NoteDraft

# format -> (heading that takes the scores, heading that takes risk and alliance, heading that takes the lists)
PLACEMENT: dict[str, tuple[str, str, str]] = {
    "SOAP": ("Objective", "Assessment", "Plan"),
    "DAP": ("Data", "Assessment", "Plan"),
    "BIRP": ("Behavior", "Response", "Plan"),
    "GIRP": ("Response", "Response", "Plan"),
}
TITLES = {"SOAP": "SOAP progress note", "DAP": "DAP progress note", "BIRP": "BIRP progress note", "GIRP": "GIRP progress note"}


def copy_text(note: NoteDraft, *, therapist: str) -> str:
    """The note as plain text for an EHR. Times (signature, addenda) are shown as the note carries them:
    pass it through core.notebook.present.local_times first."""
    measures_at, risk_at, lists_at = PLACEMENT.get(note.format, ("", "", ""))
    extra: dict[str, list[str]] = {}
    if note.measures:
        extra.setdefault(measures_at, []).append("Measures: " + measures_text(note.measures) + ".")
    risks, screenings = split_risks(note.risks)
    for title, flags in (("Risk", risks), ("Screened, denied", screenings), ("Alliance", note.alliance)):
        if flags:
            extra.setdefault(risk_at, []).append(f"{title}:\n" + "\n".join(f"- {flag_label(f)}: \"{f.evidence}\"" for f in flags))
    sections = dict(note.sections)
    said = " ".join(sections.values()).casefold()
    plan = [item for item in note.plan if item.casefold().rstrip(".") not in said]  # not twice under Plan
    for title, items in (("Homework", note.homework), ("Next steps", plan), ("Follow up next session", note.follow_ups)):
        if items:
            extra.setdefault(lists_at, []).append(f"{title}:\n" + "\n".join(f"- {item}" for item in items))
    lines = [TITLES.get(note.format, f"{note.format} progress note"),
             f"Client: {note.client_name or '(not chosen yet)'}", f"Date of service: {note.session_date:%Y-%m-%d}", ""]
    names = list(FORMAT_SECTIONS.get(note.format, ())) or list(sections)
    for name in names + [n for n in sections if n not in names]:
        body = sections.get(name, "").strip() or NOT_DISCUSSED + "."
        lines += [name.upper() + ":", body, *[p for part in extra.pop(name, []) for p in ("", part)], ""]
    for leftover in extra.values():  # a heading the format lacks: keep its content all the same
        lines += [*leftover, ""]
    if note.signed_at:
        lines.append(f"Electronically signed by {therapist} on {note.signed_at:%Y-%m-%d %H:%M %Z}".rstrip() + ".")
    elif not note.needs_client:
        lines.append("Not signed yet.")
    for addendum in note.addenda:
        lines += ["", addendum_heading(addendum).upper() + ":", addendum.text]
    return "\n".join(lines).strip() + "\n"
