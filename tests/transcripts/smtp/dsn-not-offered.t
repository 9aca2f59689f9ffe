# Without DSN on the server the DSN parameters are left out.
P: server=plain.example no-chunking
S: 220 plain.example ESMTP
C: EHLO client.example.org
S: 250-plain.example
S: 250 SIZE
E: ready SIZE=0
X: mail from=alice@example.org to=bob@example.org size=500 ret=full envid=x notify=never orcpt
C: MAIL FROM:<alice@example.org> SIZE=500
S: 250 Ok
C: RCPT TO:<bob@example.org>
S: 250 Ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250
