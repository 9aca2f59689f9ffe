# A 554 greeting is a refusal (hostile-servers S2).
P: server=smtp.example.org
S: 554 5.7.1 smtp.example.org: Client host rejected: go away
E: error rejected: *server smtp.example.org refused the connection: 554 5.7.1 smtp.example.org: Client host rejected: go away*
