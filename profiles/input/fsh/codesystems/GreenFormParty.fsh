CodeSystem: GreenFormParty
Id: green-form-party
Title: "Green Form party"
Description: "The parties to a Green Form referral that a release of information may name as recipients."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* ^caseSensitive = true
* ^content = #complete
* #referring-pcp "The referring primary care practice" "The primary care practice that sent the referral."
* #receiving-bh "The receiving behavioral health provider" "The behavioral health agency or clinician that receives the referral."
