# A 421 in answer to RCPT ends the session: the message is not sent and
# the session takes no more commands.
P: server=mail.petrel.test no-pipelining
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250 8BITMIME
E: ready 8BITMIME
X: mail from=alice@petrel.test to=bob@petrel.test,carol@petrel.test
C: MAIL FROM:<alice@petrel.test>
S: 250 2.1.0 Ok
C: RCPT TO:<bob@petrel.test>
S: 421 4.4.2 mail.petrel.test Error: timeout exceeded
E: closed connection: server mail.petrel.test is closing the connection: 421 4.4.2 mail.petrel.test Error: timeout exceeded
X: msg-state
E: msg-state not-sent
X: mail from=alice@petrel.test to=bob@petrel.test
E: refused connection: *the SMTP session is closed*
