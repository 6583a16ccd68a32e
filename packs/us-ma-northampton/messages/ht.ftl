# Sa lwa Northampton nan vle di pou moun k ap viv nan vil la, ak mo ki senp.
# BOUYON ki poko revize (gade crates/messages/catalogues/ht).

place-name = Northampton
place-law-1 = Sof si yon lwa eta oswa federal egzije sa, Vil la pa fè anyen sèlman pou ede aplikasyon federal lwa imigrasyon yo, sa gen ladan l bay yon ajans eta oswa federal enfòmasyon. Sa a mare tout depatman Vil la, pa sèlman lapolis. Lwa federal la (8 U.S.C. §1373) ka toujou pèmèt Vil la pataje sitwayènte oswa estati imigrasyon yon moun. (Safe City ordinance, A)
place-law-2 = Vil la pa sèvi ak resous li pou l chèche konnen estati imigrasyon ou, sof si yon lwa eta oswa federal egzije sa oswa si sa nesesè pou ba ou yon benefis piblik. (Safe City ordinance, B(1))
place-law-3 = Vil la pa pran okenn aksyon, tankou kanpe w oswa arete w, akoz estati imigrasyon ou oswa sa li panse li ye, sof si aksyon an nesesè pou ba ou yon benefis piblik. (Safe City ordinance, B(2))
place-law-4 = Si yo ta ka lage w, Vil la p ap kenbe w, ni lage w pi ta, akoz yon demann detansyon (detainer) imigrasyon. (Safe City ordinance, B(3))
place-law-5 = Anplwaye Vil la pa aji tankou ajan imigrasyon, ni dapre yon akò federal 287(g) ni dapre okenn lòt lwa. (Safe City ordinance, B(4))
question-ask-status = Lè m rapòte yon krim oswa m rele 911, èske yon anplwaye Vil la oswa yon polisye ka chèche konnen estati imigrasyon mwen?
question-benefit = Èske yon biwo Vil la ka poze m kesyon sou estati imigrasyon mwen lè li bezwen konnen l pou l ban m yon benefis piblik?
question-hold = Èske lapolis ka kenbe m nan prizon pi lontan paske ICE voye yon demann detansyon?
question-address = Èske yon biwo Vil la ka bay ICE adrès mwen pou ede l aplike lwa imigrasyon yo?
question-parking = Èske ICE ka sèvi ak yon pakin oswa yon bilding Vil la pou aplike lwa imigrasyon yo?
