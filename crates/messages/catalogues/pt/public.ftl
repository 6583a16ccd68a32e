# As páginas para moradores: as palavras do trustgate, em português.
# RASCUNHO: traduzido pela equipe do trustgate, ainda não revisado por um
# tradutor qualificado. Mude catalogue-status para approved e indique o
# revisor em catalogue-reviewed-by depois da revisão.

catalogue-status = draft
catalogue-draft-notice = Esta tradução é um rascunho e ainda não foi revisada por um tradutor qualificado. Se algo não estiver claro, a página em inglês é a referência.
language-name = Português

site-name = Conheça seus direitos
skip-to-content = Pular para o conteúdo principal
language-switch = Ler esta página em
home-title = Seus direitos em { $place }
home-intro = { $place } tem leis que limitam o que sua polícia e outros funcionários podem fazer para ajudar a fiscalização federal de imigração. Esta página explica o que elas significam para você, em palavras simples. O texto da lei está a um toque de distância.
section-law = O que diz a lei
section-see-ice = Se você vir agentes de imigração
section-complaint = Se a Cidade não cumpriu a lei
section-reports = O que a polícia informa
reports-link = Leia os relatórios publicados aqui
reports-none = Ainda não há nenhum relatório publicado aqui.
section-law-words = O texto da lei
laws-in-force = Leis em vigor em { $date }:
law-words-link = Leia cada lei, seção por seção, com a leitura que este site faz dela
not-legal-advice = Esta página explica a lei em geral. Não é aconselhamento jurídico sobre a sua situação: para isso, fale com um advogado ou com uma organização de assistência jurídica.
emergency = Em caso de emergência, ligue para o 911.
not-found-title = Página não encontrada
not-found-body = Não há nenhuma página neste endereço.
home-link = Ir para a página inicial
too-many = Pedidos demais a partir da sua conexão. Aguarde um minuto e tente de novo.
section-questions = Perguntas que os moradores fazem
questions-intro = Respondidas agora pelas regras que este site codifica, pela lei em vigor em { $date }. Cada resposta tem um link para o texto que a decide.
answer-prohibited = Não. A lei proíbe.
answer-permitted = Sim. A lei permite.
answer-permitted-limit = Sim. A proibição da lei não chega a este caso, e estas leis não o proíbem.
answer-required = Sim. A lei exige.
answer-not-addressed = Estas leis não dizem nada sobre isso.
answer-undetermined = Depende dos detalhes da situação.
answer-conflict = As leis não concordam aqui. Consulte um advogado.
answer-doubtful = Esta leitura da lei é duvidosa: um advogado pode lê-la de outro modo.
answer-low-source = Isto se baseia em relatos sobre a lei, não no seu texto completo.
