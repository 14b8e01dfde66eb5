"""explain(): a decision in plain words for a privacy officer."""

from __future__ import annotations

import re

from consent import codes
from consent.decision import Decision, Effect, Reason

VERDICTS = {
    Effect.PERMIT: "Permitted",
    Effect.DENY: "Denied",
    Effect.PERMIT_WITH_REDACTION: "Permitted with redaction",
}
DUTIES = {
    "NORDSCLCD": "the recipient may not redisclose it without the patient's consent",
    "NODSCLCD": "it may not be disclosed without the patient's consent",
    "REDACT": "these elements are removed before release",
    "MASK": "these elements are masked before release",
    "CPLYCD": "the recipient must comply with the consent directive",
    **codes.LOCAL_OBLIGATIONS,
}


def _label_words(labels: tuple[str, ...]) -> str:
    ordered = sorted(labels, key=lambda code: (code not in codes.CONFIDENTIALITY_CODES, code))
    named = [codes.DISPLAYS.get(code, code) for code in ordered]
    return "record labelled " + ", ".join(named) if named else "record without security labels"


def _provision_words(path: str) -> str:
    """`provision.provision[0]` reads as ` provision 1`; the root provision as nothing."""
    numbers = [str(int(n) + 1) for n in re.findall(r"\[(\d+)\]", path)]
    return " provision " + ".".join(numbers) if numbers else ""


def _names(text: str) -> str:
    return re.sub(
        r"Organization/([\w-]+)", lambda m: codes.ORGANIZATION_NAMES.get(m[1], m[0]), text
    )


def reason_words(reason: Reason) -> str:
    if reason.kind == "consent" and reason.path:
        return _names(f"{reason.ref}{_provision_words(reason.path)} {reason.text}")
    if reason.kind == "consent":
        return _names(reason.text)
    return f"{reason.text} [{reason.ref}]"


def explain(decision: Decision) -> str:
    """E.g. "Denied: record labelled 42 CFR Part2, ...; <why>; <notes>. Policy 2026.09+..."."""
    parts = [f"{VERDICTS[decision.effect]}: {_label_words(decision.labels)}"]
    parts += [reason_words(r) for r in decision.decisive]
    parts += [f"note: {reason_words(r)}" for r in decision.reasons if not r.decisive]
    parts += [_duty_words(code, elements) for code, elements in _duties(decision)]
    if "break-glass" in decision.flags:
        parts.append("break-glass access: flagged for privacy review")
    return "; ".join(parts) + f". Policy version {decision.policy_version}."


def _duties(decision: Decision) -> list[tuple[str, tuple[str, ...]]]:
    return [(o.code, o.elements) for o in decision.obligations]


def _duty_words(code: str, elements: tuple[str, ...]) -> str:
    where = f" ({', '.join(elements)})" if elements else ""
    return f"obligation {code}: {DUTIES.get(code, code)}{where}"
