# Without PIPELINING, commands go one at a time.
P: server=pop.example
S: +OK ready
C: CAPA
S: +OK
S: USER
S: .
E: ready USER
X: user alice alice-secret
C: USER alice
S: +OK
C: PASS <<alice-secret>>
S: +OK Logged in.
E: logged-in Logged in.
X: stat
X: noop
C: STAT
S: +OK 0 0
E: stat 0 0
C: NOOP
S: +OK
E: done NOOP
