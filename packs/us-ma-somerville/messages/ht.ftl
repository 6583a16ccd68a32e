# Sa lwa Somerville yo vle di pou moun k ap viv nan vil la, ak mo ki senp.
# BOUYON ki poko revize (gade crates/messages/catalogues/ht).
# Fyabilite BA: gade antèt en.ftl.

place-name = Somerville
place-caveat = Nou pa t ka verifye tèks pwòp òdonans Somerville la isit la. Fraz sa yo soti nan yon tèks ki sanble anpil (bouyon Cambridge 2019 la, ke sous yo di òdonans Somerville la swiv), kidonk mo egzak Somerville yo ka diferan. Gade òdonans lan li menm oswa mande yon avoka anvan ou konte sou yo.
place-law-1 = Sitwayènte ou, estati imigrasyon ou, orijin nasyonal ou, ras ou oswa etnisite ou pa dwe chanje anyen nan fason anplwaye Vil la trete w. (Welcoming Community Ordinance, equal treatment)
place-law-2 = Polisye ak anplwaye Vil la pa ka poze w kesyon sou estati imigrasyon ou, kit ou se viktim, sispèk, moun yo arete, moun ki rele 911 oswa nenpòt lòt moun yo gen afè avè l, sof si sa nesesè pou ba ou yon benefis piblik. (Welcoming Community Ordinance, inquiries about immigration status)
place-law-3 = Lapolis p ap kanpe w, mennen ankèt sou ou oswa arete w sèlman akoz estati imigrasyon ou, oswa sa yo panse li ye. Li pa patisipe ni ede nan operasyon oswa rafle federal sou imigrasyon, sof ak sipò ki nesesè pou sekirite polisye yo oswa pou kenbe lòd, tankou kontwole sikilasyon. (Welcoming Community Ordinance, role of police department; raids)
place-law-4 = Lapolis p ap arete w ni kenbe w nan prizon sèlman akoz yon demann detansyon (detainer) ICE oswa yon manda administratif ICE ke okenn jij pa siyen, pa menm kèk minit anplis. (Welcoming Community Ordinance, ICE detainers and administrative warrants)
place-law-5 = Si lapolis resevwa yon demann detansyon oswa yon manda ICE sou ou pandan ou nan prizon yo, yo dwe ba ou yon kopi, ak tout lòt papye yo genyen sou dosye imigrasyon ou. (Welcoming Community Ordinance, notice to individuals)
place-law-6 = Pandan ou nan prizon lapolis, ajan ICE pa ka wè w ni kontakte w nan telefòn oswa nan videyo, sof si yo gen yon manda oswa yon lòd yon jij siyen. (Welcoming Community Ordinance, ICE access to facilities)
place-law-7 = Pandan ou nan prizon lapolis, lapolis pa bay ICE adrès lakay ou oswa adrès travay ou, dat yo ap lage w, dat odyans ou yo ni lòt enfòmasyon pèsonèl, sof sa nenpòt moun ka jwenn dapre lwa sou dokiman piblik yo. Òdonans lan toujou pèmèt lapolis pataje sitwayènte oswa estati imigrasyon yon moun. (Welcoming Community Ordinance, federal requests for information)
place-law-8 = Lekòl piblik Somerville yo pa ka egzije yon elèv oswa paran l di estati imigrasyon oswa sitwayènte yo pou enskri elèv la. Si anplwaye lekòl la vin konnen l, yo pa kenbe l ni pase l bay lòt moun, sof si yon lwa egzije sa. (Welcoming Community Ordinance, school records)
place-reports = Chèf Lapolis la dwe rapòte konbyen demann detansyon, detansyon, manda administratif ak demann notifikasyon ICE lapolis resevwa. Nou pa jwenn chak konbyen tan rapò a dwe fèt. (Welcoming Community Ordinance, reporting)
question-ask-status = Lè m rapòte yon krim oswa m rele 911, èske yon polisye oswa yon anplwaye Vil la ka poze m kesyon sou estati imigrasyon mwen?
question-benefit = Èske yon biwo Vil la ka poze m kesyon sou estati imigrasyon mwen lè li bezwen konnen l pou l ban m yon benefis piblik?
question-hold = Èske lapolis ka kenbe m nan prizon pi lontan paske ICE voye yon demann detansyon?
question-release = Pandan m nan prizon lapolis, èske lapolis ka di ICE ki lè y ap lage m?
question-visit = Èske ajan ICE ka wè m oswa rele m pandan m nan prizon lapolis?
