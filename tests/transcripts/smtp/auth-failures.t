# Refused authentication is an event, not the end of the session: 535
# (Postfix's text), 454 (temporary), and a cancelled exchange (501).
P: server=mail.petrel.test
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
S: 250 PIPELINING
E: ready AUTH=PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-1,SCRAM-SHA-256 PIPELINING
X: auth PLAIN AGFsaWNlAHdyb25n
C: AUTH PLAIN <<AGFsaWNlAHdyb25n>>
S: 535 5.7.8 Error: authentication failed: (reason unavailable)
E: failed AUTH authentication: server mail.petrel.test refused authentication: 535 5.7.8 Error: authentication failed: (reason unavailable)
X: auth SCRAM-SHA-256
C: AUTH SCRAM-SHA-256
S: 334\x20
E: auth-challenge ""
X: cancel
C: *
S: 501 5.7.0 Authentication aborted
E: failed AUTH cancelled: server mail.petrel.test ended the cancelled authentication: 501 5.7.0 Authentication aborted
X: auth LOGIN
C: AUTH LOGIN
S: 454 4.7.0 Temporary authentication failure
E: failed AUTH connection: server mail.petrel.test refused authentication: 454 4.7.0 Temporary authentication failure
X: auth XOAUTH2 eA==
E: refused unsupported: *does not offer the XOAUTH2 mechanism (it offers: PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256)*
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
