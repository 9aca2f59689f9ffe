/*
 * core-view-send: a sending worker for a face that does not wait.
 *
 * core_send_deliver() (core-send.h) waits for its job, which suits the
 * mailx face; the TUI must keep its screen alive while a message goes
 * out.  This worker answers CORE_REQ_SEND (envelope sender, recipients
 * and the message as core_send_compose() built it) on the face's own
 * event queue, with the usual CORE_EV_DONE or CORE_EV_ERROR, by handing
 * the message to the sendmail program through core_send_deliver() on its
 * own thread.
 *
 * Cancelling a SEND job takes effect only once the sendmail program has
 * finished: core_send_deliver() watches the process-wide interrupt fd of
 * core-folder.h, not the job's cancel fd.
 */
#ifndef CORE_VIEW_SEND_H
#define CORE_VIEW_SEND_H

#include "base/base-err.h"
#include "core/core-queue.h"
#include "core/core-worker.h"

/*
 * Starts the worker: sendmail is the program (copied; NULL or "": the
 * default of core-send.h), events the face's queue (freed by the caller
 * only after the worker).  Free the worker with core_worker_free().  Face
 * thread; does not block.
 */
int core_view_send_start(const char *sendmail, struct core_queue *events,
                         struct core_worker **worker_r, struct err *err);

#endif
