"""Deterministic ids: uuid5 over program, source id, resource type and discriminator."""

from __future__ import annotations

import uuid

from mappings.ids import NAMESPACE, resource_id


def test_same_inputs_same_id() -> None:
    assert resource_id("home", "HOME-2026-0142", "CarePlan") == resource_id(
        "home", "HOME-2026-0142", "CarePlan")


def test_each_part_changes_the_id() -> None:
    ids = {
        resource_id("home", "HOME-2026-0142", "Goal", "G1"),
        resource_id("home", "HOME-2026-0142", "Goal", "G2"),
        resource_id("home", "HOME-2026-0142", "Goal"),
        resource_id("home", "HOME-2026-0142", "Task", "G1"),
        resource_id("wrapct", "HOME-2026-0142", "Goal", "G1"),
        resource_id("home", "HOME-2026-0143", "Goal", "G1"),
    }
    assert len(ids) == 6


def test_id_is_the_uuid5_of_the_documented_name() -> None:
    expected = uuid.uuid5(NAMESPACE, "birth-to-three|IFSP-2026-0117|Goal|O1")
    assert resource_id("birth-to-three", "IFSP-2026-0117", "Goal", "O1") == str(expected)
