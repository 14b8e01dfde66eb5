"""The program directory: the keys of the programs OnePlan maps, and of the Green Form.

A key names a program everywhere: its intake URL, its code table in `mappings/codes/`, its
`meta.source` (`consent.codes.program_source`) and the label rules that match on it.
"""

from __future__ import annotations

# The programs whose records `mappings.registry` maps, in the order they are listed.
PROGRAMS = ("home", "wrapct", "birth-to-three", "cyshcn", "help-me-grow")
# The organization (a CAST key) that keeps each program's records.
KEEPERS: dict[str, str] = {
    "home": "home-hhc",
    "wrapct": "wrap-north",
    "birth-to-three": "b23-hartford",
    "cyshcn": "cyshcn-nc",
    "help-me-grow": "hmg-211",
}
# The Green Form is no program record but writes under a source key of its own.
GREEN_FORM = "green-form"
# Every key OnePlan itself writes resources under.
SOURCES = (*PROGRAMS, GREEN_FORM)
