ValueSet: GreenFormReferralService
Id: green-form-referral-service
Title: "Green Form: behavioral health service requested"
Description: "The behavioral health services a PCP refers a child to (SNOMED CT referral procedures)."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $sct#390866009 "Referral to mental health team"
* $sct#306226009 "Referral to mental health counseling service"
* $sct#306291008 "Referral to child and adolescent psychiatrist"
* $sct#183524004 "Referral to psychiatry service"
* $sct#308459004 "Referral to psychologist"
* $sct#710914003 "Referral to family therapy"
* $sct#309626003 "Child referral - school psychologist"
* $sct#401266006 "Referral to drug abuse counselor"
* $sct#428481000124106 "Referral to clinical social worker"
