# QUIT in the AUTHORIZATION state never deletes anything.
P: server=pop.example
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: quit
C: QUIT
S: +OK bye
E: closed update=none
