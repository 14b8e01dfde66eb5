CodeSystem: GreenFormMinorConsent
Id: green-form-minor-consent
Title: "Connecticut minor-consent statute"
Description: "The Connecticut statute under which a minor consented to their own behavioral health care."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* ^caseSensitive = true
* ^content = #complete
* #cgs-19a-14c "CGS 19a-14c: outpatient mental health treatment of a minor" "Connecticut General Statutes section 19a-14c: a minor may consent to outpatient mental health treatment."
* #cgs-17a-688 "CGS 17a-688: substance use treatment of a minor" "Connecticut General Statutes section 17a-688: a minor may consent to treatment for alcohol or drug use."
