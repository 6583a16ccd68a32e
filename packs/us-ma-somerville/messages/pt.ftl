# O que as leis de Somerville significam para os moradores, em palavras
# simples. RASCUNHO ainda não revisado (ver crates/messages/catalogues/pt).
# Confiabilidade BAIXA: ver o cabeçalho de en.ftl.

place-name = Somerville
place-caveat = Não foi possível verificar aqui o texto próprio da lei municipal de Somerville. Estas frases são lidas de um texto muito parecido (o rascunho de Cambridge de 2019, que segundo as fontes a lei de Somerville segue), por isso as palavras exatas de Somerville podem ser diferentes. Consulte a própria lei ou um advogado antes de confiar nelas.
place-law-1 = Sua cidadania, status imigratório, origem nacional, raça ou etnia não devem mudar em nada a forma como os funcionários da Cidade tratam você. (Welcoming Community Ordinance, equal treatment)
place-law-2 = Policiais e funcionários da Cidade não podem perguntar sobre o seu status imigratório, seja você vítima, suspeito, pessoa presa, alguém que liga para o 911 ou qualquer outra pessoa com quem tratem, a não ser que seja necessário para dar um benefício público. (Welcoming Community Ordinance, inquiries about immigration status)
place-law-3 = A polícia não vai parar, investigar nem prender você só por causa do seu status imigratório, ou do que ela acha que ele é. Ela não participa nem ajuda em operações ou batidas federais de imigração, a não ser com o apoio necessário para a segurança dos policiais ou para manter a ordem, como controlar o trânsito. (Welcoming Community Ordinance, role of police department; raids)
place-law-4 = A polícia não vai prender você nem mantê-lo sob custódia só por causa de um pedido de detenção (detainer) do ICE ou de um mandado administrativo do ICE que nenhum juiz assinou, nem mesmo por alguns minutos a mais. (Welcoming Community Ordinance, ICE detainers and administrative warrants)
place-law-5 = Se a polícia receber um pedido de detenção ou um mandado do ICE sobre você enquanto estiver sob custódia dela, deve lhe dar uma cópia, e todos os outros papéis que tiver sobre o seu caso de imigração. (Welcoming Community Ordinance, notice to individuals)
place-law-6 = Enquanto você estiver sob custódia policial, os agentes do ICE não podem ver você nem falar com você por telefone ou vídeo, a não ser que tenham um mandado ou uma ordem de um juiz. (Welcoming Community Ordinance, ICE access to facilities)
place-law-7 = Enquanto você estiver sob custódia policial, a polícia não dá ao ICE o seu endereço de casa ou de trabalho, a data da sua soltura, as datas das suas audiências nem outros dados pessoais, a não ser o que qualquer pessoa pode obter pela lei de registros públicos. A lei municipal ainda permite que a polícia compartilhe a cidadania ou o status imigratório de uma pessoa. (Welcoming Community Ordinance, federal requests for information)
place-law-8 = As escolas públicas de Somerville não podem exigir que um aluno ou os pais digam o seu status imigratório ou de cidadania para matricular o aluno. Se funcionários da escola ficarem sabendo, não o guardam nem o repassam, a não ser que uma lei exija. (Welcoming Community Ordinance, school records)
place-reports = O Chefe de Polícia deve informar quantos pedidos de detenção, detenções, mandados administrativos e pedidos de notificação do ICE a polícia recebeu. Não foi encontrado com que frequência o relatório é devido. (Welcoming Community Ordinance, reporting)
question-ask-status = Quando eu denuncio um crime ou ligo para o 911, um policial ou funcionário da Cidade pode perguntar sobre o meu status imigratório?
question-benefit = Um escritório da Cidade pode perguntar sobre o meu status imigratório quando precisa saber para me dar um benefício público?
question-hold = A polícia pode me manter sob custódia por mais tempo porque o ICE enviou um pedido de detenção?
question-release = Enquanto estou sob custódia policial, a polícia pode dizer ao ICE quando vou ser solto?
question-visit = Os agentes do ICE podem me ver ou me ligar enquanto estou sob custódia policial?
