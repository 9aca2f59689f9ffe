# Multi-line replies split across packets at awkward places: inside the
# code, between CR and LF, inside a continuation line.  (Every transcript
# is also replayed one byte at a time; this one shows the splits.)
P: server=mail.petrel.test
R: 2
R: 20 mail.petrel.test ESMTP Postfix\r
R: \n
C: EHLO client.example.org
R: 250-mail.petrel.test\r\n25
R: 0-PIPELINING\r\n250-SIZE 204
R: 80000\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNK
R: ING\r
R: \n
E: ready 8BITMIME CHUNKING DSN ENHANCEDSTATUSCODES PIPELINING SIZE=20480000 SMTPUTF8
X: noop
C: NOOP
# Bare LF line ends are accepted too.
R: 250-first\n250 2.0.0 Ok\n
E: done NOOP
