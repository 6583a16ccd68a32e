# The same rules as policies.cedar, in Rego: the fields of an information
# request the Police Department may not disclose.
package cambridge

import rego.v1

ice := {"ice-ero", "ice-hsi", "cbp", "uscis", "dhs-other"}

federal := ice | {"fbi", "federal-other"}

personal := {
	"name", "date-of-birth", "home-address", "work-address", "phone-number",
	"physical-description", "place-of-birth", "incarceration-status",
	"length-of-detention", "hearing-information", "release-date", "charges",
	"criminal-history", "other-personal-information",
}

public_log(f) if {
	input.arrested
	input.age == "adult"
	not input.separate_log
	f in {"name", "home-address", "charges"}
}

# 2.129.040(c)
prohibited contains f if {
	some f in input.fields
	input.department == "police"
	input.requester in ice
	input.custody != "in-police-custody"
	input.purpose == "civil-immigration"
	not input.legal_mandate
	f in personal
}

# 2.129.040(e), less the public log
prohibited contains f if {
	some f in input.fields
	input.department == "police"
	input.requester in federal
	input.custody == "in-police-custody"
	not input.legal_mandate
	f in personal
	not public_log(f)
}
