/*
 * sendq.c - the ordered send queue of a paceline-membership connection (sendq.h: the state
 * machine, drawn there). Pure: no I/O, no clock; the transport and the retry timer come
 * through ops.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "sendq.h"

struct frame {
	char *group;
	uint8_t *data;
	size_t len;
	bool ends;	       /* ends its message: may be batched; done belongs here */
	pl_sendq_done_fn done; /* on the message's last frame */
	void *done_arg;
};

enum sendq_state { SENDQ_IDLE, SENDQ_IN_FLIGHT, SENDQ_WAITING };

struct pl_sendq {
	size_t batch_max, limit;
	unsigned give_up_ms;
	struct pl_sendq_ops ops;
	void *arg;
	GQueue frames; /* struct frame, oldest first */
	enum sendq_state state;
	unsigned in_flight; /* frames at the head that the message in flight carries */
	unsigned stale;	    /* answers still due for messages a flush reported */
	unsigned backoff_ms, waited_ms;
	bool pumping; /* pump() on the stack: an answer inside transmit waits */
	struct pl_sendq_stats st;
};

struct pl_sendq *
pl_sendq_new(
    size_t batch_max, size_t limit, unsigned give_up_ms, const struct pl_sendq_ops *ops, void *arg)
{
	struct pl_sendq *q = XNEW(struct pl_sendq);

	q->batch_max = batch_max;
	q->limit = limit;
	q->give_up_ms = give_up_ms;
	q->ops = *ops;
	q->arg = arg;
	g_queue_init(&q->frames);
	q->backoff_ms = 1;
	return q;
}

static void
frame_free(struct frame *f)
{
	free(f->group);
	free(f->data);
	free(f);
}

void
pl_sendq_free(struct pl_sendq *q)
{
	struct frame *f;

	if (q == NULL)
		return;
	while ((f = g_queue_pop_head(&q->frames)) != NULL)
		frame_free(f);
	free(q);
}

bool
pl_sendq_empty(const struct pl_sendq *q)
{
	return q->frames.length == 0;
}

void
pl_sendq_get_stats(const struct pl_sendq *q, struct pl_sendq_stats *out)
{
	*out = q->st;
	out->queued_frames = q->frames.length;
}

/* Pop the head frame; its message's outcome is err (NULL: taken) when it ends one. */
static void
finish_head(struct pl_sendq *q, const struct pl_error *err)
{
	struct frame *f = g_queue_pop_head(&q->frames);

	q->st.queued_bytes -= f->len;
	if (f->ends) {
		if (err != NULL)
			q->st.failed++;
		if (f->done != NULL)
			f->done(err, f->done_arg);
		else if (err != NULL)
			log_warnx("membership: a message to group %s was not sent: %s", f->group,
			    err->text);
	}
	frame_free(f);
}

/* Fail the n head frames of the message in flight and, when it was cut in pieces, the rest
 * of that message: its earlier pieces alone are dropped by the receivers. */
static void
fail_in_flight(struct pl_sendq *q, unsigned n, const struct pl_error *err)
{
	struct frame *f;
	bool ended = true;

	for (unsigned i = 0; i < n; i++) {
		ended = ((struct frame *)g_queue_peek_head(&q->frames))->ends;
		finish_head(q, err);
	}
	while (!ended && (f = g_queue_peek_head(&q->frames)) != NULL) {
		ended = f->ends;
		finish_head(q, err);
	}
}

/* How many head frames the next group message carries, and its length. */
static unsigned
next_batch(struct pl_sendq *q, size_t *len)
{
	GList *l = q->frames.head;
	struct frame *first = l->data;
	unsigned n = 1;

	*len = first->len;
	if (!first->ends)
		return 1;
	for (l = l->next; l != NULL; l = l->next) {
		struct frame *f = l->data;

		if (!f->ends || strcmp(f->group, first->group) != 0 || *len + f->len > q->batch_max)
			break;
		*len += f->len;
		n++;
	}
	return n;
}

static void answered(struct pl_sendq *q, const struct pl_error *err);

/* Send the next group message when nothing is in flight. An immediate failure of transmit
 * is its answer, handled here in a loop (no recursion). */
static void
pump(struct pl_sendq *q)
{
	if (q->pumping)
		return;
	q->pumping = true;
	while (q->state == SENDQ_IDLE && !g_queue_is_empty(&q->frames)) {
		struct pl_error err = PL_ERROR_INIT;
		struct frame *first = g_queue_peek_head(&q->frames);
		size_t len;
		unsigned n = next_batch(q, &len);
		uint8_t *buf = NULL;
		const void *data = first->data;
		bool ok;

		if (n > 1) {
			size_t off = 0;
			GList *l = q->frames.head;

			buf = xmalloc(len);
			for (unsigned i = 0; i < n; i++, l = l->next) {
				struct frame *f = l->data;

				memcpy(buf + off, f->data, f->len);
				off += f->len;
			}
			data = buf;
		}
		q->state = SENDQ_IN_FLIGHT;
		q->in_flight = n;
		q->st.transmits++;
		ok = q->ops.transmit(first->group, data, len, q->arg, &err);
		free(buf);
		if (!ok)
			answered(q, &err);
	}
	q->pumping = false;
}

