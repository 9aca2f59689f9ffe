# 421 as the greeting ends the session at once.
P: server=mail.petrel.test
S: 421 4.3.2 Service shutting down
E: closed connection: server mail.petrel.test is closing the connection: 421 4.3.2 Service shutting down
