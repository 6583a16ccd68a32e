# The resident's pages: trustgate's own words, in English (the source).
# Every other language holds exactly these messages.

catalogue-status = source
# Shown on every page of a draft translation; the source never shows it.
catalogue-draft-notice = This is the original English text.
language-name = English

site-name = Know your rights
skip-to-content = Skip to main content
language-switch = Read this page in
home-title = Your rights in { $place }
home-intro = { $place } has laws that limit what its police and other staff may do to help federal immigration enforcement. This page says what they mean for you, in plain words. The law's own words are one tap away.
section-law = What the law says
section-see-ice = If you see immigration agents
section-complaint = If the City did not follow the law
section-reports = What the police report
reports-link = Read the reports published here
reports-none = No report has been published here yet.
section-law-words = The law's own words
laws-in-force = Laws in force on { $date }:
law-words-link = Read each law, section by section, with how this site reads it
not-legal-advice = This page explains the law in general. It is not legal advice about your own situation: for that, talk to a lawyer or a legal aid organization.
emergency = In an emergency, call 911.
not-found-title = Page not found
not-found-body = There is no page at this address.
home-link = Go to the home page
too-many = Too many requests from your connection. Please wait a minute and try again.
section-questions = Questions residents ask
questions-intro = Answered now by the rules this site encodes, under the law in force on { $date }. Each answer links to the words that decide it.
answer-prohibited = No. The law forbids it.
answer-permitted = Yes. The law allows it.
answer-permitted-limit = Yes. The law's ban stops short of this case, and these laws do not forbid it.
answer-required = Yes. The law requires it.
answer-not-addressed = These laws do not say.
answer-undetermined = It depends on details of the situation.
answer-conflict = The laws disagree here. Ask a lawyer.
answer-doubtful = This reading of the law is in doubt: a lawyer may read it differently.
answer-low-source = This rests on reports of the law, not its full text.
