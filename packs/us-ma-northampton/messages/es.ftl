# Lo que significa la ley de Northampton para los residentes, en palabras
# sencillas. BORRADOR sin revisar (ver crates/messages/catalogues/es).

place-name = Northampton
place-law-1 = Salvo que una ley estatal o federal lo exija, la Ciudad no hace nada con el único fin de ayudar a la aplicación federal de las leyes de inmigración, incluido dar información a una agencia estatal o federal. Esto obliga a todos los departamentos de la Ciudad, no solo a la policía. La ley federal (8 U.S.C. §1373) todavía puede permitir que la Ciudad comparta la ciudadanía o el estatus migratorio de una persona. (Safe City ordinance, A)
place-law-2 = La Ciudad no usa sus recursos para averiguar su estatus migratorio, salvo que una ley estatal o federal lo exija o que sea necesario para darle un beneficio público. (Safe City ordinance, B(1))
place-law-3 = La Ciudad no toma medidas, como detenerlo en la calle o arrestarlo, por su estatus migratorio o por el que crea que usted tiene, salvo que la medida sea necesaria para darle un beneficio público. (Safe City ordinance, B(2))
place-law-4 = Si usted pudiera salir en libertad, la Ciudad no lo mantendrá bajo custodia, ni lo dejará salir más tarde, por una orden de retención (detainer) de inmigración. (Safe City ordinance, B(3))
place-law-5 = Los empleados de la Ciudad no actúan como agentes de inmigración, ni por un acuerdo federal 287(g) ni por ninguna otra ley. (Safe City ordinance, B(4))
question-ask-status = Cuando denuncio un delito o llamo al 911, ¿puede un empleado de la Ciudad o un policía averiguar mi estatus migratorio?
question-benefit = ¿Puede una oficina de la Ciudad preguntarme por mi estatus migratorio cuando necesita saberlo para darme un beneficio público?
question-hold = ¿Puede la policía mantenerme bajo custodia más tiempo porque ICE envió una orden de retención?
question-address = ¿Puede una oficina de la Ciudad darle a ICE mi dirección para ayudarle a aplicar las leyes de inmigración?
question-parking = ¿Puede ICE usar un estacionamiento o un edificio de la Ciudad para aplicar las leyes de inmigración?
