CodeSystem: GreenFormPart
Id: green-form-part
Title: "Green Form part"
Description: "Which part of the Green Form a submission fills in: the PCP's referral to behavioral health, or the behavioral health provider's feedback to the PCP."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* ^caseSensitive = true
* ^content = #complete
* #referral "Referral: PCP to behavioral health" "The primary care provider refers the child to a behavioral health provider."
* #feedback "Feedback: behavioral health to PCP" "The behavioral health provider reports back to the referring primary care provider."
