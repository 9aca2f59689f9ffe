# An old server without EHLO: HELO, and no extensions.
P: server=old.example.org
S: 220 old.example.org SMTP ready
C: EHLO client.example.org
S: 500 Command unrecognized
C: HELO client.example.org
S: 250 old.example.org
E: ready helo
X: mail from=alice@example.org to=bob@example.org size=100
C: MAIL FROM:<alice@example.org>
S: 250 ok
C: RCPT TO:<bob@example.org>
S: 250 ok
E: rcpts accepted=1 rejected=0: <bob@example.org> 250
