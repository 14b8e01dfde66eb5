ValueSet: GreenFormSdoh
Id: green-form-sdoh
Title: "Green Form: family's social needs"
Description: "Social determinants of health the PCP flags for the behavioral health provider (SDOH Clinical Care domains)."
* ^status = #active
* ^experimental = false
* ^date = "2026-11-23"
* ^publisher = "OnePlan"
* $sdohcc#food-insecurity "Food Insecurity"
* $sdohcc#housing-instability "Housing Instability"
* $sdohcc#homelessness "Homelessness"
* $sdohcc#transportation-insecurity "Transportation Insecurity"
* $sdohcc#financial-insecurity "Financial Insecurity"
* $sdohcc#utility-insecurity "Utility Insecurity"
* $sdohcc#stress "Stress"
* $sdohcc#social-connection "Social Connection"
* $sdohcc#intimate-partner-violence "Intimate Partner Violence"
* $sdohcc#language-access "Language Status"
