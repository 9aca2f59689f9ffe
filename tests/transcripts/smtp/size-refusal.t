# A message over the server's SIZE is refused before anything is sent, as
# are messages needing 8BITMIME or SMTPUTF8 from a server without them, and
# addresses that would inject commands.
P: server=smtp.example.org
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-SIZE 20971520
S: 250 PIPELINING
E: ready PIPELINING SIZE=20971520
X: mail from=alice@example.org to=bob@example.org size=26214400
E: refused rejected: *message is 25 MB, server smtp.example.org accepts at most 20 MB*
X: mail from=alice@example.org to=bob@example.org size=1000 8bit
E: refused unsupported: *has 8-bit content and server smtp.example.org does not offer 8BITMIME*
X: mail from=alice@example.org "to=b\xc3\xb6b@example.org"
E: refused unsupported: *needs SMTPUTF8*
X: mail from=alice@example.org "to=bob@example.org>\r\nRCPT TO:<eve@example.org"
E: refused usage: *invalid recipient address*
X: mail "from=alice smith@example.org" to=bob@example.org
E: refused usage: *invalid sender address*
# Exactly at the limit is fine.  (One recipient with PIPELINING: DATA
# goes with the envelope.)
X: mail from=alice@example.org to=bob@example.org size=20971520
C: MAIL FROM:<alice@example.org> SIZE=20971520
C: RCPT TO:<bob@example.org>
C: DATA
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250 2.1.5
S: 354 End data with <CR><LF>.<CR><LF>
X: data
E: data-ready
X: write "Subject: at the limit\n\nok\n"
X: end
C: Subject: at the limit
C:
C: ok
C: .
S: 250 2.0.0 Ok: queued as 7ABC
E: sent 250 2.0.0 Ok: queued as 7ABC
