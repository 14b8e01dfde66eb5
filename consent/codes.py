"""Code systems and codes for security labels, shared by labelling, mappings and decisions.

See https://hl7.org/fhir/R4/security-labels.html and the DS4P IG
(http://hl7.org/fhir/uv/security-label-ds4p/).
"""

from __future__ import annotations

from vocabulary.programs import KEEPERS, SOURCES

ONEPLAN_BASE = "http://oneplan.example.org/fhir"

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
OBLIGATION_POLICY = "http://terminology.hl7.org/CodeSystem/v3-ObligationPolicy"
REFRAIN_POLICY = "http://terminology.hl7.org/CodeSystem/v3-RefrainPolicy"
# HL7 has no FERPA/IDEA code (DOMAIN.md): OnePlan's own code system carries it.
ONEPLAN_SECURITY = f"{ONEPLAN_BASE}/CodeSystem/oneplan-security"
FERPA = "FERPA"
SEC_LABEL_BASIS = (
    "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis"
)
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
RESOURCE_TYPES = "http://hl7.org/fhir/resource-types"
SDOHCC_TEMPORARY = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
)

# The policy a label or a decision implements: one code per file in consent/policy/.
ONEPLAN_POLICY = f"{ONEPLAN_BASE}/CodeSystem/oneplan-policy"
# Legal authority over a patient, recorded on the RelatedPerson at intake (consent/record.py).
LEGAL_AUTHORITY = f"{ONEPLAN_BASE}/CodeSystem/oneplan-legal-authority"
LEGAL_AUTHORITY_DISPLAYS = {
    "legal-custody": "legal custody",
    "legal-guardian": "legal guardian",
    "dcf-guardian": "DCF guardianship",
    "suspected-abuse": "suspected of abuse",
}
# Care a parent consented to on the minor's behalf: the minor-confidential rules do not withhold it.
PARENT_CONSENTED = "parent-consented"
# Document types HL7 has no code for (DOMAIN.md: never invent a standard code).
ONEPLAN_DOCUMENT_TYPE = f"{ONEPLAN_BASE}/CodeSystem/oneplan-document-type"
PSYCHOTHERAPY_NOTE = "psychotherapy-note"
# Part 2 SUD counseling notes (42 CFR 2.11, 2024): HL7 has no label for them.
SUD_COUNSELING_NOTE = "SUDCNOTE"

ORGANIZATIONS = (
    "capitol-peds",
    "riverside-bh",
    "harbor-sud",
    "home-hhc",
    "wrap-north",
    "b23-hartford",
    "cyshcn-nc",
    "hmg-211",
    "lincoln-sbhc",
    "lincoln-school",
    "ccmc-ed",
)
ORGANIZATION_NAMES: dict[str, str] = {
    "capitol-peds": "Capitol Pediatrics",
    "riverside-bh": "Riverside Child & Family Behavioral Health",
    "harbor-sud": "Harbor Adolescent Recovery Program",
    "home-hhc": "Community Health Outreach (H.O.M.E.)",
    "wrap-north": "North Central Wraparound Agency",
    "b23-hartford": "Greater Hartford Birth to Three",
    "cyshcn-nc": "North Central Medical Home Support Center",
    "hmg-211": "211 Child Development Infoline (Help Me Grow)",
    "lincoln-sbhc": "Lincoln Elementary School-Based Health Center",
    "lincoln-school": "Lincoln Elementary School",
    "ccmc-ed": "Children's Medical Center Emergency Department",
}
PROGRAM_BASE = f"{ONEPLAN_BASE}/program/"

CONFIDENTIALITY_CODES = ("U", "L", "M", "N", "R", "V")

