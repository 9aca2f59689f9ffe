/*
 * core-view-send: a sending worker for a face that does not wait.
 *
 * core_send_deliver() (core-send.h) and core_submit_send()
 * (core-submit.h) wait for their jobs, which suits the mailx face; the
 * TUI must keep its screen alive while a message goes out.  This worker
 * answers CORE_REQ_SEND (envelope sender, recipients and the message as
 * core_send_compose() built it) on the face's own event queue, with the
 * usual CORE_EV_DONE or CORE_EV_ERROR, by doing the waiting on its own
 * thread: through the submission server of smtp_url when that is set
 * (the outbox keeps what cannot go now), else through the sendmail
 * program.  A SEND with flush_outbox sends what waits in the outbox
 * instead, as petrel --flush-outbox does.
 *
 * No message is lost: when it cannot be sent and is not kept in the
 * outbox, the worker appends it to the DEAD file, and the error's
 * sentence says where the message is.
 *
 * Cancelling a SEND job takes effect only once the mail system is done
 * with the message: both ways of sending watch the process-wide
 * interrupt fd of core-folder.h, not the job's cancel fd.
 */
#ifndef CORE_VIEW_SEND_H
#define CORE_VIEW_SEND_H

#include "base/base-err.h"
#include "core/core-config.h"
#include "core/core-queue.h"
#include "core/core-worker.h"

/*
 * Starts the worker; it reads cfg (sendmail, smtp_url and the other
 * smtp_ variables, outbox, DEAD) on its own thread, so cfg must outlive
 * it.  events is the face's queue (freed by the caller only after the
 * worker).  Free the worker with core_worker_free().  Face thread; does
 * not block.
 */
int core_view_send_start(const struct config *cfg, struct core_queue *events,
                         struct core_worker **worker_r, struct err *err);

#endif
