# The connection drops after 354, while the message is being written
# (data-loss scenario 5): it was not sent.
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
S: 354 End data with <CR><LF>.<CR><LF>
E: data-ready
X: write "Subject: hi\n\nbody\n"
C: Subject: hi
C:
C: body
X: eof
E: error connection: *lost while sending the message: it was not sent*
X: msg-state
E: msg-state not-sent
