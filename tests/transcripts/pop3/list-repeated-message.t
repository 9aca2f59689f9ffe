# Message numbers in a list must grow: a repeat is a server gone wrong.
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
S: 1 100
S: 2 200
S: 2 200
E: list 1 100
E: list 2 200
E: error protocol: *listed message 2 after message 2*
