"""Validation time per KB of request body, for hostile bodies up to the body limit, against a
baseline in the same run.

    .venv/bin/python bench/validation_bench.py [--limit 1000000]

Each shape is grown (doubling) until its body would pass the gateway's body limit: Green Form
responses (`mappings.sdc.validate_response`) with many repeated groups, deep nesting, long
strings, many answers and many stray items; program records (`mappings.registry.
validate_record`, schema and rules) with many services, long strings and many steps. A body the
validator refuses (TooComplex, ValidationFailed) counts: refusing is validating. Baseline:
`json.loads` of the same body, what any gateway must spend anyway. It prints the worst
validation time of any body, the worst ms per KB of both, and, as its last line, the ratio of
worst validation ms/KB to worst json.loads ms/KB.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from gateway.devtools.golden import RECORDS
from gateway.devtools.green_form_golden import FIXTURES, questionnaire, terminology
from mappings.registry import validate_record
from mappings.sdc import validate_response
from vocabulary.errors import OnePlanError
from vocabulary.fhir import JSON

Grow = Callable[[int], JSON]


def green_form() -> JSON:
    loaded: JSON = json.loads((FIXTURES / "valid" / "grace-okafor-depression.json").read_text())
    return loaded


def ifsp() -> JSON:
    path = RECORDS / "birth-to-three" / "valid" / "sofia-initial.json"
    loaded: JSON = json.loads(path.read_text())
    return loaded


def _referral(form: JSON) -> list[JSON]:
    found: list[JSON] = next(i for i in form["item"] if i["linkId"] == "referral")["item"]
    return found


def _before(items: list[JSON], link_id: str, new: list[JSON]) -> None:
    at = next(n for n, i in enumerate(items) if i["linkId"] == link_id)
    items[at:at] = new


def empty_groups(n: int) -> JSON:
    form = green_form()
    _before(_referral(form), "family-goals", [{"linkId": "allergy"} for _ in range(n)])
    return form


def medications(n: int) -> JSON:
    form = green_form()
    entries = [{"linkId": "medication", "item": [
        {"linkId": "medication.name", "answer": [{"valueString": f"Drug {k}"}]}]}
        for k in range(n)]
    _before(_referral(form), "allergies-known", entries)
    return form


def deep(n: int) -> JSON:
    form = green_form()
    inner: JSON = {"linkId": "medication"}
    for _ in range(n):
        inner = {"linkId": "medication", "item": [inner]}
    _before(_referral(form), "allergies-known", [inner])
    return form


def long_string(n: int) -> JSON:
    form = green_form()
    reason = next(i for i in _referral(form) if i["linkId"] == "referral.reason")
    reason["answer"] = [{"valueString": "x" * n}]
    return form


def many_answers(n: int) -> JSON:
    form = green_form()
    diagnosis = next(i for i in _referral(form) if i["linkId"] == "diagnosis")
    diagnosis["answer"] = [copy.deepcopy(diagnosis["answer"][0]) for _ in range(n)]
    return form


def strays(n: int) -> JSON:
    form = green_form()
    form["item"] += [{"linkId": f"stray-{k}", "answer": [{"valueString": "x"}]}
                     for k in range(n)]
    return form


def services(n: int) -> JSON:
    record = ifsp()
    record["services"] = [dict(record["services"][0], id=f"svc-{k}") for k in range(n)]
    return record


def record_long_string(n: int) -> JSON:
    record = ifsp()
    record["present_levels"]["physical"] = "x" * n
    return record


def steps(n: int) -> JSON:
    record = ifsp()
    record["transition"]["steps"] = [f"Step {k}" for k in range(n)]
    return record


FORM_SHAPES: dict[str, Grow] = {
    "empty repeated groups": empty_groups, "medications": medications, "deep nesting": deep,
    "long string": long_string, "many answers": many_answers, "stray items": strays,
}
RECORD_SHAPES: dict[str, Grow] = {
    "services": services, "long string": record_long_string, "steps": steps,
}


def bodies(grow: Grow, limit: int) -> Iterator[str]:
    """The shape's bodies, doubling, while under the limit (and while Python's json, which
    recurses, can still write them: the gateway refuses deeper bodies before parsing)."""
    n = 1
    while True:
        try:
            body = json.dumps(grow(n))
        except RecursionError:
            return
        if len(body) > limit:
            return
        yield body
        n *= 2


def timed(action: Callable[[str], Any], body: str, runs: int = 3) -> float:
    """The best of `runs`, so that a collection or a cold cache does not count."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(OnePlanError):  # a located refusal is validation too
            action(body)
        best = min(best, time.perf_counter() - started)
    return best


def validate_form(body: str) -> None:
    validate_response(questionnaire(), json.loads(body), terminology())


def validate_program_record(body: str) -> None:
    validate_record("birth-to-three", json.loads(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1_000_000, help="body limit in bytes")
    limit = parser.parse_args().limit
    terminology()  # loaded once at start-up, as in the gateway
    worst = {"seconds": 0.0, "validation": 0.0, "baseline": 0.0}
    where = {"seconds": "", "validation": ""}
    kinds = [("Green Form", FORM_SHAPES, validate_form),
             ("Birth to Three record", RECORD_SHAPES, validate_program_record)]
    for kind, shapes, validate in kinds:
        for name, grow in shapes.items():
            for body in bodies(grow, limit):
                kb = len(body) / 1024
                seconds, baseline = timed(validate, body), timed(json.loads, body)
                label = f"{kind}, {name}, {kb:.0f} KB"
                for key, value in (("seconds", seconds), ("validation", seconds * 1000 / kb)):
                    if value > worst[key]:
                        worst[key], where[key] = value, label
                worst["baseline"] = max(worst["baseline"], baseline * 1000 / kb)
            print(f"{kind}, {name}: largest body {kb:.0f} KB, validated in "
                  f"{seconds * 1000:.1f} ms ({seconds * 1000 / kb:.3f} ms/KB; json.loads "
                  f"{baseline * 1000 / kb:.4f} ms/KB)")
    print(f"worst validation time of any body under {limit} bytes: "
          f"{worst['seconds'] * 1000:.1f} ms ({where['seconds']})")
    print(f"worst ms/KB: validation {worst['validation']:.3f} ({where['validation']}), "
          f"json.loads {worst['baseline']:.4f}")
    print(f"ratio {worst['validation'] / worst['baseline']:.1f}")


if __name__ == "__main__":
    main()
