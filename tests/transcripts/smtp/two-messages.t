# Two messages on one connection, without pipelining: each waits for its
# own replies; a refused message does not stop the next one, which then
# starts with RSET.
P: server=smtp.example.org
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-SIZE 10000000
S: 250 8BITMIME
E: ready 8BITMIME SIZE=10000000
X: mail from=alice@example.org to=bob@example.org size=20
C: MAIL FROM:<alice@example.org> SIZE=20
S: 250 2.1.0 Ok
C: RCPT TO:<bob@example.org>
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250 2.1.5
X: data
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
E: data-ready
X: write "Subject: one\r\n\r\nfirst\r\n"
X: end
C: Subject: one
C:
C: first
C: .
S: 250 2.0.0 Ok: queued as AAA
E: sent 250 2.0.0 Ok: queued as AAA
X: mail from=alice@example.org to=carol@example.org size=30 8bit
C: MAIL FROM:<alice@example.org> SIZE=30 BODY=8BITMIME
S: 250 2.1.0 Ok
C: RCPT TO:<carol@example.org>
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <carol@example.org> 250 2.1.5
X: data
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
E: data-ready
X: write "Subject: two\n\nsecond, gr\xc3\xbc\xc3\x9fe\n"
X: end
C: Subject: two
C:
C: second, grüße
C: .
S: 554 5.7.1 Spam detected
E: failed DOT rejected: server smtp.example.org refused the message: 554 5.7.1 Spam detected
X: msg-state
E: msg-state not-sent
X: mail from=alice@example.org to=dave@example.org
C: MAIL FROM:<alice@example.org>
S: 250 2.1.0 Ok
C: RCPT TO:<dave@example.org>
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <dave@example.org> 250 2.1.5
X: data
C: DATA
S: 452 4.3.1 Insufficient system storage
E: failed DATA rejected: server smtp.example.org refused the message: 452 4.3.1 Insufficient system storage
X: mail from=alice@example.org to=dave@example.org
C: RSET
S: 250 2.0.0 Ok
C: MAIL FROM:<alice@example.org>
S: 250 2.1.0 Ok
C: RCPT TO:<dave@example.org>
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <dave@example.org> 250 2.1.5
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
