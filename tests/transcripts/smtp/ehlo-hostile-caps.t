# Hostile capabilities are ignored, not trusted: SIZE -1 and an absurd
# SIZE mean "no limit stated", junk AUTH names are skipped.
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250-evil.example
S: 250-SIZE -1
S: 250-AUTH PLAIN <script> ../x LOGIN
S: 250-8BITMIME junk
S: 250 SIZE 99999999999999999999999
E: ready AUTH=PLAIN,LOGIN SIZE=0
