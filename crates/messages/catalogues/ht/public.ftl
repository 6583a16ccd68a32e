# Paj pou moun k ap viv nan vil la: mo trustgate yo, an kreyòl ayisyen.
# BOUYON: ekip trustgate la tradui l, yon tradiktè kalifye poko revize l.
# Mete catalogue-status = approved epi non revizè a nan
# catalogue-reviewed-by lè li fin revize.

catalogue-status = draft
catalogue-draft-notice = Tradiksyon sa a se yon bouyon, yon tradiktè kalifye poko revize l. Si gen yon bagay ki pa klè, paj an angle a se referans lan.
language-name = Kreyòl ayisyen

site-name = Konnen dwa ou
skip-to-content = Ale dirèkteman nan kontni prensipal la
language-switch = Li paj sa a an
home-title = Dwa ou nan { $place }
home-intro = { $place } gen lwa ki limite sa lapolis li ak lòt anplwaye li ka fè pou ede otorite federal yo aplike lwa imigrasyon yo. Paj sa a eksplike sa yo vle di pou ou, ak mo ki senp. Tèks lwa a la, yon sèl klik.
section-law = Sa lwa a di
section-see-ice = Si ou wè ajan imigrasyon
section-complaint = Si Vil la pa t respekte lwa a
section-reports = Sa lapolis rapòte
reports-link = Li rapò ki pibliye isit la
reports-none = Poko gen okenn rapò ki pibliye isit la.
section-law-words = Tèks lwa a
laws-in-force = Lwa ki an vigè { $date }:
law-words-link = Li chak lwa, seksyon pa seksyon, ak fason sit sa a li yo
not-legal-advice = Paj sa a eksplike lwa a an jeneral. Se pa konsèy legal sou sitiyasyon pa ou: pou sa, pale ak yon avoka oswa ak yon òganizasyon èd legal.
emergency = Si gen yon ijans, rele 911.
not-found-title = Nou pa jwenn paj la
not-found-body = Pa gen okenn paj nan adrès sa a.
home-link = Ale nan paj prensipal la
too-many = Twòp demann soti nan koneksyon ou. Tanpri tann yon minit epi eseye ankò.
section-questions = Kesyon moun nan vil la poze
questions-intro = Règ sit sa a kode yo reponn yo kounye a, dapre lwa ki an vigè { $date }. Chak repons gen yon lyen pou tèks ki deside l.
answer-prohibited = Non. Lwa a entèdi sa.
answer-permitted = Wi. Lwa a pèmèt sa.
answer-permitted-limit = Wi. Entèdiksyon lwa a pa rive jis nan ka sa a, e lwa sa yo pa entèdi sa.
answer-required = Wi. Lwa a egzije sa.
answer-not-addressed = Lwa sa yo pa di anyen sou sa.
answer-undetermined = Sa depann de detay sitiyasyon an.
answer-conflict = Lwa yo pa dakò sou sa. Mande yon avoka.
answer-doubtful = Gen dout sou fason yo li lwa a la: yon avoka ka li l yon lòt jan.
answer-low-source = Sa baze sou rapò sou lwa a, pa sou tout tèks li.
