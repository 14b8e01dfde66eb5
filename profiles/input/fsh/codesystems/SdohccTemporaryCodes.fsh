// A fragment of the SDOH Clinical Care guide's temporary codes: only the codes the Green Form
// offers, with the guide's own displays. HAPI's validator cannot load the guide offline, and
// without the code system it rejects every answer from it.
CodeSystem: SdohccTemporaryCodes
Id: SDOHCC-CodeSystemTemporaryCodes
Title: "SDOHCC Temporary Codes (fragment)"
Description: "The codes of http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes that the Green Form uses. A fragment: the full code system is published by the HL7 SDOH Clinical Care implementation guide."
* ^url = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* ^caseSensitive = true
* ^content = #fragment
* #food-insecurity "Food Insecurity"
* #housing-instability "Housing Instability"
* #homelessness "Homelessness"
* #transportation-insecurity "Transportation Insecurity"
* #financial-insecurity "Financial Insecurity"
* #utility-insecurity "Utility Insecurity"
* #stress "Stress"
* #social-connection "Social Connection"
* #intimate-partner-violence "Intimate Partner Violence"
* #language-access "Language Status"
