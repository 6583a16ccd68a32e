# Lo que significan las leyes de Somerville para los residentes, en palabras
# sencillas. BORRADOR sin revisar (ver crates/messages/catalogues/es).
# Fiabilidad BAJA: ver el encabezado de en.ftl.

place-name = Somerville
place-caveat = No se pudo comprobar aquí el texto propio de la ordenanza de Somerville. Estas frases se leen de un texto muy parecido (el borrador de Cambridge de 2019, que según las fuentes sigue la ordenanza de Somerville), así que las palabras exactas de Somerville pueden ser distintas. Consulte la ordenanza misma o a un abogado antes de confiar en ellas.
place-law-1 = Su ciudadanía, estatus migratorio, origen nacional, raza u origen étnico no deben cambiar en nada el trato que le dan los empleados de la Ciudad. (Welcoming Community Ordinance, equal treatment)
place-law-2 = Los policías y empleados de la Ciudad no pueden preguntarle por su estatus migratorio, sea usted víctima, sospechoso, persona arrestada, persona que llama al 911 o cualquier otra persona con quien traten, salvo que sea necesario para darle un beneficio público. (Welcoming Community Ordinance, inquiries about immigration status)
place-law-3 = La policía no lo detendrá, investigará ni arrestará solo por su estatus migratorio, o por el que crea que usted tiene. No participa ni ayuda en operativos o redadas federales de inmigración, salvo con el apoyo necesario para la seguridad de los agentes o para mantener el orden, como controlar el tráfico. (Welcoming Community Ordinance, role of police department; raids)
place-law-4 = La policía no lo arrestará ni lo mantendrá bajo custodia solo por una orden de retención (detainer) de ICE o una orden administrativa de ICE que ningún juez firmó, ni siquiera unos minutos más. (Welcoming Community Ordinance, ICE detainers and administrative warrants)
place-law-5 = Si la policía recibe una orden de retención o una orden de ICE sobre usted mientras está bajo su custodia, debe darle una copia, y todos los demás papeles que tenga sobre su caso de inmigración. (Welcoming Community Ordinance, notice to individuals)
place-law-6 = Mientras esté bajo custodia policial, los agentes de ICE no pueden verlo ni comunicarse con usted por teléfono o video, salvo que tengan una orden de un juez. (Welcoming Community Ordinance, ICE access to facilities)
place-law-7 = Mientras esté bajo custodia policial, la policía no da a ICE su dirección de casa o de trabajo, su fecha de salida, las fechas de sus audiencias ni otros datos personales, salvo lo que cualquier persona puede obtener por la ley de registros públicos. La ordenanza todavía permite que la policía comparta la ciudadanía o el estatus migratorio de una persona. (Welcoming Community Ordinance, federal requests for information)
place-law-8 = Las escuelas públicas de Somerville no pueden exigir a un estudiante o a sus padres que digan su estatus migratorio o de ciudadanía para inscribir al estudiante. Si el personal escolar lo llega a saber, no lo guarda ni lo comunica, salvo que una ley lo exija. (Welcoming Community Ordinance, school records)
place-reports = El Jefe de Policía debe informar cuántas órdenes de retención, retenciones, órdenes administrativas y solicitudes de notificación de ICE recibió la policía. No se encontró cada cuánto debe presentar el informe. (Welcoming Community Ordinance, reporting)
question-ask-status = Cuando denuncio un delito o llamo al 911, ¿puede un policía o un empleado de la Ciudad preguntarme por mi estatus migratorio?
question-benefit = ¿Puede una oficina de la Ciudad preguntarme por mi estatus migratorio cuando necesita saberlo para darme un beneficio público?
question-hold = ¿Puede la policía mantenerme bajo custodia más tiempo porque ICE envió una orden de retención?
question-release = Mientras estoy bajo custodia policial, ¿puede la policía decirle a ICE cuándo voy a salir?
question-visit = ¿Pueden los agentes de ICE verme o llamarme mientras estoy bajo custodia policial?
