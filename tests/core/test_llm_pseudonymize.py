"""Names leave the machine only as placeholders when ALLIANCE_LLM_PSEUDONYMIZE is on (unit level; the
end-to-end request check is in test_llm_notes.py)."""
from __future__ import annotations

from core.models.pseudonymize import Pseudonymizer, make_pseudonymizer

TRANSCRIPT = (
    "Session with Maya Thompson today. Maya said her sister Priya Shah and Dr. Patel were supportive; "
    "maya thompson's manager Will was not. Overall, PHQ-9 was 14 on Tuesday in March. "
    "Priya's partner O'Brien-Kelly called. I think CBT helps. Mai laughed. Grace came along."
)


def test_round_trip_is_exact_and_no_name_remains():
    p = Pseudonymizer({"CLIENT": ["Maya Thompson", "Mai"]})
    scrubbed = p.scrub(TRANSCRIPT)
    for name in ("Maya", "Thompson", "maya thompson", "Priya", "Shah", "Patel", "Will", "O'Brien", "Mai", "Grace"):
        assert name not in scrubbed
    assert p.restore(scrubbed) == TRANSCRIPT
    # what the note needs stays readable
    for kept in ("PHQ-9 was 14", "Tuesday", "March", "CBT", "sister", "Dr."):
        assert kept in scrubbed


def test_the_client_reads_as_one_person_to_the_model():
    p = Pseudonymizer({"CLIENT": ["Maya Thompson"]})
    scrubbed = p.scrub("Maya Thompson came in. Maya cried. Thompson family history.")
    assert scrubbed == "[CLIENT] came in. [CLIENT_FIRST] cried. [CLIENT_LAST] family history."


def test_model_output_is_restored_including_nested_values():
    p = Pseudonymizer({"CLIENT": ["Daniel Okafor"]})
    p.scrub("Daniel Okafor talked about his brother Tunde.")
    model_output = {"summary": "[CLIENT] discussed [PERSON_1].", "items": ["Call [PERSON_1]", "[CLIENT_FIRST] to rest"]}
    assert p.restore_value(model_output) == {
        "summary": "Daniel Okafor discussed Tunde.",
        "items": ["Call Tunde", "Daniel to rest"],
    }


def test_same_spelling_same_placeholder_across_texts():
    p = Pseudonymizer({"CLIENT": ["Maya Thompson"]})
    first = p.scrub("Maya mentioned Jonah.")
    second = p.scrub("Jonah is Maya's friend.")
    assert "[PERSON_1]" in first and "[PERSON_1]" in second
    assert p.restore(first) == "Maya mentioned Jonah." and p.restore(second) == "Jonah is Maya's friend."


def test_switched_off_changes_nothing():
    p = make_pseudonymizer(False, {"CLIENT": ["Maya Thompson"]})
    assert p.scrub(TRANSCRIPT) == TRANSCRIPT and p.restore("[CLIENT]") == "[CLIENT]"
