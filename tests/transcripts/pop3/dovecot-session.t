# A whole session with Dovecot 2.3 (its text captured from a real
# instance): CAPA, STLS, CAPA again over TLS, a refused then an accepted
# password, STAT, LIST, UIDL, TOP n 0, RETR with dot-stuffed lines, DELE,
# RSET, DELE and QUIT (UPDATE).  Dovecot offers PIPELINING, so USER and
# PASS go out together.
P: server=pop.petrel.test stls
S: +OK Dovecot (Debian) ready.
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: RESP-CODES
S: PIPELINING
S: AUTH-RESP-CODE
S: STLS
S: SASL CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
S: .
C: STLS
S: +OK Begin TLS negotiation now.
E: stls Begin TLS negotiation now.
X: tls-started
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: RESP-CODES
S: PIPELINING
S: AUTH-RESP-CODE
S: USER
S: SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
S: .
E: ready TOP UIDL USER RESP-CODES AUTH-RESP-CODE PIPELINING SASL=PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-1,SCRAM-SHA-256
X: user alice wrong
C: USER alice
C: PASS <<wrong>>
S: +OK
S: -ERR [AUTH] Authentication failed.
E: failed PASS authentication [AUTH]: server pop.petrel.test refused PASS: [AUTH] Authentication failed.
X: user alice alice-secret
C: USER alice
C: PASS <<alice-secret>>
S: +OK
S: +OK Logged in.
E: logged-in Logged in.
X: stat
C: STAT
S: +OK 3 2659
E: stat 3 2659
X: list
C: LIST
S: +OK 3 messages:
S: 1 80
S: 2 47
S: 3 2532
S: .
E: list 1 80
E: list 2 47
E: list 3 2532
E: done LIST
X: uidl
C: UIDL
S: +OK
S: 1 000000016b032509
S: 2 000000026b032509
S: 3 000000036b032509
S: .
E: uidl 1 000000016b032509
E: uidl 2 000000026b032509
E: uidl 3 000000036b032509
E: done UIDL
X: list 1
C: LIST 1
S: +OK 1 80
E: list 1 80
X: uidl 1
C: UIDL 1
S: +OK 1 000000016b032509
E: uidl 1 000000016b032509
X: list 99
C: LIST 99
S: -ERR There's no message 99.
E: failed LIST rejected: server pop.petrel.test refused LIST 99: There's no message 99.
X: top 1 0
C: TOP 1 0
S: +OK
S: From: bob@petrel.test
S: Subject: dots
S:
S: .
E: msg-begin 1
E: msg-end 1 40 "From: bob@petrel.test\r\nSubject: dots\r\n\r\n"
X: retr 1 size=80
C: RETR 1
S: +OK 80 octets
S: From: bob@petrel.test
S: Subject: dots
S:
S: line one
S: ..
S: ...two dots
S: ..leading
S: end
S: .
E: msg-begin 1
E: msg-end 1 80 "From: bob@petrel.test\r\nSubject: dots\r\n\r\nline one\r\n.\r\n..two dots\r\n.leading\r\nend\r\n"
X: dele 1
C: DELE 1
S: +OK Marked to be deleted.
E: done DELE 1
X: rset
C: RSET
S: +OK
E: done RSET
X: update
E: update none marked=0
X: noop
C: NOOP
S: +OK
E: done NOOP
X: dele 2
C: DELE 2
S: +OK Marked to be deleted.
E: done DELE 2
X: quit
C: QUIT
S: +OK Logging out, messages deleted.
E: closed update=done
X: update
E: update done marked=1
