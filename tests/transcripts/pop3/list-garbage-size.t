# A single LIST with junk in the size.
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
X: list 1
C: LIST 1
S: +OK 1 12abc
E: error protocol: *malformed LIST line*
