# A single LIST answered about another message.
P: server=pop.example
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: user alice secret
C: USER alice
S: +OK
C: PASS <<secret>>
S: +OK
E: logged-in
X: list 2
C: LIST 2
S: +OK 3 120
E: error protocol: *answered LIST 2 about message 3*
