# Multi-line bodies (RFC 1939 section 3): stuffed dots are removed, a
# lone "." inside the body stays, only "CRLF.CRLF" ends the message, and
# bare LF and CR are content, kept byte for byte.
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
X: retr 1
C: RETR 1
S: +OK
S: ..
S: ...
S: ..x
R: a bare LF\n.\nis content, so is\r.\r and this\r\n
S: .unstuffed by the rule, \x00 NUL too
S: .
E: msg-begin 1
E: msg-end 1 88 ".\r\n..\r\n.x\r\na bare LF\n.\nis content, so is\r.\r and this\r\nunstuffed by the rule, \x00 NUL too\r\n"
X: retr 2
C: RETR 2
S: +OK empty message
S: .
E: msg-begin 2
E: msg-end 2 0 ""
X: top 3 0
C: TOP 3 0
S: +OK
S: Subject: top
S:
S: .
E: msg-begin 3
E: msg-end 3 16 "Subject: top\r\n\r\n"
