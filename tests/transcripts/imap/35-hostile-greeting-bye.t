# BYE as greeting: the server refuses the connection.
S: * BYE Too many connections
E: bye Too many connections
X: eof
X: show-state
E: state LOGOUT tls=0 caps-known=0 in-flight=0
