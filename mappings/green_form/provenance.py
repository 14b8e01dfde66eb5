"""Who wrote what from which form (https://hl7.org/fhir/R4/provenance.html), and what an
amended form no longer contains."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mappings.datatypes import compact
from mappings.green_form.stamp import SOURCE, Stamp, concept, table
from vocabulary import transaction as tx
from vocabulary.fhir import JSON

# What a form owns and may drop when amended. Never deleted on a form's behalf: the child's
# source Patient (every version writes it) and an NPI's Organization or Practitioner (other
# forms naming the NPI write the same one).
OWNED = frozenset({
    "RelatedPerson", "QuestionnaireResponse", "ServiceRequest", "Task", "Condition",
    "Observation", "MedicationStatement", "AllergyIntolerance", "Consent",
})
RELATIVE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+/[A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$")
DATE_PADDING = {4: "-01-01", 7: "-01"}


def instant(when: str) -> str:
    """A dateTime as an instant (https://hl7.org/fhir/R4/datatypes.html#instant): a date alone
    becomes its midnight UTC."""
    if "T" in when:
        return when
    return f"{when}{DATE_PADDING.get(len(when), '')}T00:00:00Z"


def provenance(stamp: Stamp, targets: Iterable[JSON], source: JSON, author: JSON,
               on_behalf_of: JSON | None, occurred: str, activity: str) -> JSON:
    agent = compact(type=concept("author"), who=author, onBehalfOf=on_behalf_of)
    return {
        "resourceType": "Provenance", "id": stamp.id("Provenance"), "meta": {"source": SOURCE},
        "target": list(targets), "occurredDateTime": occurred, "recorded": instant(occurred),
        "activity": {"coding": [dict(table("activities")[activity])]}, "agent": [agent],
        "entity": [{"role": "source", "what": source}],
    }


def relative(reference: str) -> str | None:
    """`Type/id` of a literal reference (relative, absolute or versioned), else None."""
    found = RELATIVE.search(reference)
    return found.group(1) if found and not reference.startswith("urn:") else None


def stale_entries(previous_provenance: Mapping[str, Any],
                  bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """DELETE entries for what an earlier version of a form wrote (the targets of its
    Provenance, as stored) that the new transaction `bundle` no longer writes."""
    written = {entry["request"]["url"] for entry in bundle.get("entry", ())
               if entry.get("request", {}).get("method") == "PUT"}
    targets = (relative(t.get("reference", "")) for t in previous_provenance.get("target", ()))
    stale = dict.fromkeys(ref for ref in targets
                          if ref and ref.split("/")[0] in OWNED and ref not in written)
    return [tx.delete(ref) for ref in stale]

