"""The one transaction builder: entries HAPI accepts for every writer."""

from __future__ import annotations

import uuid

from vocabulary import transaction as tx


def test_a_deterministic_id_is_its_own_full_url() -> None:
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, "x"))
    entry = tx.put({"resourceType": "Goal", "id": rid})
    assert entry["fullUrl"] == f"urn:uuid:{rid}"
    assert entry["request"] == {"method": "PUT", "url": f"Goal/{rid}"}


def test_other_ids_get_no_full_url_so_artefacts_sharing_an_id_can_go_together() -> None:
    bundle = tx.puts([{"resourceType": "ValueSet", "id": "green-form"},
                      {"resourceType": "Questionnaire", "id": "green-form"}])
    assert [e.get("fullUrl") for e in bundle["entry"]] == [None, None]
    assert [e["request"]["url"] for e in bundle["entry"]] == [
        "ValueSet/green-form", "Questionnaire/green-form"]


def test_put_can_be_conditional_on_the_version_read() -> None:
    entry = tx.put({"resourceType": "Task", "id": "t1"}, if_match="3")
    assert entry["request"]["ifMatch"] == 'W/"3"'


def test_batch_reads_in_one_bundle() -> None:
    assert tx.batch(["Task/a", "Task/a", "Provenance/b"])["entry"] == [
        {"request": {"method": "GET", "url": "Task/a"}},
        {"request": {"method": "GET", "url": "Task/a"}},
        {"request": {"method": "GET", "url": "Provenance/b"}}]
