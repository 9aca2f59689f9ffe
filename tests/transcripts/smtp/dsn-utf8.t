# DSN parameters (RFC 3461) with xtext, SMTPUTF8 for a non-ASCII address
# (RFC 6531) and BODY=8BITMIME, as the server offers them.
P: server=mail.petrel.test no-chunking
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-SIZE 20480000
S: 250-ENHANCEDSTATUSCODES
S: 250-8BITMIME
S: 250-DSN
S: 250 SMTPUTF8
E: ready 8BITMIME DSN ENHANCEDSTATUSCODES PIPELINING SIZE=20480000 SMTPUTF8
X: mail from=alice@petrel.test "to=bob@petrel.test,j\xc3\xb6rg@petrel.test" size=500 8bit ret=hdrs envid=id+1=x notify=success,failure orcpt
C: MAIL FROM:<alice@petrel.test> SIZE=500 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+3Dx
C: RCPT TO:<bob@petrel.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@petrel.test
C: RCPT TO:<jörg@petrel.test> NOTIFY=SUCCESS,FAILURE
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=2 rejected=0: <bob@petrel.test> 250 2.1.5 | <jörg@petrel.test> 250 2.1.5
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET
