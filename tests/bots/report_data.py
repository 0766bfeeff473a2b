"""A client whose notes hold an open rupture and feedback scores, for the /report and /chart bot tests."""
from __future__ import annotations

from datetime import date

from core.types import Flag, Measure, NoteDraft
from tests import support

RUPTURE = "She said I pushed too fast with the exposure work."


def maya_with_history(service, therapist_name: str):
    tid = service.therapist_id(service.console_sender(therapist_name))
    maya = support.add_client(service, tid, "Maya Thompson")
    for day, srs, flags in ((date(2026, 10, 6), 38, ()), (date(2026, 10, 13), 31, (Flag("rupture", RUPTURE),)),
                            (date(2026, 10, 20), 33, ())):
        text = " ".join([f.evidence for f in flags] + [f"SRS {srs}."])
        draft = NoteDraft(maya.name, day, "SOAP", (("Subjective", text),), text, client_id=maya.id, alliance=flags,
                          measures=(Measure("SRS", srs, f"SRS {srs}.", scale_min=0, scale_max=40),))
        support.add_note(service, tid, draft)
    return tid, maya
