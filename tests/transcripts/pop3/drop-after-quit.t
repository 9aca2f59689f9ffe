# The connection drops after QUIT was sent, before its answer: the
# marked messages may or may not be gone.
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
X: quit
C: QUIT
X: eof
E: closed update=unknown connection: connection to server pop.example closed before QUIT was answered: messages marked for deletion may or may not have been deleted
X: update
E: update unknown marked=1
