"""Green Form submissions per second, end to end through the gateway into a local HAPI,
against HAPI accepting the same extracted transactions posted directly.

    .venv/bin/python bench/green_form_bench.py [--forms 60] [--hapi-url URL]

Forms are the valid referral fixtures, each copied with fresh form numbers so that every
submission creates its own resources. First it prints validation plus extraction time per
form without HAPI (p50, p99). Then it starts a throw-away local HAPI (unless `--hapi-url`
names one), loads the CAST organizations and the profiles, and times the same number of forms
posted to the gateway's `POST /fhir/QuestionnaireResponse` (in-process, through the ASGI app)
and, on other copies, their extraction Bundles posted to HAPI directly, taking turns after a
warm-up. The last line is the ratio of gateway time to HAPI-direct time per form.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.conformance import Conformance
from gateway.devtools.green_form_golden import cases
from gateway.devtools.hapi import throwaway_hapi
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle, load_conformance
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from gateway.usecases.submission import Submissions
from mappings.green_form import plan
from mappings.green_form.extract import extract

T = TypeVar("T")
WARM_UP = 100


def forms(count: int, tag: str) -> list[dict[str, Any]]:
    """`count` valid referrals: the fixtures in turn, each with a fresh form number."""
    referrals = [c.raw() for c in cases() if c.valid and not c.is_feedback]
    return [{**form, "identifier": {**form["identifier"],
                                    "value": f"{form['identifier']['value']}-{tag}{n}"}}
            for n, form in ((n, referrals[n % len(referrals)]) for n in range(count))]


def timed(step: Callable[[T], object], items: Iterable[T]) -> list[float]:
    seconds = []
    for item in items:
        start = time.perf_counter()
        step(item)
        seconds.append(time.perf_counter() - start)
    return seconds


def percentiles(seconds: list[float]) -> str:
    cuts = statistics.quantiles(seconds, n=100)
    return f"p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms"


def pure_step(conformance: Conformance) -> Callable[[dict[str, Any]], object]:
    checker = Submissions(FhirStore.at("http://unused.invalid"), conformance)
    return lambda form: plan.bundle(checker.checked(form), {})


def end_to_end(url: str, count: int) -> tuple[float, float]:
    """Seconds per form through the gateway, and posted directly to HAPI. HAPI is warmed up
    first (its JIT makes the first hundred transactions several times slower), then the two
    take turns form by form, so neither gets a warmer or fuller server than the other."""
    with FhirStore.at(url, timeout=120) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
        load_conformance(store, SYSTEM)
        with TestClient(create_app(Settings(hapi_url=url, log_level="WARNING"))) as gateway:
            def through(form: dict[str, Any]) -> None:
                _created(gateway.post("/fhir/QuestionnaireResponse", json=form))

            def straight(bundle: dict[str, Any]) -> None:
                store.transaction(SYSTEM, bundle)

            for form, other in zip(forms(WARM_UP, "warm"), forms(WARM_UP, "warm-direct"),
                                   strict=True):
                through(form)
                straight(extract(other))
            pairs = zip(forms(count, "gateway"), (extract(f) for f in forms(count, "direct")),
                        strict=True)
            timings = [(timed(through, [g])[0], timed(straight, [d])[0]) for g, d in pairs]
    return (statistics.fmean(t for t, _ in timings), statistics.fmean(t for _, t in timings))


def _created(response: Any) -> None:
    if response.status_code != 201:
        raise SystemExit(f"gateway answered {response.status_code}: {response.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=60, help="forms per measurement")
    parser.add_argument("--hapi-url", help="a HAPI to write to (default: start one)")
    args = parser.parse_args()
    pure = timed(pure_step(Conformance.load()), forms(max(args.forms, 200), "pure"))
    print(f"validation + extraction per form, no HAPI ({len(pure)} forms): {percentiles(pure)}")
    if args.hapi_url:
        gateway, direct = end_to_end(args.hapi_url, args.forms)
    else:
        with throwaway_hapi() as hapi:
            gateway, direct = end_to_end(hapi.url, args.forms)
    print(f"gateway end to end: {1 / gateway:.1f} forms/s ({gateway * 1000:.0f} ms per form)")
    print(f"HAPI direct, same transactions: {1 / direct:.1f} forms/s "
          f"({direct * 1000:.0f} ms per form)")
    print(f"ratio gateway/HAPI-direct (time per form): {gateway / direct:.2f}")


if __name__ == "__main__":
    main()