# Which code system each bare security-label or obligation code belongs to.
LABEL_SYSTEMS: dict[str, str] = {
    **dict.fromkeys(CONFIDENTIALITY_CODES, CONFIDENTIALITY),
    **dict.fromkeys(
        ("ETH", "SUD", "MH", "PSY", "PSYTHPN", "BH", "SDV", "SEX", "STD", "HIV", "ADOL"), ACT_CODE
    ),
    **dict.fromkeys(("42CFRPart2", "HIPAAPsyNotes"), ACT_CODE),
    FERPA: ONEPLAN_SECURITY,
    PARENT_CONSENTED: ONEPLAN_SECURITY,
    SUD_COUNSELING_NOTE: ONEPLAN_SECURITY,
}
# Duties HL7 has no code for: notices that travel with released data, and notifications.
ONEPLAN_OBLIGATION = f"{ONEPLAN_BASE}/CodeSystem/oneplan-obligation"
LOCAL_OBLIGATIONS: dict[str, str] = {
    "part2-notice": "attach the 42 CFR 2.32 notice and a copy or clear explanation of the consent",
    "hiv-notice": "attach the CGS 19a-585 notice prohibiting further disclosure",
    "ferpa-redisclosure": "the recipient may redisclose only as 34 CFR 99.33 allows",
    "ferpa-disclosure-record": "record the disclosure in the education record (34 CFR 99.32)",
    "notify-privacy-officer": "notify the privacy officer of the emergency access",
    "notify-part2-program": "notify the Part 2 program, which documents it (42 CFR 2.51(c))",
}
OBLIGATION_SYSTEMS: dict[str, str] = {
    "NORDSCLCD": REFRAIN_POLICY,
    "NODSCLCD": REFRAIN_POLICY,
    "REDACT": OBLIGATION_POLICY,
    "MASK": OBLIGATION_POLICY,
    "CPLYCD": OBLIGATION_POLICY,
    **dict.fromkeys(LOCAL_OBLIGATIONS, ONEPLAN_OBLIGATION),
}
DISPLAYS: dict[str, str] = {
    "U": "unrestricted",
    "L": "low",
    "M": "moderate",
    "N": "normal",
    "R": "restricted",
    "V": "very restricted",
    "ETH": "substance abuse information sensitivity",
    "SUD": "substance use disorder information sensitivity",
    "MH": "mental health information sensitivity",
    "PSY": "psychiatry disorder information sensitivity",
    "PSYTHPN": "psychotherapy note information sensitivity",
    "BH": "behavioral health information sensitivity",
    "SDV": "sexual assault, abuse, or domestic violence information sensitivity",
    "SEX": "sexuality and reproductive health information sensitivity",
    "STD": "sexually transmitted disease information sensitivity",
    "HIV": "HIV/AIDS information sensitivity",
    "ADOL": "adolescent information sensitivity",
    "42CFRPart2": "42 CFR Part2",
    "HIPAAPsyNotes": "HIPAA psychotherapy notes",
    FERPA: "FERPA / IDEA Part C education record",
    PARENT_CONSENTED: "care a parent or guardian consented to for the minor",
    SUD_COUNSELING_NOTE: "SUD counseling note",
    "NORDSCLCD": "no redisclosure without consent directive",
    "NODSCLCD": "no disclosure without consent directive",
    "REDACT": "redact",
    "MASK": "mask",
    "CPLYCD": "comply with consent directive",
}


def program_source(key: str) -> str:
    """The `meta.source` URI for records from a program or a CAST organization."""
    if key not in SOURCES and key not in ORGANIZATIONS:
        raise ValueError(f"unknown program or organization: {key!r}")
    return PROGRAM_BASE + key


def source_key(source: str | None) -> str | None:
    """The program or organization key of a `meta.source` URI (any `#fragment` ignored)."""
    if not source or not source.startswith(PROGRAM_BASE):
        return None
    return source[len(PROGRAM_BASE) :].split("#", 1)[0].strip("/") or None


def custodian_key(source: str | None) -> str | None:
    """The organization key of whoever keeps a record with this `meta.source` key."""
    return KEEPERS.get(source, source) if source else None


def organization_reference(key: str) -> str:
    if key not in ORGANIZATIONS:
        raise ValueError(f"unknown organization: {key!r}")
    return f"Organization/{key}"


def label_coding(code: str) -> dict[str, str]:
    """A bare security-label code as a FHIR Coding (https://hl7.org/fhir/R4/datatypes.html#Coding)."""
    coding = {"system": LABEL_SYSTEMS[code], "code": code}
    if code in DISPLAYS:
        coding["display"] = DISPLAYS[code]
    return coding
