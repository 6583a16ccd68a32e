# What Somerville's trust laws mean for a resident, in plain words: shown on
# the public pages (trustgate serve). Each statement ends with the part of
# the ordinance it comes from; the law's own words are on the law pages
# (/laws/). Every other language holds exactly these messages
# (crates/messages checks it).
#
# LOW RELIABILITY. Somerville's own ordinance text was not seen. These
# statements say only what packs/us-ma-somerville/welcoming-community-2019.md
# encodes: the Welcoming Community Ordinance (ordained 13 June 2019) read from
# Cambridge's 2019 draft, which sources report has the same structure and
# definitions as Somerville's text. Somerville's words may differ; the page
# says so (place-caveat). The section names are the pack's, because the
# ordinance's section numbers were not seen.
#
# Left out on purpose, because no encoded law supports them: a 911 line and
# a footage promise (the operative clauses of the Mayor's Executive Order
# 2026-01 were not seen), and a complaint line (the complaint section, if
# Somerville's text has one, names offices that were not seen).

place-name = Somerville
place-caveat = Somerville's own ordinance text could not be checked here. These statements are read from a closely related text (Cambridge's 2019 draft, which Somerville's ordinance is reported to follow), so Somerville's exact words may differ. Check the ordinance itself or ask a lawyer before relying on them.
place-law-1 = Your citizenship, immigration status, national origin, race or ethnicity must make no difference to how City employees treat you. (Welcoming Community Ordinance, equal treatment)
place-law-2 = Police officers and City employees may not ask about your immigration status, whether you are a victim, a suspect, an arrestee, a 911 caller or anyone else they deal with, unless it is needed to provide a public benefit. (Welcoming Community Ordinance, inquiries about immigration status)
place-law-3 = The police will not stop, investigate or arrest you only because of your immigration status, or what they think it is. They do not take part in or help federal immigration enforcement operations or raids, except with support needed for officer safety or to keep the peace, such as controlling traffic. (Welcoming Community Ordinance, role of police department; raids)
place-law-4 = The police will not arrest you or keep you in custody only because of an ICE detainer or an ICE administrative warrant that no judge signed, not even for a few minutes longer. (Welcoming Community Ordinance, ICE detainers and administrative warrants)
place-law-5 = If the police receive an ICE detainer or ICE warrant about you while you are in their custody, they must give you a copy, and every other paper they have about your immigration case. (Welcoming Community Ordinance, notice to individuals)
place-law-6 = While you are in police custody, ICE agents may not see you or reach you by phone or video, unless they have a warrant or order from a judge. (Welcoming Community Ordinance, ICE access to facilities)
place-law-7 = While you are in police custody, the police do not give ICE your home or work address, your release date, your court dates or other personal information, except what anyone can get under the public records law. The ordinance still lets the police share a person's citizenship or immigration status. (Welcoming Community Ordinance, federal requests for information)
place-law-8 = Somerville public schools may not require a student or parent to say their immigration or citizenship status to enroll the student. If school staff learn it, they do not keep it or pass it on, unless a law requires it. (Welcoming Community Ordinance, school records)
place-reports = The Police Chief must report how many ICE detainers, holds, administrative warrants and notification requests the police received. How often the report is due was not found. (Welcoming Community Ordinance, reporting)
question-ask-status = When I report a crime or call 911, can a police officer or City employee ask about my immigration status?
question-benefit = Can a City office ask about my immigration status when it needs to know to give me a public benefit?
question-hold = Can the police keep me in custody longer because ICE sent a detainer?
question-release = While I am in police custody, can the police tell ICE when I will be released?
question-visit = Can ICE agents see me or call me while I am in police custody?
