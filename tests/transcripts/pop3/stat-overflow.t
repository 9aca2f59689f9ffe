# A count that overflows is a protocol error, not a wrapped number.
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
S: +OK 99999999999999999999 5
E: error protocol: *malformed STAT reply*
