# The connection drops after DELE was answered, before QUIT: nothing was
# deleted (RFC 1939 section 6).
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
X: dele 1
C: DELE 1
S: +OK Marked to be deleted.
E: done DELE 1
X: eof
E: error connection: *closed the connection; no message was deleted (the server deletes only after QUIT)*
X: update
E: update none marked=1
