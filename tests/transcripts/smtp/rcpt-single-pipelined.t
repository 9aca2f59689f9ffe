# One recipient with PIPELINING and no CHUNKING: DATA goes with MAIL and
# RCPT (RFC 2920), so a message costs one round trip.  When the one
# recipient is refused the server must refuse DATA too: nothing of the
# message is sent, the caller is told the recipient's reply and abandons
# the transaction with RSET.
P: server=mail.petrel.test no-chunking
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-ENHANCEDSTATUSCODES
S: 250 8BITMIME
E: ready 8BITMIME ENHANCEDSTATUSCODES PIPELINING
X: mail from=alice@petrel.test to=nobody@nowhere.invalid
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: DATA
S: 250 2.1.0 Ok
S: 554 5.7.1 <nobody@nowhere.invalid>: Relay access denied
S: 554 5.5.1 Error: no valid recipients
E: rcpts accepted=0 rejected=1: <nobody@nowhere.invalid> 554 5.7.1
X: data
E: refused rejected: *accepted none of the recipients*
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET
X: msg-state
E: msg-state not-sent

# A server that answers the DATA with 354 all the same gets an empty
# message, which it cannot deliver to anyone; its reply is swallowed.
X: mail from=alice@petrel.test to=nobody@nowhere.invalid
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: DATA
S: 250 2.1.0 Ok
S: 550 5.1.1 <nobody@nowhere.invalid>: Recipient address rejected
E: rcpts accepted=0 rejected=1: <nobody@nowhere.invalid> 550 5.1.1
X: rset
S: 354 End data with <CR><LF>.<CR><LF>
C: .
S: 554 5.5.1 Error: no valid recipients
C: RSET
S: 250 2.0.0 Ok
E: done RSET

# The sender refused: the RCPT and DATA replies that follow are
# swallowed, and the session is ready for the next message.
X: mail from=eve@petrel.test to=bob@petrel.test
C: MAIL FROM:<eve@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: DATA
S: 553 5.7.1 <eve@petrel.test>: Sender address rejected: not owned by user alice
S: 503 5.5.1 Error: need MAIL command
S: 503 5.5.1 Error: need RCPT command
E: failed MAIL rejected: server mail.petrel.test refused the sender <eve@petrel.test>: 553 5.7.1 <eve@petrel.test>: Sender address rejected: not owned by user alice

# The one recipient accepted: the 354 is already there when the caller
# asks for DATA.
X: mail from=alice@petrel.test to=bob@petrel.test
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: DATA
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 354 End data with <CR><LF>.<CR><LF>
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
X: data
E: data-ready
X: write "Subject: hi\n\n.dot\n"
X: end
C: Subject: hi
C:
C: ..dot
C: .
S: 250 2.0.0 Ok: queued as 8DEF
E: sent 250 2.0.0 Ok: queued as 8DEF
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
