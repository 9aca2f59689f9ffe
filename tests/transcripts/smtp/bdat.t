# CHUNKING with PIPELINING (Postfix offers both): the message goes as
# BDAT chunks with no dot-stuffing; line ends are still made CRLF.
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
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
X: data
E: data-ready
X: write "Subject: chunked\n\n.no stuffing here\nlast line"
X: end
C: BDAT 50 LAST
C: Subject: chunked
C:
C: .no stuffing here
C: last line
S: 250 2.0.0 Ok: 50 bytes queued as 4XYZ
E: sent 250 2.0.0 Ok: 50 bytes queued as 4XYZ

# A refused chunk: the message failed; the next message starts with RSET.
X: mail from=alice@petrel.test to=bob@petrel.test
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
X: data
E: data-ready
X: write "x"
X: end
C: BDAT 3 LAST
C: x
S: 552 5.3.4 Message size exceeds fixed limit
E: failed BDAT rejected: server mail.petrel.test refused the message: 552 5.3.4 Message size exceeds fixed limit
X: mail from=alice@petrel.test to=bob@petrel.test
C: RSET
C: MAIL FROM:<alice@petrel.test>
C: RCPT TO:<bob@petrel.test>
S: 250 2.0.0 Ok
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@petrel.test> 250 2.1.5
X: rset
C: RSET
S: 250 2.0.0 Ok
E: done RSET
