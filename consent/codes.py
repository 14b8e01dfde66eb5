"""Code systems and codes for security labels, shared by labelling, mappings and decisions.

See https://hl7.org/fhir/R4/security-labels.html and the DS4P IG
(http://hl7.org/fhir/uv/security-label-ds4p/).
"""

from __future__ import annotations

ONEPLAN_BASE = "http://oneplan.example.org/fhir"

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
OBLIGATION_POLICY = "http://terminology.hl7.org/CodeSystem/v3-ObligationPolicy"
REFRAIN_POLICY = "http://terminology.hl7.org/CodeSystem/v3-RefrainPolicy"
# HL7 has no FERPA/IDEA code (DOMAIN.md): OnePlan's own code system carries it.
ONEPLAN_SECURITY = f"{ONEPLAN_BASE}/CodeSystem/oneplan-security"
FERPA = "FERPA"
SEC_LABEL_BASIS = "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis"
