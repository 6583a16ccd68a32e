# Las páginas para residentes: las palabras de trustgate, en español.
# BORRADOR: traducido por el equipo de trustgate, sin revisar todavía por
# un traductor calificado. Cambie catalogue-status a approved y nombre al
# revisor en catalogue-reviewed-by cuando se haya revisado.

catalogue-status = draft
catalogue-draft-notice = Esta traducción es un borrador y todavía no la ha revisado un traductor calificado. Si algo no está claro, la página en inglés es la referencia.
language-name = Español

site-name = Conozca sus derechos
skip-to-content = Saltar al contenido principal
language-switch = Leer esta página en
home-title = Sus derechos en { $place }
home-intro = { $place } tiene leyes que limitan lo que su policía y otros empleados pueden hacer para ayudar a la aplicación federal de las leyes de inmigración. Esta página explica lo que significan para usted, en palabras sencillas. El texto de la ley está a un toque de distancia.
section-law = Lo que dice la ley
section-see-ice = Si ve agentes de inmigración
section-complaint = Si la Ciudad no cumplió la ley
section-reports = Lo que informa la policía
reports-link = Lea los informes publicados aquí
reports-none = Todavía no se ha publicado aquí ningún informe.
section-law-words = El texto de la ley
laws-in-force = Leyes vigentes el { $date }:
law-words-link = Lea cada ley, sección por sección, con la lectura que hace este sitio
not-legal-advice = Esta página explica la ley en general. No es asesoría legal sobre su situación: para eso, hable con un abogado o con una organización de ayuda legal.
emergency = En una emergencia, llame al 911.
not-found-title = Página no encontrada
not-found-body = No hay ninguna página en esta dirección.
home-link = Ir a la página principal
too-many = Demasiadas solicitudes desde su conexión. Espere un minuto y vuelva a intentarlo.
section-questions = Preguntas que hacen los residentes
questions-intro = Respondidas ahora por las reglas que codifica este sitio, según la ley vigente el { $date }. Cada respuesta enlaza al texto que la decide.
answer-prohibited = No. La ley lo prohíbe.
answer-permitted = Sí. La ley lo permite.
answer-permitted-limit = Sí. La prohibición de la ley no llega a este caso, y estas leyes no lo prohíben.
answer-required = Sí. La ley lo exige.
answer-not-addressed = Estas leyes no lo dicen.
answer-undetermined = Depende de los detalles de la situación.
answer-conflict = Aquí las leyes no están de acuerdo. Consulte a un abogado.
answer-doubtful = Esta lectura de la ley es dudosa: un abogado podría leerla de otra manera.
answer-low-source = Esto se basa en informes sobre la ley, no en su texto completo.
