# A negative count to STAT is a protocol error.
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
X: stat
C: STAT
S: +OK -1 0
E: error protocol: *malformed STAT reply*
