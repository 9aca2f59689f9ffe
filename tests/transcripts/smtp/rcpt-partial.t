# One recipient refused among three (Postfix's relay refusal).  The
# results come before DATA; the caller decides.
# 1. Partial delivery not acceptable: MAIL and RCPTs are pipelined, DATA
# is held back, and the caller abandons the message with RSET.
P: server=mail.petrel.test no-chunking
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-ENHANCEDSTATUSCODES
S: 250 8BITMIME
E: ready 8BITMIME ENHANCEDSTATUSCODES PIPELINING
X: mail from=alice@petrel.test to=bob@petrel.test,nobody@nowhere.invalid,carol@petrel.test
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: RCPT TO:<carol@petrel.test>
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 554 5.7.1 <nobody@nowhere.invalid>: Relay access denied
S: 250 2.1.5 Ok
E: rcpts accepted=2 rejected=1: <bob@petrel.test> 250 2.1.5 | <nobody@nowhere.invalid> 554 5.7.1 | <carol@petrel.test> 250 2.1.5
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET
X: msg-state
E: msg-state not-sent

# 2. Partial delivery acceptable: DATA goes in the same batch and the
# message goes to the two accepted recipients.
X: mail from=alice@petrel.test to=bob@petrel.test,nobody@nowhere.invalid,carol@petrel.test partial
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: RCPT TO:<carol@petrel.test>
C: DATA
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 554 5.7.1 <nobody@nowhere.invalid>: Relay access denied
S: 250 2.1.5 Ok
S: 354 End data with <CR><LF>.<CR><LF>
E: rcpts accepted=2 rejected=1: <bob@petrel.test> 250 2.1.5 | <nobody@nowhere.invalid> 554 5.7.1 | <carol@petrel.test> 250 2.1.5
# RSET cannot take back a pipelined DATA once recipients were accepted.
X: rset
E: refused usage: *only closing the connection abandons this message*
