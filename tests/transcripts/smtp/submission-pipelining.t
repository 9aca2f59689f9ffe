# A whole submission to Postfix 3.7 (its text captured from a real
# instance): STARTTLS, AUTH PLAIN with an initial response, then MAIL, two
# RCPT and DATA in one pipelined batch (RFC 2920), the message with lines
# that need dot-stuffing, QUIT.
P: helo=client.example.org server=mail.petrel.test starttls no-chunking
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-SIZE 20480000
S: 250-VRFY
S: 250-ETRN
S: 250-STARTTLS
S: 250-ENHANCEDSTATUSCODES
S: 250-8BITMIME
S: 250-DSN
S: 250-SMTPUTF8
S: 250 CHUNKING
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
E: starttls
X: tls-started
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-SIZE 20480000
S: 250-VRFY
S: 250-ETRN
S: 250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
S: 250-ENHANCEDSTATUSCODES
S: 250-8BITMIME
S: 250-DSN
S: 250-SMTPUTF8
S: 250 CHUNKING
E: ready 8BITMIME AUTH=PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-1,SCRAM-SHA-256 CHUNKING DSN ENHANCEDSTATUSCODES PIPELINING SIZE=20480000 SMTPUTF8
X: auth PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==
C: AUTH PLAIN <<AGFsaWNlAGFsaWNlLXNlY3JldA==>>
S: 235 2.7.0 Authentication successful
E: auth-done 235 2.7.0 Authentication successful
X: mail from=alice@petrel.test to=bob@petrel.test,carol@petrel.test size=81 partial
C: MAIL FROM:<alice@petrel.test> SIZE=81
C: RCPT TO:<bob@petrel.test>
C: RCPT TO:<carol@petrel.test>
C: DATA
# All four replies arrive in one packet.
R: 250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n
E: rcpts accepted=2 rejected=0: <bob@petrel.test> 250 2.1.5 | <carol@petrel.test> 250 2.1.5
X: data
E: data-ready
X: write "From: alice@petrel.test\nTo: bob@petrel.test\nSubject: dots\n\n.leading dot\n..two\n.\nend"
X: end
C: From: alice@petrel.test
C: To: bob@petrel.test
C: Subject: dots
C:
C: ..leading dot
C: ...two
C: ..
C: end
C: .
S: 250 2.0.0 Ok: queued as 5EAB1A72022
E: sent 250 2.0.0 Ok: queued as 5EAB1A72022
X: msg-state
E: msg-state sent
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
