# An unsolicited 421 while nothing is pending (Postfix's idle timeout).
P: server=mail.petrel.test
S: 220 mail.petrel.test ESMTP Postfix
C: EHLO client.example.org
S: 250 mail.petrel.test
E: ready
S: 421 4.4.2 mail.petrel.test Error: timeout exceeded
E: closed connection: server mail.petrel.test is closing the connection: 421 4.4.2 mail.petrel.test Error: timeout exceeded
