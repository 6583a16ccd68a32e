# Sa lwa Cambridge yo vle di pou moun k ap viv nan vil la, ak mo ki senp.
# BOUYON ki poko revize (gade crates/messages/catalogues/ht).

place-name = Cambridge
place-law-1 = Lapolis p ap kanpe w, mennen ankèt sou ou oswa arete w sèlman akoz estati imigrasyon ou, oswa sa yo panse li ye. (2.129.040 (c))
place-law-2 = Anplwaye Vil la pa ka mande w ki estati imigrasyon ou, kit ou se viktim, temwen, moun ki rele 911 oswa sispèk, sof si yon lwa federal oswa leta egzije l. (2.129.040 (b))
place-law-3 = Lapolis p ap kenbe w nan prizon sèlman paske otorite federal imigrasyon yo (ICE) mande l ak yon "detainer" oswa yon manda administratif ICE ke okenn jij pa siyen. (2.129.040 (d))
place-law-4 = Si lapolis resevwa yon "detainer" oswa yon manda ICE sou ou pandan ou anba gad li, li dwe ba ou yon kopi. (2.129.040 (g))
place-law-5 = Pandan ou anba gad lapolis, ajan ICE pa ka wè w ni kontakte w pa telefòn oswa videyo, sof si yo gen yon manda oswa yon lòd yon jij. (2.129.040 (h))
place-law-6 = Pandan ou anba gad lapolis, lapolis pa bay otorite federal imigrasyon adrès lakay ou oswa travay ou, dat ou ap soti ni dat odyans ou, sof sa nenpòt moun ka jwenn dapre lwa sou dosye piblik yo. Lwa federal la toujou pèmèt Vil la pataje sitwayènte oswa estati imigrasyon yon moun. (2.129.040 (e), 2.129.070)
place-law-7 = Lekòl piblik Cambridge yo pa ka mande yon elèv oswa paran l estati imigrasyon yo pou enskri elèv la. (2.129.040 (k))
place-see-ice = Lòd Administratè Vil la te siyen 5 fevriye 2026 mande nenpòt moun ki kwè li wè aktivite ICE pou rele 911 touswit, pou Lapolis Cambridge ka evalye sitiyasyon an epi pwoteje moun yo. Lapolis pa patisipe nan aplikasyon sivil lwa imigrasyon yo; li pwoteje sekirite tout moun ki sou plas la, enkli moun k ap egzèse dwa yo pou yo rasanble epi pou yo pale.
place-footage = Vil la ap pibliye videyo kamera kò lapolis oswa kamera Vil la ki montre vyolans oswa domaj sou pwopriyete ofisye federal fè, sof si videyo a fè pati yon ankèt.
place-complaint = Nenpòt moun ka depoze yon plent nan Biwo Administratè Vil la, ki dwe mennen ankèt sou li. Yon plent sou yon polisye oswa yon anplwaye lapolis depoze tou nan Inite Estanda Pwofesyonèl Depatman Lapolis la; yon plent sou yon anplwaye lekòl, tou nan men Sipèentandan Lekòl yo. (2.129.050)
place-reports = Chak sis mwa, Komisyonè Lapolis la rapòte bay Grefye Vil la, pou Komite Sekirite Piblik Konsèy Minisipal la, konbyen "detainer", manda ak demann notifikasyon ICE lapolis resevwa, konbyen moun yo kenbe oswa transfere bay ICE, ak konbyen fwa lapolis kolabore ak ICE. (2.129.060)
question-ask-status = Èske yon anplwaye Vil la ka mande m ki estati imigrasyon mwen?
question-hold = Èske lapolis ka kenbe m pi lontan anba gad li paske ICE voye yon "detainer"?
question-visit = Èske ajan ICE ka wè m oswa rele m pandan m anba gad lapolis?
question-address = Pandan m anba gad lapolis, èske lapolis ka bay ICE adrès lakay mwen?
question-parking = Èske ICE ka sèvi ak yon pakin oswa yon bilding Vil la pou aplike lwa imigrasyon?
