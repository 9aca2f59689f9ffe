# STLS required and refused: the session ends.
P: server=pop.example stls
S: +OK ready
C: CAPA
S: +OK
S: STLS
S: .
C: STLS
S: -ERR [SYS/TEMP] TLS not available
E: error tls: *refused STLS: [SYS/TEMP] TLS not available*
