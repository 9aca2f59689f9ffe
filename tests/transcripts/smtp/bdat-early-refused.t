# BDAT ... LAST pipelined with MAIL and RCPT (one recipient, CHUNKING
# and PIPELINING): the message is on its way before the envelope's
# replies.  A refused recipient leaves none, so the server refuses the
# BDAT: nothing is delivered, and the recipients' results (the reason)
# come before the refusal.
P: server=mail.petrel.test
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-ENHANCEDSTATUSCODES
S: 250 CHUNKING
E: ready CHUNKING ENHANCEDSTATUSCODES PIPELINING
X: mail from=alice@petrel.test to=nobody@nowhere.invalid
E: data-ready
X: write "Subject: lost\n\nnobody\n"
X: end
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: BDAT 25 LAST
C: Subject: lost
C:
C: nobody
S: 250 2.1.0 Ok
S: 554 5.7.1 <nobody@nowhere.invalid>: Relay access denied
E: rcpts accepted=0 rejected=1: <nobody@nowhere.invalid> 554 5.7.1
# Neither RSET nor DATA is the caller's to give here.
X: data
E: refused internal: *not allowed in SMTP state DOT*
S: 554 5.5.1 Error: no valid recipients
E: failed BDAT rejected: server mail.petrel.test refused the message: 554 5.5.1 Error: no valid recipients
X: msg-state
E: msg-state not-sent

# A 4xx for the recipient: the same, and the message may go later.
X: mail from=alice@petrel.test to=bob@petrel.test
E: data-ready
X: write "x\n"
X: end
C: RSET
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: BDAT 3 LAST
C: x
S: 250 2.0.0 Ok
S: 250 2.1.0 Ok
S: 450 4.2.0 <bob@petrel.test>: Recipient address rejected: Greylisted
E: rcpts accepted=0 rejected=1: <bob@petrel.test> 450 4.2.0
S: 554 5.5.1 Error: no valid recipients
E: failed BDAT rejected: *no valid recipients

# The sender refused: that is what the caller hears; the replies to the
# recipient and to the chunk are swallowed, and writing more is refused.
X: mail from=eve@petrel.test to=bob@petrel.test
E: data-ready
X: write "Subject: first half\n"
C: RSET
C: MAIL FROM:<eve@petrel.test>
C: RCPT TO:<bob@petrel.test>
S: 250 2.0.0 Ok
S: 553 5.7.1 <eve@petrel.test>: Sender address rejected: not owned by user alice
S: 503 5.5.1 Error: need MAIL command
E: failed MAIL rejected: server mail.petrel.test refused the sender <eve@petrel.test>: 553 5.7.1 <eve@petrel.test>: Sender address rejected: not owned by user alice
X: write "second half\n"
E: refused rejected: server mail.petrel.test refused the message
X: msg-state
E: msg-state not-sent

# The next message goes as usual.
X: mail from=alice@petrel.test to=bob@petrel.test
E: data-ready
X: write "ok\n"
X: end
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: BDAT 4 LAST
C: ok
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
S: 250 2.0.0 Ok: 4 bytes queued as 9GHI
E: sent 250 2.0.0 Ok: 4 bytes queued as 9GHI
