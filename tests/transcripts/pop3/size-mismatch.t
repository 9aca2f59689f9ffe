# A message whose RETR size differs from LIST's is reported before its
# end, so the caller can decide; a matching one is not.
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
S: +OK 2 messages
S: 1 12
S: 2 100
S: .
E: list 1 12
E: list 2 100
E: done LIST
X: retr 1 size=12
C: RETR 1
S: +OK 12 octets
S: Subject: a
S: .
E: msg-begin 1
E: msg-end 1 12 "Subject: a\r\n"
X: retr 2 size=100
C: RETR 2
S: +OK
S: Subject: b
S:
S: shorter than announced
S: .
E: msg-begin 2
E: size-mismatch 2 expected=100 got=38
E: msg-end 2 38 "Subject: b\r\n\r\nshorter than announced\r\n"
