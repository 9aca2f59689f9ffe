# Message 0 does not exist.
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
X: list
C: LIST
S: +OK
S: 0 100
E: error protocol: *malformed LIST line*
