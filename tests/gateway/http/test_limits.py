"""The edge's limits on a body: UTF-8, nesting depth, and the time to send it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Message

from gateway.app import create_app
from gateway.http.limits import BodyLimit
from gateway.http.nesting import depth, path_of, too_deep
from gateway.settings import Settings
from tests.gateway.http.fake_hapi import HAPI
from tests.mappings.green_form.helpers import REFERRALS

FHIR = {"Content-Type": "application/fhir+json"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, log_format="console"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def nested_form(levels: int) -> bytes:
    """A Green Form whose first item nests `levels` groups deep."""
    form = REFERRALS[0].raw()
    item: dict[str, object] = {"linkId": "deep"}
    for _ in range(levels):
        item = {"linkId": "deep", "item": [item]}
    form["item"] = [item, *form.get("item", [])]
    return json.dumps(form).encode()


@pytest.mark.parametrize("path", ["/fhir/QuestionnaireResponse", "/intake/home"])
def test_invalid_utf8_is_400_malformed_json(client: TestClient, path: str) -> None:
    response = client.post(path, content=b'{"resourceType": "Questionnaire\xffResponse"}',
                           headers=FHIR)
    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert (issue["code"], issue["details"]["coding"][0]["code"]) == ("structure",
                                                                      "malformed-json")
    assert "UTF-8" in issue["diagnostics"]


def test_a_green_form_nested_130_levels_is_422_too_complex_where_it_nests(
        client: TestClient) -> None:
    body = nested_form(130)
    response = client.post("/fhir/QuestionnaireResponse", content=body, headers=FHIR)
    assert response.status_code == 422
    issue = response.json()["issue"][0]
    assert issue["details"]["coding"][0]["code"] == "too-complex"
    assert "64" in issue["diagnostics"]
    assert issue["expression"][0].startswith("item[0].item[0].item[0]")


def test_nesting_under_the_limit_reaches_the_validator(client: TestClient) -> None:
    response = client.post("/fhir/QuestionnaireResponse", content=nested_form(10), headers=FHIR)
    assert response.status_code == 422
    assert "request body nests" not in response.text


@pytest.mark.parametrize(("body", "expected"), [
    (b"[[1]]", None),
    (b"[[[1]]]", [0, 0]),
    (b'{"a": {"b": [1, {"c": 1}]}}', ["a", "b"]),
    (b'{"a": [1, [1]]}', ["a", 1]),
    (b'{"a": 1, "b": [0, 0, [[]]]}', ["b", 2]),
    (b'{"s": "[[[[[[", "t": [1]}', None),
    (b'{"s": "\\"[[[[", "k\\"ey": [[{}]]}', ['k"ey', 0]),
    (b'"unterminated [[[[[', None),
])
def test_too_deep_respects_strings_and_escapes(body: bytes, expected: list[int | str] | None
                                               ) -> None:
    assert too_deep(body, 2) == expected


def test_too_deep_paths_read_as_field_paths() -> None:
    assert path_of(["item", 0, "answer", 1]) == "item[0].answer[1]"
    assert path_of([]) == "$"


def test_a_body_not_sent_in_time_is_408() -> None:
    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the app must not see a body that never came")

    sent: list[Message] = []

    async def stalled() -> Message:
        await asyncio.sleep(10)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/intake/home",
             "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")]}
    asyncio.run(BodyLimit(app, max_bytes=1000, timeout=0.1)(scope, stalled, send))
    assert sent[0]["status"] == 408
    outcome = json.loads(sent[1]["body"])
    assert outcome["issue"][0]["details"]["coding"][0]["code"] == "request-timeout"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(alphabet='[]{}"\\ab'), inner, max_size=3), max_leaves=20)


def nesting(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    return 0


@given(json_values)
def test_depth_counts_only_brackets_outside_strings(value: object) -> None:
    assert depth(json.dumps(value).encode()) == nesting(value)
