"""Structured Data Capture: validate a FHIR R4 QuestionnaireResponse against its Questionnaire.

    terminology = load_profiles(PROFILES)      # once, at start-up
    issues = validate_response(questionnaire, response, terminology)   # [] when valid

Generic and pure: it knows no particular form.
"""

from mappings.sdc.terminology import Terminology, load_profiles
from mappings.sdc.validator import validate_response
from vocabulary.errors import InvalidQuestionnaire, TerminologyError, UnknownValueSet

__all__ = [
    "InvalidQuestionnaire",
    "Terminology",
    "TerminologyError",
    "UnknownValueSet",
    "load_profiles",
    "validate_response",
]
