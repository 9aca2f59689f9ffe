# Without an explicit discard, tls-started drops the injected bytes
# itself, including a partial line.
P: server=smtp.example.org starttls
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250 STARTTLS
C: STARTTLS
R: 220 Go ahead\r\n250 injected\r\n250-half a li
E: starttls
X: tls-started
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250 SIZE 1000
E: ready SIZE=1000
X: quit
C: QUIT
S: 221 Bye
E: closed
