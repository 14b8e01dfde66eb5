"""check_consent(): intake refuses the Consents decide() would have to ignore."""

from __future__ import annotations

import pytest

from consent.intake import check_consent, consent_issues
from tests.consent.builders import consent, provision
from vocabulary.errors import ValidationFailed

PEDS = "Organization/capitol-peds"


def test_a_privacy_consent_without_a_patient_is_refused_at_intake() -> None:
    orphan = {k: v for k, v in consent(provision(actors=(PEDS,))).items() if k != "patient"}
    with pytest.raises(ValidationFailed) as raised:
        check_consent(orphan)
    [issue] = raised.value.issues
    assert (issue.expression, issue.code) == ("Consent.patient", "invariant")


def test_an_authorization_without_an_expiry_date_is_refused() -> None:
    open_ended = consent(provision(actors=(PEDS,), period={"start": "2026-01-01"}))
    [issue] = consent_issues(open_ended)
    assert "164.508(c)(1)(v)" in issue.diagnostics
    assert issue.expression == "Consent.provision"


def test_a_compound_psychotherapy_note_authorization_is_refused() -> None:
    compound = consent(provision(actors=(PEDS,), children=(provision(labels=("PSYTHPN",)),)))
    [issue] = consent_issues(compound)
    assert "164.508(b)(3)(ii)" in issue.diagnostics


def test_a_well_formed_release_passes() -> None:
    check_consent(consent(provision(actors=(PEDS,))))
    assert consent_issues(consent(provision(actors=(PEDS,), labels=("PSYTHPN",)))) == []
