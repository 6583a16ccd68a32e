# What Cambridge's trust laws mean for a resident, in plain words: shown on
# the public pages (trustgate serve). Each statement ends with the section it
# comes from; the law's own words are on the law pages (/laws/). Every other
# language holds exactly these messages (crates/messages checks it).
#
# Read from Municipal Code chapter 2.129 as enacted in 2020 (2.129.040 (i) as
# amended in 2025 is not stated here: its exact text was not found) and the
# City Manager's press release on the executive order of 5 February 2026.
# See packs/us-ma-cambridge/*.md for the sources and their reliability.

place-name = Cambridge
place-law-1 = The police will not stop, investigate or arrest you only because of your immigration status, or what they think it is. (2.129.040 (c))
place-law-2 = City employees may not ask about your immigration status, whether you are a victim, a witness, a 911 caller or a suspect, unless a federal or state law requires it. (2.129.040 (b))
place-law-3 = The police will not keep you in custody only because federal immigration authorities (ICE) ask them to, with a detainer or an ICE administrative warrant that no judge signed. (2.129.040 (d))
place-law-4 = If the police receive an ICE detainer or ICE warrant about you while you are in their custody, they must give you a copy. (2.129.040 (g))
place-law-5 = While you are in police custody, ICE agents may not see you or reach you by phone or video, unless they have a warrant or order from a judge. (2.129.040 (h))
place-law-6 = While you are in police custody, the police do not give federal immigration authorities your home or work address, your release date or your court dates, except what anyone can get under the public records law. Federal law still lets the City share a person's citizenship or immigration status. (2.129.040 (e), 2.129.070)
place-law-7 = Cambridge public schools may not ask a student or parent about immigration status to enroll the student. (2.129.040 (k))
place-see-ice = The City Manager's order of 5 February 2026 asks anyone who believes they see ICE activity to call 911 right away, so the Cambridge Police can assess the situation and keep people safe. The police do not take part in civil immigration enforcement; they protect the safety of everyone on the scene, including people exercising their rights to assemble and to speak.
place-footage = The City will publish police body camera or City camera video of violence or property damage by federal officials, unless the video is part of an investigation.
place-complaint = Anyone can file a complaint with the City Manager's Office, which must investigate it. A complaint about a police officer or employee is also filed with the Police Department's Professional Standards Unit; one about a school employee, also with the Superintendent of Schools. (2.129.050)
place-reports = Every six months the Police Commissioner reports to the City Clerk, for the City Council's Public Safety Committee, how many ICE detainers, warrants and notification requests the police received, how many people were held or transferred to ICE, and how often the police cooperated with ICE. (2.129.060)
question-ask-status = Can a City employee ask me about my immigration status?
question-hold = Can the police keep me in custody longer because ICE sent a detainer?
question-visit = Can ICE agents see me or call me while I am in police custody?
question-address = While I am in police custody, can the police give ICE my home address?
question-parking = Can ICE use a City parking lot or building for immigration enforcement?
