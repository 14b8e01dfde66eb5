"""The shared plan, derived from Mateo's H.O.M.E., WrapCT and CYSHCN records: equal services
are one activity listing each contributor, disagreements become a Task for the lead
coordinator, the care team has each member once, and the summary is in the family's
language. Deriving again, in any order, gives the same resources."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from mappings.references import repoint
from mappings.registry import map_record
from shared_plan.activities import CONTRIBUTOR
from shared_plan.contribution import Child, Contribution
from shared_plan.derive import CUSTODIAN, derive, part_of, plan_id
from tests.mappings.helpers import VALID
from vocabulary.programs import KEEPERS

JSON = dict[str, Any]
GOLDEN = "golden-mateo"
AUDIOLOGY = "306247008"
MATEO = Child({"reference": f"Patient/{GOLDEN}", "display": "Mateo Rivera"}, "es")


def raw(program: str) -> JSON:
    case = next(c for c in VALID if c.program == program and c.record.stem == "mateo-rivera")
    found: JSON = case.raw()
    return found


def contribution(program: str, record: JSON | None = None) -> Contribution:
    resources = map_record(program, record or raw(program))
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    moved = repoint(resources, f"Patient/{patient['id']}", f"Patient/{GOLDEN}")
    return Contribution(f"{program}/{(record or raw(program))['record_id']}", KEEPERS[program],
                        tuple(part_of(moved, GOLDEN)))


def mateo() -> list[Contribution]:
    return [contribution(p) for p in ("home", "wrapct", "cyshcn")]


def by_type(resources: list[JSON], resource_type: str) -> list[JSON]:
    return [r for r in resources if r["resourceType"] == resource_type]


def codes(contributions: list[Contribution], url: str) -> set[str]:
    resource = next(r for c in contributions for r in c.resources
                    if f"{r['resourceType']}/{r['id']}" == url)
    return {c["code"] for c in resource.get("code", {}).get("coding", ())}


def requests(activity: JSON) -> set[str]:
    return {x["valueReference"]["reference"] for e in activity["extension"]
            if e["url"] == CONTRIBUTOR for x in e["extension"] if x["url"] == "request"}


def test_the_audiology_follow_up_two_programs_ask_for_is_one_activity() -> None:
    contributions = mateo()
    [plan] = by_type(derive(MATEO, contributions), "CarePlan")
    audiology = [a for a in plan["activity"]
                 if AUDIOLOGY in codes(contributions, a["reference"]["reference"])]
    assert len(audiology) == 1
    assert len(requests(audiology[0])) == 2
    assert plan["id"] == plan_id(GOLDEN)
    assert plan["subject"] == MATEO.patient
    assert {c["reference"] for c in plan["contributor"]} == {
        "Organization/home-hhc", "Organization/wrap-north", "Organization/cyshcn-nc"}
    assert plan["extension"] == [{"url": CUSTODIAN,
                                  "valueReference": {"reference": "Organization/wrap-north"}}]


def test_every_open_service_of_every_program_is_in_the_plan() -> None:
    contributions = mateo()
    [plan] = by_type(derive(MATEO, contributions), "CarePlan")
    listed = set().union(*(requests(a) for a in plan["activity"]))
    wanted = {f"ServiceRequest/{r['id']}" for c in contributions
              for r in c.of_type("ServiceRequest") if r["status"] in ("active", "draft", "on-hold")}
    assert wanted <= listed
    goals = {f"Goal/{g['id']}" for c in contributions for g in c.of_type("Goal")}
    assert {g["reference"] for g in plan["goal"]} == goals


def test_deriving_again_in_any_order_gives_the_same_resources() -> None:
    contributions = mateo()
    first = derive(MATEO, contributions)
    for order in itertools.permutations(contributions):
        assert derive(MATEO, list(order)) == first
    for resource in first:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_two_programs_asking_for_one_service_at_different_frequencies_is_a_task() -> None:
    contributions = mateo()
    wrap = raw("wrapct")
    other = copy.deepcopy(wrap)
    other["record_id"] = "WRAP-2026-0999"
    text = json.dumps(other).replace('"weekly"', '"monthly"')
    differing = Contribution("wrapct-copy", "cyshcn-nc",
                             contribution("wrapct", json.loads(text)).resources)
    resources = derive(MATEO, [*contributions, differing])
    tasks = by_type(resources, "Task")
    assert tasks
    assert all(t["focus"] == {"reference": f"CarePlan/{plan_id(GOLDEN)}"} for t in tasks)
    assert any("frequency" in t["description"] for t in tasks)
    assert not by_type(derive(MATEO, contributions), "Task")


def test_the_care_team_has_each_member_once_and_the_summary_speaks_spanish() -> None:
    contributions = mateo()
    twice = [*contributions, Contribution("home/again", "home-hhc", contributions[0].resources)]
    [team] = by_type(derive(MATEO, twice), "CareTeam")
    members = [json.dumps(p["member"], sort_keys=True) for p in team["participant"]]
    assert len(members) == len(set(members))
    [plan] = by_type(derive(MATEO, contributions), "CarePlan")
    assert 'lang="es"' in plan["text"]["div"]
    assert "Plan de cuidado compartido de Mateo Rivera" in plan["text"]["div"]
    english = Child(MATEO.patient, "en")
    [plan] = by_type(derive(english, contributions), "CarePlan")
    assert 'lang="es"' not in plan["text"]["div"]


def test_each_contributor_has_a_provenance_and_program_plans_are_part_of_the_plan() -> None:
    contributions = mateo()
    provenances = by_type(derive(MATEO, contributions), "Provenance")
    assert len(provenances) == len(contributions)
    assert all(p["target"] == [{"reference": f"CarePlan/{plan_id(GOLDEN)}"}] for p in provenances)
    own = [r for c in contributions for r in c.of_type("CarePlan")]
    assert own
    assert all(r["partOf"] == [{"reference": f"CarePlan/{plan_id(GOLDEN)}"}] for r in own)
