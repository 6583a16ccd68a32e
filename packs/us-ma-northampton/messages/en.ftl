# What Northampton's trust law means for a resident, in plain words: shown on
# the public pages (trustgate serve). Each statement ends with the part of
# the Safe City ordinance it comes from (its letters: the article's section
# number was not seen); the law's own words are on the law pages (/laws/).
# Every other language holds exactly these messages (crates/messages checks
# it).
#
# Written only from packs/us-ma-northampton/safe-city-2019.md: the words of
# the ordinance (adopted 5 December 2019, Ord. No. 19.153) seen in the city's
# code, A and B(1) to B(4). High reliability for those words; the rest of the
# article (any savings clause, complaints or reports) was not seen, so nothing
# here speaks of it.
#
# Left out on purpose, because no encoded law of Northampton's supports them:
# a 911 line, a footage promise, a complaint line and a report line.

place-name = Northampton
place-law-1 = Unless a state or federal law requires it, the City does nothing only to help federal immigration enforcement, including giving information to a state or federal agency. This binds every City department, not only the police. Federal law (8 U.S.C. §1373) may still let the City share a person's citizenship or immigration status. (Safe City ordinance, A)
place-law-2 = The City does not use its resources to find out your immigration status, unless a state or federal law requires it or it is needed to provide a public benefit. (Safe City ordinance, B(1))
place-law-3 = The City does not take action, such as a stop or an arrest, because of your immigration status or what it thinks your status is, unless the action is needed to provide a public benefit. (Safe City ordinance, B(2))
place-law-4 = If you could otherwise be released, the City will not hold you, or release you later, because of an immigration detainer. (Safe City ordinance, B(3))
place-law-5 = City employees do not act as immigration officers, whether under a federal 287(g) agreement or any other law. (Safe City ordinance, B(4))
question-ask-status = When I report a crime or call 911, can a City employee or police officer look into my immigration status?
question-benefit = Can a City office ask about my immigration status when it needs to know to give me a public benefit?
question-hold = Can the police keep me in custody longer because ICE sent a detainer?
question-address = Can a City office give ICE my address to help it enforce immigration law?
question-parking = Can ICE use a City parking lot or building for immigration enforcement?
