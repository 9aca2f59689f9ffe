# AUTH SCRAM-SHA-256 (the exchange of RFC 7677 section 3): the session
# passes each 334 challenge out and each base64 response in, marked
# secret; the server's final message comes as a challenge answered with an
# empty line (RFC 4954 section 4).
P: server=smtp.example.org
S: 220 smtp.example.org ESMTP Postfix
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-AUTH SCRAM-SHA-256 PLAIN
S: 250 ENHANCEDSTATUSCODES
E: ready AUTH=SCRAM-SHA-256,PLAIN ENHANCEDSTATUSCODES
X: auth SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
C: AUTH SCRAM-SHA-256 <<biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=>>
S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=
E: auth-challenge "cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY="
X: respond Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==
C: <<Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==>>
S: 334 dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==
E: auth-challenge "dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ=="
X: respond
C:
S: 235 2.7.0 Authentication successful
E: auth-done 235 2.7.0 Authentication successful
X: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed
