# The server closes the connection without a greeting.
P: server=smtp.example.org
X: eof
E: error connection: *closed the connection before its greeting*
