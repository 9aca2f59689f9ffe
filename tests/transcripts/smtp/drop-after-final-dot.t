# The connection drops after the final "." and before the reply
# (data-loss scenario 5): unknown, maybe delivered.
P: server=smtp.example.org no-pipelining
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250 smtp.example.org
E: ready
X: mail from=alice@example.org to=bob@example.org
C: MAIL FROM:<alice@example.org>
S: 250 2.1.0 Ok
C: RCPT TO:<bob@example.org>
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250 2.1.5
X: data
C: DATA
S: 354 go ahead
E: data-ready
X: write "no final newline"
X: end
C: no final newline
C: .
X: eof
E: error connection: *lost after the end of the message, before the server answered: the message may or may not have been delivered*
X: msg-state
E: msg-state unknown
