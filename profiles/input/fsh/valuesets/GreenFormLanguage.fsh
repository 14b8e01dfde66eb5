ValueSet: GreenFormLanguage
Id: green-form-language
Title: "Green Form: family's preferred language"
Description: "The languages most often preferred by Connecticut families, as BCP-47 language tags."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $bcp47#en "English"
* $bcp47#es "Spanish"
* $bcp47#pt "Portuguese"
* $bcp47#pl "Polish"
* $bcp47#ht "Haitian Creole"
* $bcp47#zh "Chinese"
* $bcp47#vi "Vietnamese"
* $bcp47#ar "Arabic"
