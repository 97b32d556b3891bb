/*
 * sendq.h - the ordered send queue of a paceline-membership connection (pure: the transport
 * and the timer are the caller's, through ops; client.c drives it, tests/unit/membership/
 * test_sendq.c simulates it). A daemon queues peer messages (peer.h) without waiting for
 * paceline-membership's answer; they reach the group in the order queued, and each message's
 * outcome is reported once, in that same order.
 *
 * One group message is in flight at a time. Messages queued behind it go out together in the
 * next one (a batch: frames that end their message, back to back, up to batch_max bytes; a
 * frame that does not end its message goes alone), so the round trip to the daemon is paid
 * once per batch, not once per message, and nothing can overtake what is in flight.
 *
 *                push (queue was empty)
 *       IDLE --------------------------------> IN FLIGHT -- answer ok -------------+
 *        ^                                     ^   |  |      (done(NULL) for each  |
 *        |  queue empty                        |   |  |       message it ended;    |
 *        +-------------------------------------|---|--|----- next batch, or IDLE) <+
 *                                              |   |  |
 *                       timer (same batch) ----+   |  +-- answer other error: done(err) for
 *                                                  |      each message in it (the rest of a
 *                          answer 75 (ring full)   |      message cut in pieces is dropped
 *                                                  v      too), then the next batch
 *                                               WAITING (1, 2, 4 .. 64 ms; after
 *                                               give_up_ms of waiting: as another error)
 *
 * The queue holds at most limit bytes: a push beyond it (when something is queued already)
 * is refused at once with 75, nothing queued. The caller's done callbacks may push more.
 */
#ifndef PL_MEMBERSHIP_SENDQ_H
#define PL_MEMBERSHIP_SENDQ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "paceline/peer.h"

struct pl_sendq;

/* A message's outcome: err NULL when the daemon took its last frame. */
typedef void (*pl_sendq_done_fn)(const struct pl_error *err, void *arg);

struct pl_sendq_ops {
	/* Hand one group message to the daemon. true: its answer comes later, exactly once,
	 * through pl_sendq_answer. false (err set): it was not sent (handled as its answer). */
	bool (*transmit)(
	    const char *group, const void *data, size_t len, void *arg, struct pl_error *err);
	/* Call pl_sendq_retry after ms milliseconds. */
	void (*schedule)(unsigned ms, void *arg);
};

struct pl_sendq_stats {
	uint64_t messages;  /* messages queued */
	uint64_t transmits; /* group messages sent (batches and single frames) */
	uint64_t retries;   /* answers 75 waited out */
	uint64_t failed;    /* messages done with an error */
	size_t queued_bytes;
	unsigned queued_frames;
};

struct pl_sendq *pl_sendq_new(
    size_t batch_max, size_t limit, unsigned give_up_ms, const struct pl_sendq_ops *ops, void *arg);
/* Frees what is still queued without calling done (fail it first when that matters). */
void pl_sendq_free(struct pl_sendq *q);
/* Encode a message of `kind` (pl_peer_vsend, frames of pp's size) and queue it for group.
 * false with err set when it cannot be encoded or the queue is full (75); done is then not
 * called. Otherwise done (may be NULL) is called once, later, in queue order. */
bool pl_sendq_push(struct pl_sendq *q, const char *group, struct pl_peer *pp, pl_sendq_done_fn done,
    void *done_arg, struct pl_error *err, enum pl_peer_kind kind, va_list ap);
/* The same for a message the caller encodes: encode(collect, ..., encode_arg) hands over its
 * frames (at least one), which are queued as one message. */
bool pl_sendq_push_encoded(struct pl_sendq *q, const char *group, pl_peer_encode_fn encode,
    void *encode_arg, pl_sendq_done_fn done, void *done_arg, struct pl_error *err);
/* The daemon's answer to the group message in flight (err NULL: taken). */
void pl_sendq_answer(struct pl_sendq *q, const struct pl_error *err);
/* The retry timer asked for by ops.schedule fired. */
void pl_sendq_retry(struct pl_sendq *q);
/* A clean stop, when the main loop no longer runs: the messages of the group message in
 * flight are done with in_flight_err (their answer will not be read), then every other queued
 * frame goes to send, synchronously, one frame per group message, in order, each message's
 * done with its outcome (a piece that fails fails the rest of its message). Empties the
 * queue, done callbacks' pushes included. */
void pl_sendq_flush(struct pl_sendq *q,
    bool (*send)(const char *group, const void *data, size_t len, void *arg, struct pl_error *err),
    void *arg, const struct pl_error *in_flight_err);
bool pl_sendq_empty(const struct pl_sendq *q);
void pl_sendq_get_stats(const struct pl_sendq *q, struct pl_sendq_stats *out);

#endif
