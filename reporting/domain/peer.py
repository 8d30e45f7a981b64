"""What a student can ask a peer supporter to share with them, beyond the grounds."""

from __future__ import annotations

from reporting.domain.report import LABELS, Ground
from reporting.domain.words import N_

EXPERIENCE_TAGS = {
    "first_generation": N_("First in my family at university"),
    "international": N_("International student"),
    "graduate_entry": N_("Graduate-entry medicine"),
    "mature": N_("Mature student"),
    "commuter": N_("Living at home or commuting"),
    "year_1_2": N_("Years 1 or 2 (pre-clinical)"),
    "year_3_plus": N_("Year 3 or later (clinical)"),
}
# Every tag a peer supporter can offer and a student can look for: grounds first.
PEER_TAGS = {**{g.value: LABELS[g] for g in Ground if g is not Ground.OTHER}, **EXPERIENCE_TAGS}


def tag_label(tag: str) -> str:
    """The plain-language label of a tag."""
    return str(PEER_TAGS[tag])
