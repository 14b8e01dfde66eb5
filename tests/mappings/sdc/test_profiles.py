"""The Questionnaires OnePlan publishes in profiles/ can judge responses with the terminology
beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mappings.sdc import load_profiles, validate_response
from mappings.sdc.questionnaire import Form
from vocabulary.data import PROFILES

QUESTIONNAIRES = sorted(p for p in PROFILES.rglob("Questionnaire-*.json")
                        if "node_modules" not in p.relative_to(PROFILES).parts)


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_a_published_questionnaire_is_valid_and_its_value_sets_expand(path: Path) -> None:
    questionnaire = json.loads(path.read_text(encoding="utf-8"))
    terminology = load_profiles(PROFILES)
    draft = {"resourceType": "QuestionnaireResponse", "questionnaire": questionnaire["url"],
             "status": "in-progress"}
    assert validate_response(questionnaire, draft, terminology) == []
    for item in Form.of(questionnaire).items.values():
        if "answerValueSet" in item:
            assert terminology.expand(item["answerValueSet"]), item["linkId"]
