/*
 * core: the one header the faces (ui/ and src/cmd/) include.
 *
 * Everything a face may use of the core comes through here: the requests
 * it posts to an account's worker, the events it reads back, jobs and
 * their cancellation, and the queues it polls.  The faces include no
 * other core, backend or protocol header (doc/ARCHITECTURE.md).  Each
 * part of the core adds its public header below.
 */
#ifndef CORE_H
#define CORE_H

/* Workers, queues and jobs: the faces never wait on the network. */
#include "core/core-event.h"
#include "core/core-job.h"
#include "core/core-queue.h"
#include "core/core-request.h"
#include "core/core-worker.h"

#endif
