# O que as leis de Cambridge significam para os moradores, em palavras
# simples. RASCUNHO ainda não revisado (ver crates/messages/catalogues/pt).

place-name = Cambridge
place-law-1 = A polícia não vai parar, investigar nem prender você só por causa do seu status imigratório, ou do que ela acha que ele é. (2.129.040 (c))
place-law-2 = Os funcionários da Cidade não podem perguntar sobre o seu status imigratório, seja você vítima, testemunha, pessoa que ligou para o 911 ou suspeito, a não ser que uma lei federal ou estadual exija. (2.129.040 (b))
place-law-3 = A polícia não vai manter você sob custódia só porque as autoridades federais de imigração (ICE) pediram, com um pedido de detenção (detainer) ou um mandado administrativo do ICE que nenhum juiz assinou. (2.129.040 (d))
place-law-4 = Se a polícia receber um pedido de detenção ou um mandado do ICE sobre você enquanto você estiver sob custódia, ela deve lhe dar uma cópia. (2.129.040 (g))
place-law-5 = Enquanto você estiver sob custódia da polícia, os agentes do ICE não podem ver você nem falar com você por telefone ou vídeo, a não ser que tenham um mandado ou uma ordem de um juiz. (2.129.040 (h))
place-law-6 = Enquanto você estiver sob custódia da polícia, a polícia não dá às autoridades federais de imigração o seu endereço de casa ou de trabalho, a data da sua soltura nem as datas das suas audiências, exceto o que qualquer pessoa pode obter pela lei de registros públicos. A lei federal ainda permite que a Cidade compartilhe a cidadania ou o status imigratório de uma pessoa. (2.129.040 (e), 2.129.070)
place-law-7 = As escolas públicas de Cambridge não podem perguntar a um aluno ou aos pais sobre status imigratório para matricular o aluno. (2.129.040 (k))
place-see-ice = A ordem do Administrador da Cidade de 5 de fevereiro de 2026 pede a quem acreditar estar vendo atividade do ICE que ligue imediatamente para o 911, para que a Polícia de Cambridge avalie a situação e proteja as pessoas. A polícia não participa da fiscalização civil de imigração; ela protege a segurança de todos no local, inclusive de quem exerce os direitos de reunião e de expressão.
place-footage = A Cidade vai publicar vídeos das câmeras corporais da polícia ou das câmeras da Cidade que mostrem violência ou danos à propriedade causados por agentes federais, a não ser que o vídeo faça parte de uma investigação.
place-complaint = Qualquer pessoa pode registrar uma queixa no Gabinete do Administrador da Cidade, que deve investigá-la. Uma queixa sobre um policial ou funcionário da polícia também é registrada na Unidade de Padrões Profissionais do Departamento de Polícia; uma sobre um funcionário de escola, também com o Superintendente Escolar. (2.129.050)
place-reports = A cada seis meses, o Comissário de Polícia informa à Secretaria Municipal, para o Comitê de Segurança Pública da Câmara Municipal, quantos pedidos de detenção, mandados e pedidos de notificação do ICE a polícia recebeu, quantas pessoas foram detidas ou transferidas para o ICE e quantas vezes a polícia cooperou com o ICE. (2.129.060)
question-ask-status = Um funcionário da Cidade pode me perguntar sobre o meu status imigratório?
question-hold = A polícia pode me manter sob custódia por mais tempo porque o ICE enviou um pedido de detenção?
question-visit = Os agentes do ICE podem me ver ou me ligar enquanto estou sob custódia da polícia?
question-address = Enquanto estou sob custódia da polícia, a polícia pode dar ao ICE o meu endereço de casa?
question-parking = O ICE pode usar um estacionamento ou um prédio da Cidade para a fiscalização de imigração?
