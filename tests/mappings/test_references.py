"""Re-pointing a record's resources at the golden Patient: every reference to the source
Patient, however deep, and nothing else; the source Patient and the input stay as they were."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from mappings.references import repoint

HOME = Path(__file__).parents[2] / "fixtures/records/home/valid/mateo-rivera.expected.json"


def resources() -> list[dict[str, object]]:
    found = json.loads(HOME.read_text())
    entries = found["entry"] if isinstance(found, dict) else found
    return [e.get("resource", e) for e in entries]


def test_every_reference_to_the_source_patient_points_at_the_golden_one() -> None:
    mapped = resources()
    source = next(f"Patient/{r['id']}" for r in mapped if r["resourceType"] == "Patient")
    before = copy.deepcopy(mapped)
    moved = repoint(mapped, source, "Patient/golden-1")
    text = json.dumps([r for r in moved if r["resourceType"] != "Patient"])
    assert f'"{source}"' not in text
    assert text.count('"Patient/golden-1"') == json.dumps(before).count(f'"{source}"')
    assert next(r for r in moved if r["resourceType"] == "Patient") == next(
        r for r in before if r["resourceType"] == "Patient")
    assert mapped == before
