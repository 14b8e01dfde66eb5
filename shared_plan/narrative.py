"""The shared plan's narrative: a family summary generated from the plan itself, in English,
and in Spanish too when the family's language is Spanish.
https://hl7.org/fhir/R4/narrative.html"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from shared_plan.contribution import Child, Contribution

JSON = dict[str, Any]
WORDS = {
    "en": {"title": "Shared plan of care for {child}", "lead": "Coordinated by {lead}.",
           "services": "Services", "goals": "Goals", "team": "Care team",
           "none": "None recorded yet.", "from": "from"},
    "es": {"title": "Plan de cuidado compartido de {child}", "lead": "Coordinado por {lead}.",
           "services": "Servicios", "goals": "Metas", "team": "Equipo de cuidado",
           "none": "Nada registrado todavía.", "from": "de"},
}
XHTML = "http://www.w3.org/1999/xhtml"


def _ref_name(reference: JSON) -> str:
    return str(reference.get("display") or reference.get("reference", "").split("/")[-1])


def _services(plan: JSON) -> list[str]:
    found = []
    for activity in plan.get("activity", ()):
        who = sorted({_ref_name(x["valueReference"]) for e in activity.get("extension", ())
                      for x in e.get("extension", ()) if x["url"] == "organization"})
        found.append((_ref_name(activity["reference"]), who))
    return [f"{name} ({', '.join(who)})" if who else name for name, who in found]


def _goals(contributions: Sequence[Contribution]) -> list[str]:
    return sorted({str(g.get("description", {}).get("text", "")) for c in contributions
                   for g in c.of_type("Goal")} - {""})


def _members(team: JSON) -> list[str]:
    return [str(p.get("member", {}).get("display", "")) for p in team.get("participant", ())
            if p.get("member", {}).get("display")]


def _section(language: str, child: str, lead: str, parts: list[tuple[str, list[str]]]) -> str:
    words = WORDS[language]
    html = [f'<div lang="{language}" xml:lang="{language}">',
            f"<h2>{escape(words['title'].format(child=child))}</h2>"]
    if lead:
        html.append(f"<p>{escape(words['lead'].format(lead=lead))}</p>")
    for key, items in parts:
        html.append(f"<h3>{escape(words[key])}</h3>")
        rows = "".join(f"<li>{escape(i)}</li>" for i in items)
        html.append(f"<ul>{rows}</ul>" if items else f"<p>{escape(words['none'])}</p>")
    return "".join([*html, "</div>"])


def summary(child: Child, plan: JSON, team: JSON, contributions: Sequence[Contribution]) -> JSON:
    name = str(child.patient.get("display") or "the child")
    custodian = next((e["valueReference"] for e in plan.get("extension", ())), None)
    lead = _ref_name(custodian) if custodian else ""
    parts = [("services", _services(plan)), ("goals", _goals(contributions)),
             ("team", _members(team))]
    languages = ["en", "es"] if child.language.startswith("es") else ["en"]
    sections = "".join(_section(language, name, lead, parts) for language in languages)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{sections}</div>'}
