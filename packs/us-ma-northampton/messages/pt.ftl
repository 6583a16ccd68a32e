# O que a lei de Northampton significa para os moradores, em palavras
# simples. RASCUNHO ainda não revisado (ver crates/messages/catalogues/pt).

place-name = Northampton
place-law-1 = A não ser que uma lei estadual ou federal exija, a Cidade não faz nada com o único objetivo de ajudar a fiscalização federal de imigração, incluindo dar informações a uma agência estadual ou federal. Isso vale para todos os departamentos da Cidade, não só a polícia. A lei federal (8 U.S.C. §1373) ainda pode permitir que a Cidade compartilhe a cidadania ou o status imigratório de uma pessoa. (Safe City ordinance, A)
place-law-2 = A Cidade não usa os seus recursos para descobrir o seu status imigratório, a não ser que uma lei estadual ou federal exija ou que seja necessário para dar um benefício público. (Safe City ordinance, B(1))
place-law-3 = A Cidade não toma medidas, como parar ou prender você, por causa do seu status imigratório ou do que ela acha que ele é, a não ser que a medida seja necessária para dar um benefício público. (Safe City ordinance, B(2))
place-law-4 = Se você pudesse ser solto, a Cidade não vai manter você sob custódia, nem soltar você mais tarde, por causa de um pedido de detenção (detainer) de imigração. (Safe City ordinance, B(3))
place-law-5 = Funcionários da Cidade não agem como agentes de imigração, nem por um acordo federal 287(g) nem por qualquer outra lei. (Safe City ordinance, B(4))
question-ask-status = Quando eu denuncio um crime ou ligo para o 911, um funcionário da Cidade ou um policial pode investigar o meu status imigratório?
question-benefit = Um escritório da Cidade pode perguntar sobre o meu status imigratório quando precisa saber para me dar um benefício público?
question-hold = A polícia pode me manter sob custódia por mais tempo porque o ICE enviou um pedido de detenção?
question-address = Um escritório da Cidade pode dar o meu endereço ao ICE para ajudar na fiscalização de imigração?
question-parking = O ICE pode usar um estacionamento ou um prédio da Cidade para a fiscalização de imigração?
