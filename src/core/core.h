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

/* Configuration: read-only after loading, readable from any thread. */
#include "core/core-config.h"
/* Workers, queues and jobs: the faces never wait on the network. */
#include "core/core-event.h"
#include "core/core-job.h"
#include "core/core-queue.h"
#include "core/core-request.h"
#include "core/core-worker.h"
/* Folders, accounts and sending, for faces that wait (the mailx face). */
#include "core/core-account.h"
#include "core/core-folder-msg.h"
#include "core/core-folder.h"
#include "core/core-send.h"
/* SMTP submission through smtp_url, and the outbox behind it. */
#include "core/core-submit.h"
/* The local notmuch store: named queries, --init-store, tags, delivery. */
#include "core/core-store.h"
/* POP3 into the store: petrel --fetch. */
#include "core/core-fetch.h"

#endif
