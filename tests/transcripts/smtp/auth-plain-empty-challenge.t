# AUTH PLAIN without an initial response: the server's empty challenge
# ("334 " as Postfix sends it) gets the credentials.
P: server=smtp.example.org
S: 220 smtp.example.org ESMTP Postfix
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250 AUTH PLAIN
E: ready AUTH=PLAIN
X: auth PLAIN
C: AUTH PLAIN
S: 334\x20
E: auth-challenge ""
X: respond AGFsaWNlAGFsaWNlLXNlY3JldA==
C: <<AGFsaWNlAGFsaWNlLXNlY3JldA==>>
S: 235 2.7.0 Authentication successful
E: auth-done 235 2.7.0 Authentication successful
