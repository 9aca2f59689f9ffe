# CVE-2008-5006: a server that answers QUIT by closing the connection.
# The message was already sent (250 after "."); QUIT ends cleanly.
P: server=smtp.example.org no-pipelining
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250 smtp.example.org
E: ready
X: mail from=alice@example.org to=bob@example.org
C: MAIL FROM:<alice@example.org>
S: 250 Ok
C: RCPT TO:<bob@example.org>
S: 250 Ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250
X: data
C: DATA
S: 354 go ahead
E: data-ready
X: write "hello\r\n"
X: end
C: hello
C: .
S: 250 Ok: queued
E: sent 250 Ok: queued
X: quit
C: QUIT
X: eof
E: closed
X: msg-state
E: msg-state sent
