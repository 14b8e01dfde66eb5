"""Properties over random Questionnaires and the responses that answer them."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.mappings.sdc.builders import found, response
from tests.mappings.sdc.strategies import SPECS, Spec, answers, form_of, named, places


@settings(max_examples=100)
@given(SPECS, st.data())
def test_a_response_that_answers_everything_correctly_is_valid(
        specs: list[Spec], data: st.DataObject) -> None:
    items = named(specs)
    assert found(form_of(items), response(*answers(data.draw, items))) == []


@settings(max_examples=100)
@given(SPECS, st.data())
def test_removing_a_required_answer_gives_one_required_issue_there(
        specs: list[Spec], data: st.DataObject) -> None:
    items = named(specs)
    nodes = answers(data.draw, items)
    required = [p for p in places(nodes, items)
                if p.item.spec.required and p.item.spec.kind != "group"]
    assume(required)
    place = data.draw(st.sampled_from(required))
    del place.holder[place.index]
    missing = place.expression  # a required question never repeats as items, so no index
    assert found(form_of(items), response(*nodes)) == [(missing, "required")]


@settings(max_examples=100)
@given(SPECS, st.data())
def test_a_draft_may_leave_out_anything(specs: list[Spec], data: st.DataObject) -> None:
    items = named(specs)
    nodes = answers(data.draw, items)
    for place in reversed(list(places(nodes, items))):
        if data.draw(st.booleans()):
            del place.holder[place.index]
    assert found(form_of(items), response(*nodes, status="in-progress")) == []


@settings(max_examples=100)
@given(SPECS, st.data())
def test_swapping_two_different_neighbours_puts_one_out_of_order(
        specs: list[Spec], data: st.DataObject) -> None:
    items = named(specs)
    nodes = answers(data.draw, items)
    pairs = [p for p in places(nodes, items) if p.index + 1 < len(p.holder)
             and p.holder[p.index + 1]["linkId"] != p.holder[p.index]["linkId"]]
    assume(pairs)
    first = data.draw(st.sampled_from(pairs))
    holder, i = first.holder, first.index
    holder[i], holder[i + 1] = holder[i + 1], holder[i]
    assert found(form_of(items), response(*nodes)) == [(first.expression, "structure")]
