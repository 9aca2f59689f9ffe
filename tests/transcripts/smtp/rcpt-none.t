# No recipient accepted while DATA went out in the pipelined batch: DATA
# may still be answered 354 (RFC 2920 section 3.1), and then only a lone
# "." can follow, which the server refuses for want of recipients.
P: server=smtp.example.org no-chunking
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250 PIPELINING
E: ready PIPELINING
X: mail from=alice@example.org to=x@nowhere.invalid,y@nowhere.invalid partial
C: MAIL FROM:<alice@example.org>
C: RCPT TO:<x@nowhere.invalid>
C: RCPT TO:<y@nowhere.invalid>
C: DATA
S: 250 2.1.0 Ok
S: 550 5.1.1 <x@nowhere.invalid>: Recipient address rejected
S: 550 5.1.1 <y@nowhere.invalid>: Recipient address rejected
S: 354 go ahead
E: rcpts accepted=0 rejected=2: <x@nowhere.invalid> 550 5.1.1 | <y@nowhere.invalid> 550 5.1.1
X: data
E: refused rejected: *accepted none of the recipients*
X: rset
C: .
S: 554 5.5.1 Error: no valid recipients
C: RSET
S: 250 2.0.0 Ok
E: done RSET

# The same with DATA refused outright (Postfix's answer).
X: mail from=alice@example.org to=x@nowhere.invalid partial
C: MAIL FROM:<alice@example.org>
C: RCPT TO:<x@nowhere.invalid>
C: DATA
S: 250 2.1.0 Ok
S: 550 5.1.1 <x@nowhere.invalid>: Recipient address rejected
S: 554 5.5.1 Error: no valid recipients
E: rcpts accepted=0 rejected=1: <x@nowhere.invalid> 550 5.1.1
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET

# A refused sender: the RCPTs and the DATA are answered 503 and the
# message is reported refused; the next MAIL needs no RSET.
X: mail from=spammer@example.org to=x@example.org partial
C: MAIL FROM:<spammer@example.org>
C: RCPT TO:<x@example.org>
C: DATA
S: 550 5.7.1 Sender rejected
S: 503 5.5.1 Error: need MAIL command
S: 503 5.5.1 Error: need MAIL command
E: failed MAIL rejected: server smtp.example.org refused the sender <spammer@example.org>: 550 5.7.1 Sender rejected
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
