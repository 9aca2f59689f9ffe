# The connection drops in the middle of RETR (data-loss scenario 1): the
# partial message is never complete, and nothing was deleted.
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
X: retr 1 size=80
C: RETR 1
S: +OK 80 octets
S: From: bob@petrel.test
R: Subject: do
E: msg-begin 1
X: eof
E: msg-incomplete 1 34 "From: bob@petrel.test\r\nSubject: do"
E: error connection: *lost in the middle of message 1 (34 bytes received): the message is incomplete*
X: update
E: update none marked=0