static void
answered(struct pl_sendq *q, const struct pl_error *err)
{
	if (err != NULL && err->code == PL_EXIT_TEMPFAIL && q->waited_ms < q->give_up_ms) {
		q->state = SENDQ_WAITING;
		q->st.retries++;
		q->waited_ms += q->backoff_ms;
		q->ops.schedule(q->backoff_ms, q->arg);
		if (q->backoff_ms < 64)
			q->backoff_ms *= 2;
		return;
	}
	bool pumping = q->pumping;
	unsigned n = q->in_flight;

	q->backoff_ms = 1;
	q->waited_ms = 0;
	q->state = SENDQ_IDLE;
	q->in_flight = 0;
	q->pumping = true; /* a done callback may push: queued, sent after these are done */
	if (err == NULL) {
		for (unsigned i = 0; i < n; i++)
			finish_head(q, NULL);
	} else {
		fail_in_flight(q, n, err);
	}
	q->pumping = pumping;
}

void
pl_sendq_answer(struct pl_sendq *q, const struct pl_error *err)
{
	if (q->stale > 0) {
		q->stale--;
		return;
	}
	if (q->state != SENDQ_IN_FLIGHT) {
		log_warnx("membership: an answer to a send that is not in flight (ignored)");
		return;
	}
	answered(q, err);
	pump(q);
}

void
pl_sendq_retry(struct pl_sendq *q)
{
	if (q->state != SENDQ_WAITING)
		return;
	q->state = SENDQ_IDLE;
	q->in_flight = 0;
	pump(q);
}

void
pl_sendq_flush(struct pl_sendq *q,
    bool (*send)(const char *group, const void *data, size_t len, void *arg, struct pl_error *err),
    void *arg, const struct pl_error *in_flight_err)
{
	bool pumping = q->pumping, failing = false;
	struct pl_error err = PL_ERROR_INIT;
	struct frame *f;

	q->pumping = true; /* what done callbacks push now is sent by this loop too */
	if (q->state == SENDQ_IN_FLIGHT) {
		q->stale++; /* its answer, if one is ever read, is ignored */
		fail_in_flight(q, q->in_flight, in_flight_err);
	}
	q->state = SENDQ_IDLE; /* a batch waiting out 75 goes again, frame by frame */
	q->in_flight = 0;
	q->backoff_ms = 1;
	q->waited_ms = 0;
	while ((f = g_queue_pop_head(&q->frames)) != NULL) {
		if (!failing) {
			pl_error_clear(&err);
			q->st.transmits++;
			failing = !send(f->group, f->data, f->len, arg, &err);
		}
		q->st.queued_bytes -= f->len;
		if (f->ends) {
			if (failing)
				q->st.failed++;
			if (f->done != NULL)
				f->done(failing ? &err : NULL, f->done_arg);
			else if (failing)
				log_warnx("membership: a message to group %s was not sent: %s",
				    f->group, err.text);
			failing = false;
		}
		frame_free(f);
	}
	q->pumping = pumping;
}

/* pl_peer_vsend's output: each frame copied into a list of the message's frames. */
struct collect {
	GQueue frames;
	size_t bytes;
	const char *group;
};

static bool
collect_frame(const void *data, size_t len, void *arg, struct pl_error *err)
{
	struct collect *c = arg;
	struct frame *f = XNEW(struct frame);

	(void)err;
	f->group = xstrdup(c->group);
	f->data = xmemdup(data, len);
	f->len = len;
	f->ends = pl_peer_frame_ends_message(data, len);
	g_queue_push_tail(&c->frames, f);
	c->bytes += len;
	return true;
}

static void
drop_frames(GQueue *frames)
{
	struct frame *f;

	while ((f = g_queue_pop_head(frames)) != NULL)
		frame_free(f);
}

bool
pl_sendq_push_encoded(struct pl_sendq *q, const char *group, pl_peer_encode_fn encode,
    void *encode_arg, pl_sendq_done_fn done, void *done_arg, struct pl_error *err)
{
	struct collect c = { G_QUEUE_INIT, 0, group };
	struct frame *f, *last;

	if (!encode(collect_frame, &c, encode_arg, err)) {
		drop_frames(&c.frames);
		return false;
	}
	if (g_queue_is_empty(&c.frames)) {
		pl_error_set(err, PL_EXIT_SOFTWARE, "a message for group %s encoded no frame", group);
		return false;
	}
	if (!g_queue_is_empty(&q->frames) && q->st.queued_bytes + c.bytes > q->limit) {
		pl_error_set(err, PL_EXIT_TEMPFAIL,
		    "%zu bytes are already queued for group %s (limit %zu); try again",
		    q->st.queued_bytes, group, q->limit);
		drop_frames(&c.frames);
		return false;
	}
	last = g_queue_peek_tail(&c.frames);
	last->ends = true; /* a message's last frame always ends it */
	last->done = done;
	last->done_arg = done_arg;
	q->st.messages++;
	q->st.queued_bytes += c.bytes;
	while ((f = g_queue_pop_head(&c.frames)) != NULL)
		g_queue_push_tail(&q->frames, f);
	pump(q);
	return true;
}

/* pl_peer_vsend as an encoder (its arguments travel in a va_list) */
struct vsend {
	struct pl_peer *pp;
	enum pl_peer_kind kind;
	va_list ap;
};

static bool
encode_vsend(pl_peer_send_fn send, void *send_arg, void *arg, struct pl_error *err)
{
	struct vsend *v = arg;

	return pl_peer_vsend(v->pp, send, send_arg, err, v->kind, v->ap);
}

bool
pl_sendq_push(struct pl_sendq *q, const char *group, struct pl_peer *pp, pl_sendq_done_fn done,
    void *done_arg, struct pl_error *err, enum pl_peer_kind kind, va_list ap)
{
	struct vsend v = { .pp = pp, .kind = kind };
	bool ok;

	va_copy(v.ap, ap);
	ok = pl_sendq_push_encoded(q, group, encode_vsend, &v, done, done_arg, err);
	va_end(v.ap);
	return ok;
}
