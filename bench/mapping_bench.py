"""Records per second through intake mapping, per program, against a baseline in the same run.

    .venv/bin/python bench/mapping_bench.py [--seconds 1.0]

Pipeline: `json.loads` + record validation + rules + mapping + fhir.resources R4B model
validation (`mappings.registry.map_record`). Baseline: `json.loads` of the same records plus
`model_validate` of the resources they map to, i.e. what any gateway must spend anyway.
The last line is the ratio of pipeline time to baseline time.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from mappings.golden import cases
from mappings.registry import PROGRAMS, map_record


def fixture_texts(program: str) -> list[str]:
    return [c.record.read_text(encoding="utf-8") for c in cases()
            if c.valid and c.program == program]


def rate(run_once: Callable[[], int], seconds: float) -> tuple[float, float]:
    """Repeat `run_once` (which returns records done) for about `seconds`: (records/s, s)."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += run_once()
    return done / elapsed, elapsed / done


def pipeline(program: str, texts: list[str]) -> Callable[[], int]:
    def run() -> int:
        for text in texts:
            map_record(program, json.loads(text))
        return len(texts)
    return run


def baseline(program: str, texts: list[str]) -> Callable[[], int]:
    outputs = [[r.model_dump(mode="json") for r in map_record(program, json.loads(t))]
               for t in texts]

    def run() -> int:
        for text, resources in zip(texts, outputs, strict=True):
            json.loads(text)
            validate_all(resources)
        return len(texts)
    return run


def validate_all(resources: list[dict[str, Any]]) -> None:
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    seconds = parser.parse_args().seconds
    total_pipeline = total_baseline = 0.0
    print(f"{'program':<16}{'records':>8}{'pipeline rec/s':>16}{'baseline rec/s':>16}{'ratio':>8}")
    for program in PROGRAMS:
        texts = fixture_texts(program)
        piped, per_piped = rate(pipeline(program, texts), seconds)
        based, per_based = rate(baseline(program, texts), seconds)
        total_pipeline += per_piped
        total_baseline += per_based
        print(f"{program:<16}{len(texts):>8}{piped:>16.0f}{based:>16.0f}{based / piped:>8.2f}")
    print(f"ratio (pipeline time / baseline time, all programs): "
          f"{total_pipeline / total_baseline:.2f}")


if __name__ == "__main__":
    main()
