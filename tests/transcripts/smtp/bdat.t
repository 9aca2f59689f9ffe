# CHUNKING with PIPELINING (Postfix offers both): the message goes as
# BDAT chunks with no dot-stuffing; line ends are still made CRLF.  With
# one recipient the message follows the envelope at once (RFC 2920: a
# refused recipient leaves none, so the server must refuse the BDAT):
# data-ready comes right after mail, and the whole message costs one
# round trip.
P: server=mail.petrel.test
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250-mail.petrel.test
S: 250-PIPELINING
S: 250-SIZE 20480000
S: 250-8BITMIME
S: 250 CHUNKING
E: ready 8BITMIME CHUNKING PIPELINING SIZE=20480000
X: mail from=alice@petrel.test to=bob@petrel.test
E: data-ready
X: write "Subject: chunked\n\n.no stuffing here\nlast line"
X: end
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: BDAT 50 LAST
C: Subject: chunked
C:
C: .no stuffing here
C: last line
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
X: msg-state
E: msg-state pending
S: 250 2.0.0 Ok: 50 bytes queued as 4XYZ
E: sent 250 2.0.0 Ok: 50 bytes queued as 4XYZ

# A refused chunk: the message failed; the next message starts with RSET.
X: mail from=alice@petrel.test to=bob@petrel.test
E: data-ready
X: write "x"
X: end
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: BDAT 3 LAST
C: x
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
S: 552 5.3.4 Message size exceeds fixed limit
E: failed BDAT rejected: server mail.petrel.test refused the message: 552 5.3.4 Message size exceeds fixed limit
X: msg-state
E: msg-state not-sent

# Two recipients, partial delivery not acceptable: the results come
# before anything of the message, and the caller chooses.
X: mail from=alice@petrel.test to=bob@petrel.test,carol@petrel.test
C: RSET
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: RCPT TO:<carol@petrel.test>
S: 250 2.0.0 Ok
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=2 rejected=0: <bob@petrel.test> 250 2.1.5 | <carol@petrel.test> 250 2.1.5
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET

# Two recipients with partial delivery acceptable: the message goes at
# once too; the refused recipient is named, the others get it.
X: mail from=alice@petrel.test to=bob@petrel.test,nobody@nowhere.invalid partial
E: data-ready
X: write "Subject: partial\n\nhi\n"
X: end
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
C: RCPT TO:<nobody@nowhere.invalid>
C: BDAT 24 LAST
C: Subject: partial
C:
C: hi
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 554 5.7.1 <nobody@nowhere.invalid>: Relay access denied
E: rcpts accepted=1 rejected=1: <bob@petrel.test> 250 2.1.5 | <nobody@nowhere.invalid> 554 5.7.1
S: 250 2.0.0 Ok: 24 bytes queued as 5XYZ
E: sent 250 2.0.0 Ok: 24 bytes queued as 5XYZ
