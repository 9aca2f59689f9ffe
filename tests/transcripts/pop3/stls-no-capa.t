# STLS required and CAPA refused: no STLS, no going on.
P: server=pop.example stls
S: +OK ready
C: CAPA
S: -ERR unknown command
E: error unsupported: *does not offer STLS*
