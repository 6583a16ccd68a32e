# Lo que significan las leyes de Cambridge para los residentes, en palabras
# sencillas. BORRADOR sin revisar (ver crates/messages/catalogues/es).

place-name = Cambridge
place-law-1 = La policía no lo detendrá, investigará ni arrestará solo por su estatus migratorio, o por el que crea que usted tiene. (2.129.040 (c))
place-law-2 = Los empleados de la Ciudad no pueden preguntarle por su estatus migratorio, sea usted víctima, testigo, persona que llama al 911 o sospechoso, salvo que una ley federal o estatal lo exija. (2.129.040 (b))
place-law-3 = La policía no lo mantendrá bajo custodia solo porque las autoridades federales de inmigración (ICE) se lo pidan con una orden de retención (detainer) o una orden administrativa de ICE que ningún juez firmó. (2.129.040 (d))
place-law-4 = Si la policía recibe una orden de retención o una orden de ICE sobre usted mientras está bajo su custodia, debe darle una copia. (2.129.040 (g))
place-law-5 = Mientras esté bajo custodia policial, los agentes de ICE no pueden verlo ni comunicarse con usted por teléfono o video, salvo que tengan una orden de un juez. (2.129.040 (h))
place-law-6 = Mientras esté bajo custodia policial, la policía no da a las autoridades federales de inmigración su dirección de casa o de trabajo, su fecha de salida ni las fechas de sus audiencias, salvo lo que cualquier persona puede obtener por la ley de registros públicos. La ley federal todavía permite que la Ciudad comparta la ciudadanía o el estatus migratorio de una persona. (2.129.040 (e), 2.129.070)
place-law-7 = Las escuelas públicas de Cambridge no pueden preguntar a un estudiante o a sus padres por su estatus migratorio para inscribir al estudiante. (2.129.040 (k))
place-see-ice = La orden del Administrador de la Ciudad del 5 de febrero de 2026 pide a quien crea ver actividad de ICE que llame de inmediato al 911, para que la Policía de Cambridge evalúe la situación y proteja a las personas. La policía no participa en la aplicación civil de las leyes de inmigración; protege la seguridad de todas las personas en el lugar, incluidas las que ejercen sus derechos de reunión y de expresión.
place-footage = La Ciudad publicará los videos de las cámaras corporales de la policía o de las cámaras de la Ciudad que muestren violencia o daños a la propiedad por parte de funcionarios federales, salvo que el video forme parte de una investigación.
place-complaint = Cualquier persona puede presentar una queja ante la Oficina del Administrador de la Ciudad, que debe investigarla. Una queja sobre un policía o empleado de la policía también se presenta ante la Unidad de Normas Profesionales del Departamento de Policía; una sobre un empleado escolar, también ante el Superintendente de Escuelas. (2.129.050)
place-reports = Cada seis meses, el Comisionado de Policía informa a la Secretaría Municipal, para el Comité de Seguridad Pública del Concejo Municipal, cuántas órdenes de retención, órdenes y solicitudes de notificación de ICE recibió la policía, cuántas personas fueron retenidas o entregadas a ICE, y cuántas veces la policía cooperó con ICE. (2.129.060)
question-ask-status = ¿Puede un empleado de la Ciudad preguntarme por mi estatus migratorio?
question-hold = ¿Puede la policía mantenerme bajo custodia más tiempo porque ICE envió una orden de retención?
question-visit = ¿Pueden los agentes de ICE verme o llamarme mientras estoy bajo custodia policial?
question-address = Mientras estoy bajo custodia policial, ¿puede la policía darle a ICE mi dirección de casa?
question-parking = ¿Puede ICE usar un estacionamiento o un edificio de la Ciudad para aplicar las leyes de inmigración?
