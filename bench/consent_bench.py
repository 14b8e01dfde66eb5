"""Consent decision overhead: decide() per resource against the cost of handling it at all.

Workload: one requester (Dr. Whitfield, capitol-peds, TREAT, on the care team) filters a
1,000-resource search result for Mateo Rivera, who has 5 active Consents with nested
provisions. Baseline, measured in the same run: iterating the same 1,000 resources and calling
`model_dump()` on each (fhir.resources R4B). The last line printed is the ratio.

    .venv/bin/python bench/consent_bench.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from pydantic import BaseModel

from consent import codes
from consent.decision import Decision
from consent.engine import decide
from consent.labels import LabelContext, MinorConsent, label
from consent.provisions import compile_consents
from consent.requester import Membership, Requester
from consent.rules import Policy, load_policy

T = TypeVar("T")
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
PATIENT = "Patient/mateo-rivera"
ROUNDS = 7
SIZE = 1000
SOURCES = ("home", "wrapct", "riverside-bh", "cyshcn", "help-me-grow", "lincoln-sbhc", "harbor-sud")
DIAGNOSES = ("F41.1", "F93.0", "J45.909", "H90.5", "F12.10", "Z00.129", "R62.50")


def _coded(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _care_plan(i: int, source: str) -> dict[str, Any]:
    activity = {
        "detail": {
            "status": "scheduled",
            "code": _coded(codes.SNOMED, "306226009"),
            "description": f"Counseling session {i}",
            "scheduledPeriod": {"start": "2026-09-08", "end": "2026-12-15"},
        }
    }
    return {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": f"Plan {i}",
        "category": [
            _coded("http://hl7.org/fhir/us/core/CodeSystem/careplan-category", "assess-plan")
        ],
        "period": {"start": "2026-01-15"},
        "activity": [activity, activity],
        "note": [{"text": "Family prefers Spanish; interpreter needed."}],
        "meta": {"source": codes.program_source(source)},
    }


def _condition(i: int, source: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "clinicalStatus": _coded(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
        ),
        "code": _coded(codes.ICD10CM, DIAGNOSES[i % len(DIAGNOSES)]),
        "recordedDate": "2026-03-14",
        "note": [{"text": "Reported by mother at intake."}],
        "meta": {"source": codes.program_source(source)},
    }


def _observation(i: int, source: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": _coded("http://loinc.org", "44249-1"),
        "valueInteger": i % 27,
        "effectiveDateTime": f"2026-0{1 + i % 8}-10",
        "meta": {"source": codes.program_source(source)},
    }


def _service_request(i: int, source: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "code": _coded(codes.SNOMED, "390866009" if i % 2 else "306247008"),
        "authoredOn": "2026-02-01",
        "reasonCode": [{"text": "School refusal"}],
        "meta": {"source": codes.program_source(source)},
    }


BUILDERS = (_care_plan, _condition, _observation, _service_request)


def search_result() -> list[BaseModel]:
    """1,000 labelled resources of one patient, as fhir.resources R4B models."""
    models: list[BaseModel] = []
    for i in range(SIZE):
        data = BUILDERS[i % len(BUILDERS)](i, SOURCES[i % len(SOURCES)])
        data |= {"id": f"r{i}", "subject": {"reference": PATIENT}}
        part2 = data["meta"]["source"].endswith("harbor-sud")
        minor: MinorConsent | None = "substance-use" if part2 else None
        labelled = label(data, LabelContext(minor_consent=minor))
        models.append(get_fhir_model_class(data["resourceType"]).model_validate(labelled))
    return models


def _consent(cid: str, org: str, nested: list[dict[str, Any]]) -> dict[str, Any]:
    role = _coded(codes.PARTICIPATION_TYPE, "IRCP")
    return {
        "resourceType": "Consent",
        "id": cid,
        "status": "active",
        "scope": _coded(codes.CONSENT_SCOPE, "patient-privacy"),
        "category": [_coded("http://loinc.org", "64292-6")],
        "patient": {"reference": PATIENT},
        "performer": [{"reference": "RelatedPerson/lucia-rivera"}],
        "policyRule": _coded(
            "http://terminology.hl7.org/CodeSystem/consentpolicycodes", "hipaa-auth"
        ),
        "provision": {
            "type": "permit",
            "period": {"start": "2026-01-01", "end": "2027-01-01"},
            "actor": [{"role": role, "reference": {"reference": f"Organization/{org}"}}],
            "purpose": [{"system": codes.ACT_REASON, "code": p} for p in ("TREAT", "CAREMGT")],
            "provision": nested,
        },
    }


def _deny(**criteria: Any) -> dict[str, Any]:
    return {"type": "deny", **criteria}


def consents() -> list[dict[str, Any]]:
    """Five active Consents, each with nested deny exceptions (one nested two deep)."""
    mh = [{"system": codes.ACT_CODE, "code": "MH"}]
    hiv = [{"system": codes.ACT_CODE, "code": "HIV"}]
    obs = [{"system": codes.RESOURCE_TYPES, "code": "Observation"}]
    before = {"start": "2000-01-01", "end": "2025-12-31"}
    exception = {"type": "permit", "purpose": [{"system": codes.ACT_REASON, "code": "TREAT"}]}
    return [
        _consent("c-peds", "capitol-peds", [_deny(securityLabel=hiv), _deny(dataPeriod=before)]),
        _consent("c-home", "home-hhc", [_deny(securityLabel=mh), _deny(**{"class": obs})]),
        _consent("c-wrap", "wrap-north", [_deny(securityLabel=hiv, provision=[exception])]),
        _consent("c-bh", "riverside-bh", [_deny(dataPeriod=before), _deny(securityLabel=hiv)]),
        _consent("c-cyshcn", "cyshcn-nc", [_deny(securityLabel=mh), _deny(securityLabel=hiv)]),
    ]


def timed(call: Callable[[T], object], items: Sequence[T]) -> list[float]:
    """Seconds per `call(item)`, one measurement per item."""
    clock = time.perf_counter
    out = []
    for item in items:
        start = clock()
        call(item)
        out.append(clock() - start)
    return out


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def micros(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


WHITFIELD = Requester(
    who="Practitioner/ana-whitfield",
    role="pcp",
    purpose="TREAT",
    organization="Organization/capitol-peds",
    care_teams=frozenset({Membership("CareTeam/mateo-rivera-team", PATIENT)}),
)


@dataclass
class Timings:
    dumps: list[list[float]] = field(default_factory=list)
    decisions: list[list[float]] = field(default_factory=list)
    singles: list[list[float]] = field(default_factory=list)
    compiles: list[float] = field(default_factory=list)


def measure(policy: Policy, models: list[BaseModel], raw: list[dict[str, Any]]) -> Timings:
    dicts = [m.model_dump(mode="json", exclude_none=True) for m in models]
    runs = Timings()
    for _ in range(ROUNDS):
        runs.dumps.append(timed(BaseModel.model_dump, models))
        compiled = compile_consents(raw)  # once per request: the patient's Consents

        def one(resource: dict[str, Any], consents: Any = compiled) -> Decision:
            return decide(WHITFIELD, "search", resource, consents, policy, NOW)

        runs.decisions.append(timed(one, dicts))
        runs.singles.append(timed(lambda r: decide(WHITFIELD, "read", r, raw, policy, NOW), dicts))
        runs.compiles.extend(timed(compile_consents, [raw]))
    return runs


def report(runs: Timings) -> None:
    dump_total = statistics.median(sum(r) for r in runs.dumps)
    decide_total = statistics.median(sum(r) for r in runs.decisions)
    single_total = statistics.median(sum(r) for r in runs.singles)
    per_decision = [s for r in runs.decisions for s in r]
    per_dump = [s for r in runs.dumps for s in r]
    print(f"single resource (Consents compiled per call): {SIZE / single_total:,.0f} decisions/s")
    print(f"search filter (Consents compiled once): {SIZE / decide_total:,.0f} decisions/s")
    print(f"compile 5 Consents: p50 {micros(percentile(runs.compiles, 0.5))}")
    print(
        f"decide per resource: p50 {micros(percentile(per_decision, 0.5))}, "
        f"p99 {micros(percentile(per_decision, 0.99))}"
    )
    print(
        f"model_dump per resource: p50 {micros(percentile(per_dump, 0.5))}, "
        f"p99 {micros(percentile(per_dump, 0.99))}"
    )
    print(
        f"{SIZE:,}-resource search: decide {decide_total * 1e3:.2f} ms, "
        f"model_dump {dump_total * 1e3:.2f} ms"
    )
    print(f"ratio decide/model_dump: {decide_total / dump_total:.3f}")


def main() -> None:
    policy, models, raw = load_policy(), search_result(), consents()
    compiled = compile_consents(raw)
    verdicts = [
        decide(
            WHITFIELD, "search", m.model_dump(mode="json", exclude_none=True), compiled, policy, NOW
        )
        for m in models
    ]
    print(f"policy {policy.version}; {SIZE} resources, 5 Consents; {ROUNDS} rounds, medians")
    print(f"permitted {sum(v.permitted for v in verdicts)} of {SIZE} for {WHITFIELD.who} (TREAT)")
    report(measure(policy, models, raw))


if __name__ == "__main__":
    main()
