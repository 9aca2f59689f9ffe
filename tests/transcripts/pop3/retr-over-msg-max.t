# A message without end, with a size limit: the data stops at the limit,
# then the session does.
P: server=pop.example msg-max=100000
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
X: retr 1
C: RETR 1
S: +OK
S* 20000 line of text\r\n
E: msg-begin 1
E: error protocol: *message 1 from server pop.example is larger than the limit of 100000 bytes*
