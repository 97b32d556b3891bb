/*
 * test_sup.c - the launcher's supervisor driven by a simulated clock and simulated children:
 * each row of a test table says when its process answers its readiness probe, when it
 * crashes, and how it reacts to SIGTERM. The simulator delivers exits at their due time and
 * ticks the supervisor at its own next wakeup, as the daemon's single timer does.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "paceline/log.h"
#include "sup.h"

#define MAXROWS 8
#define MAXEV	4096
#define NEVER	UINT64_MAX

struct sim_row {
	bool installed;
	bool spawn_fails;      /* ENOENT */
	uint64_t ready_after;  /* probe succeeds this long after spawn (NEVER: never) */
	uint64_t crash_after;  /* exits by SIGSEGV this long after spawn (NEVER: never) */
	int crash_code;	       /* nonzero: exits with this code instead of SIGSEGV */
	uint32_t crashes_left; /* crash only this many times (0 = every time) */
	bool ignore_term;
	uint64_t term_delay; /* exits this long after SIGTERM */
};

struct event { /* what the supervisor did, in order */
	uint64_t t;
	char what; /* 's' spawn, 'T' SIGTERM, 'K' SIGKILL, 'r' running, 'x' stopped */
	size_t row;
};

static struct sim {
	uint64_t now;
	struct sim_row row[MAXROWS];
	struct launcher_child_def def[MAXROWS];
	size_t n;
	pid_t next_pid;
	pid_t pid[MAXROWS]; /* current process of the row (0 none) */
	uint64_t spawned[MAXROWS];
	uint64_t exit_at[MAXROWS]; /* NEVER: no exit pending */
	int exit_status[MAXROWS];
	uint32_t crashes[MAXROWS];
	struct event ev[MAXEV];
	size_t nev;
	struct launcher_sup sup;
	enum launcher_node_state last_state;
} S;

static size_t
row_of_def(const struct launcher_child_def *d)
{
	return (size_t)(d - S.def);
}

static size_t
row_of_pid(pid_t pid)
{
	for (size_t i = 0; i < S.n; i++)
		if (S.pid[i] == pid)
			return i;
	fail_msg("signal to unknown pid %d", (int)pid);
	return 0;
}

static void
record(char what, size_t row)
{
	assert_true(S.nev < MAXEV);
	S.ev[S.nev++] = (struct event){ S.now, what, row };
}

static pid_t
sim_spawn(void *arg, const struct launcher_child_def *d)
{
	size_t i = row_of_def(d);
	struct sim_row *r = &S.row[i];

	(void)arg;
	if (r->spawn_fails) {
		errno = ENOENT;
		return -1;
	}
	assert_int_equal(S.pid[i], 0); /* never two processes of one row */
	S.pid[i] = ++S.next_pid;
	S.spawned[i] = S.now;
	S.exit_at[i] = NEVER;
	if (r->crash_after != NEVER && (r->crashes_left == 0 || S.crashes[i] < r->crashes_left)) {
		S.exit_at[i] = S.now + r->crash_after;
		S.exit_status[i] = r->crash_code ? (r->crash_code << 8) : SIGSEGV;
		S.crashes[i]++;
	}
	record('s', i);
	return S.pid[i];
}

static void
sim_signal(void *arg, pid_t pid, int sig)
{
	size_t i = row_of_pid(pid);

	(void)arg;
	if (sig == SIGKILL) {
		record('K', i);
		S.exit_at[i] = S.now;
		S.exit_status[i] = SIGKILL;
	} else if (sig == SIGTERM) {
		record('T', i);
		if (!S.row[i].ignore_term) {
			S.exit_at[i] = S.now + S.row[i].term_delay;
			S.exit_status[i] = 0;
		}
	}
}

static bool
sim_probe(void *arg, const struct launcher_child_def *d)
{
	size_t i = row_of_def(d);

	(void)arg;
	return S.pid[i] != 0 && S.row[i].ready_after != NEVER &&
	    S.now >= S.spawned[i] + S.row[i].ready_after;
}

static bool
sim_gone(void *arg, pid_t pid)
{
	(void)arg;
	for (size_t i = 0; i < S.n; i++)
		if (S.pid[i] == pid)
			return S.exit_at[i] <= S.now;
	return false;
}

static bool
sim_installed(void *arg, const struct launcher_child_def *d)
{
	(void)arg;
	return S.row[row_of_def(d)].installed;
}

static void
sim_node_state(void *arg, enum launcher_node_state st, const char *reason)
{
	(void)arg;
	(void)reason;
	S.last_state = st;
	if (st == LAUNCHER_NODE_RUNNING)
		record('r', 0);
	if (st == LAUNCHER_NODE_STOPPED)
		record('x', 0);
}

static const struct launcher_sup_ops sim_ops = {
	.spawn = sim_spawn,
	.signal = sim_signal,
	.probe = sim_probe,
	.gone = sim_gone,
	.installed = sim_installed,
	.node_state = sim_node_state,
};

static const char *names[MAXROWS] = { "membership", "cib", "opt", "lrmd", "crmd", "r5", "r6", "r7" };

/* n rows: row 0 stops the node on death, the others respawn; all ready 100 ms after spawn. */
static void
sim_init(size_t n, const struct launcher_tunables *t)
{
	struct launcher_tunables def;

	memset(&S, 0, sizeof(S));
	S.n = n;
	for (size_t i = 0; i < n; i++) {
		S.def[i] = (struct launcher_child_def){ names[i], names[i], LAUNCHER_USER_ROOT,
			PL_SVC_CIB, i == 0 ? LAUNCHER_DEATH_STOP_NODE : LAUNCHER_DEATH_RESPAWN,
			false, 5000 + 1000 * (uint32_t)i };
		S.row[i] = (struct sim_row){ true, false, 100, NEVER, 0, 0, false, 10 };
		S.exit_at[i] = NEVER;
	}
	launcher_tunables_default(&def);
	(void)def;
	launcher_sup_init(&S.sup, S.def, n, t ? t : &def, &sim_ops, NULL);
	S.now = 1000;
}

/* Run the simulation until `until` (absolute), delivering exits and ticks in time order. */
static void
sim_run(uint64_t until)
{
	uint64_t same = 0, last = 0;

	for (;;) {
		uint64_t next = launcher_sup_next_wakeup(&S.sup);
		size_t who = MAXROWS;

		for (size_t i = 0; i < S.n; i++)
			if (S.pid[i] != 0 && S.exit_at[i] <= next) {
				next = S.exit_at[i];
				who = i;
			}
		if (next > until)
			break;
		if (next > S.now)
			S.now = next;
		/* a wakeup that never moves time on would spin the daemon's loop */
		same = S.now == last ? same + 1 : 0;
		last = S.now;
		if (same > 10000)
			fail_msg("busy loop: wakeups at t=%llu without progress",
			    (unsigned long long)S.now);
		if (who != MAXROWS) {
			pid_t pid = S.pid[who];

			S.pid[who] = 0;
			S.exit_at[who] = NEVER;
			assert_true(launcher_sup_exited(&S.sup, pid, S.exit_status[who], S.now));
		} else {
			launcher_sup_tick(&S.sup, S.now);
		}
	}
	S.now = until;
}

static size_t
count(char what, size_t row)
{
	size_t k = 0;

	for (size_t i = 0; i < S.nev; i++)
		k += S.ev[i].what == what && (what == 'r' || what == 'x' || S.ev[i].row == row);
	return k;
}

static const struct event *
nth(char what, size_t row, size_t nth)
{
	for (size_t i = 0; i < S.nev; i++)
		if (S.ev[i].what == what && S.ev[i].row == row && nth-- == 0)
			return &S.ev[i];
	fail_msg("no event %c #%zu for row %zu", what, nth, row);
	return NULL;
}

static void
test_start_order(void **state)
{
	(void)state;
	sim_init(5, NULL);
	S.row[2].installed = false;
	S.def[2].optional = true;
	S.row[1].ready_after = 700; /* a slow cib: lrmd must wait for it */
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_RUNNING);
	assert_int_equal(S.sup.child[2].state, LAUNCHER_CHILD_SKIPPED);
	assert_int_equal(count('s', 2), 0);
	/* spawns in table order, each not before the one before it answered */
	assert_int_equal(S.ev[0].what, 's');
	assert_int_equal(S.ev[0].row, 0);
	for (size_t i = 0; i < S.n; i++) {
		if (i == 2)
			continue;
		assert_int_equal(count('s', i), 1);
		if (i > 0) {
			size_t prev = i == 3 ? 1 : i - 1;
			assert_true(nth('s', i, 0)->t >= S.sup.child[prev].ready_ms);
			assert_true(S.sup.child[prev].ready_ms >=
			    nth('s', prev, 0)->t + S.row[prev].ready_after);
		}
	}
	assert_true(nth('s', 3, 0)->t >= 1000 + 100 + 700);
	assert_int_equal(count('r', 0), 1);
	launcher_sup_free(&S.sup);
}

static void
test_late_death_respawns_at_once(void **state)
{
	(void)state;
	sim_init(4, NULL);
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 30000);
	/* cib crashes after 30 s up: respawned at once, the rest untouched */
	S.exit_at[1] = S.now;
	S.exit_status[1] = SIGKILL;
	sim_run(S.now + 1000);
	assert_int_equal(count('s', 1), 2);
	assert_int_equal(nth('s', 1, 1)->t, 31000);
	assert_int_equal(S.sup.child[1].restarts, 1);
	assert_int_equal(S.sup.child[1].state, LAUNCHER_CHILD_READY);
	assert_string_equal(S.sup.child[1].last_exit, "killed by signal 9 (Killed)");
	assert_int_equal(count('s', 2), 1);
	assert_int_equal(count('T', 2), 0);
	assert_int_equal(S.last_state, LAUNCHER_NODE_RUNNING);
	launcher_sup_free(&S.sup);
}

/* A row crashing 100 ms after every start waits 1, 2, 4, 8 s, then the fifth death within
 * the window stops the stack in reverse order with the reason. */
static void
test_crash_loop_throttled_then_stops(void **state)
{
	uint64_t t0;

	(void)state;
	sim_init(4, NULL);
	S.row[2].crash_after = 100;
	launcher_sup_start(&S.sup, S.now);
	t0 = S.now;
	sim_run(t0 + 60000);
	assert_int_equal(count('s', 2), 5);
	assert_int_equal(nth('s', 2, 1)->t - nth('s', 2, 0)->t, 100 + 1000);
	assert_int_equal(nth('s', 2, 2)->t - nth('s', 2, 1)->t, 100 + 2000);
	assert_int_equal(nth('s', 2, 3)->t - nth('s', 2, 2)->t, 100 + 4000);
	assert_int_equal(nth('s', 2, 4)->t - nth('s', 2, 3)->t, 100 + 8000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_int_equal(S.sup.cause, LAUNCHER_STOP_CRASH_LOOP);
	assert_int_equal(launcher_sup_exit_code(&S.sup), 100);
	assert_non_null(strstr(S.sup.reason, "opt died 5 times within 60 s"));
	assert_non_null(strstr(S.sup.reason, "signal 11"));
	/* later rows never started (the stack was still starting), earlier ones stopped backwards */
	assert_int_equal(count('s', 3), 0);
	assert_true(nth('T', 1, 0)->t < nth('T', 0, 0)->t);
	launcher_sup_free(&S.sup);
}

static void
test_deaths_spread_out_never_stop(void **state)
{
	(void)state;
	sim_init(3, NULL);
	launcher_sup_start(&S.sup, S.now);
	for (int k = 0; k < 10; k++) {
		sim_run(S.now + 20000); /* 20 s up each time: late deaths, window never fills */
		S.exit_at[1] = S.now;
		S.exit_status[1] = SIGSEGV;
	}
	sim_run(S.now + 1000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_RUNNING);
	assert_int_equal(S.sup.child[1].restarts, 10);
	assert_int_equal(S.sup.child[1].backoff_ms, 1000);
	launcher_sup_free(&S.sup);
}

/* Three early deaths then a recovery: the fourth start lasts, the backoff is forgotten. */
static void
test_backoff_resets_after_recovery(void **state)
{
	(void)state;
	sim_init(3, NULL);
	S.row[1].crash_after = 50;
	S.row[1].crashes_left = 3;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 120000);
	assert_int_equal(count('s', 1), 4);
	assert_int_equal(S.last_state, LAUNCHER_NODE_RUNNING);
	S.exit_at[1] = S.now; /* a late death now: at once, backoff back to the first */
	S.exit_status[1] = SIGSEGV;
	sim_run(S.now + 10);
	assert_int_equal(count('s', 1), 5);
	assert_int_equal(S.sup.child[1].backoff_ms, 1000);
	launcher_sup_free(&S.sup);
}

static void
test_membership_death_stops_node(void **state)
{
	(void)state;
	sim_init(4, NULL);
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	S.exit_at[0] = S.now;
	S.exit_status[0] = SIGKILL;
	sim_run(S.now + 60000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_int_equal(S.sup.cause, LAUNCHER_STOP_NODE_LOST);
	assert_int_equal(launcher_sup_exit_code(&S.sup), 1);
	assert_non_null(strstr(S.sup.reason, "membership lost"));
	assert_int_equal(count('s', 0), 1); /* not respawned */
	assert_true(nth('T', 3, 0)->t <= nth('T', 2, 0)->t);
	assert_true(nth('T', 2, 0)->t <= nth('T', 1, 0)->t);
	launcher_sup_free(&S.sup);
}

/* Requested stop: last row first, each only once the one after it has exited. */
static void
test_reverse_stop_order(void **state)
{
	(void)state;
	sim_init(5, NULL);
	for (size_t i = 0; i < 5; i++)
		S.row[i].term_delay = 300;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	launcher_sup_stop(&S.sup, "shutdown requested", S.now);
	sim_run(S.now + 60000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_int_equal(launcher_sup_exit_code(&S.sup), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(nth('T', i, 0)->t - nth('T', i + 1, 0)->t, 300);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(count('K', i), 0);
		assert_int_equal(count('s', i), 1);
		assert_int_equal(S.sup.child[i].state, LAUNCHER_CHILD_DOWN);
	}
	launcher_sup_free(&S.sup);
}

static void
test_stop_timeout_sigkill(void **state)
{
	(void)state;
	sim_init(3, NULL);
	S.row[2].ignore_term = true;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	launcher_sup_stop(&S.sup, "shutdown requested", S.now);
	sim_run(S.now + 60000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_int_equal(nth('K', 2, 0)->t - nth('T', 2, 0)->t, S.def[2].stop_timeout_ms);
	assert_int_equal(nth('T', 1, 0)->t, nth('K', 2, 0)->t);
	launcher_sup_free(&S.sup);
}

static void
test_start_timeout_kills_and_throttles(void **state)
{
	struct launcher_tunables t;

	(void)state;
	launcher_tunables_default(&t);
	t.start_timeout_ms = 3000;
	sim_init(3, &t);
	S.row[1].ready_after = NEVER;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 100 + 3000 + 1000 + 3000 + 10); /* row 0 ready at +100 */
	assert_int_equal(count('K', 1), 2);
	assert_int_equal(count('s', 1), 2);
	assert_int_equal(nth('s', 1, 1)->t - nth('K', 1, 0)->t, 1000); /* never ready = early */
	assert_int_equal(count('s', 2), 0);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STARTING);
	launcher_sup_free(&S.sup);
}

static void
test_spawn_failure_and_fatal_exit(void **state)
{
	(void)state;
	sim_init(3, NULL);
	S.row[2].spawn_fails = true;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 120000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_non_null(strstr(S.sup.reason, "could not be started: No such file or directory"));
	launcher_sup_free(&S.sup);

	sim_init(3, NULL);
	S.row[1].crash_after = 2000;
	S.row[1].crash_code = LAUNCHER_EXIT_FATAL;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 60000);
	assert_int_equal(count('s', 1), 1);
	assert_int_equal(S.sup.cause, LAUNCHER_STOP_CRASH_LOOP);
	assert_non_null(strstr(S.sup.reason, "cib exited with code 100"));
	launcher_sup_free(&S.sup);
}

/* A crash during the stop is not respawned, and a row in backoff is simply dropped. */
static void
test_no_respawn_while_stopping(void **state)
{
	(void)state;
	sim_init(4, NULL);
	S.row[3].term_delay = 500;
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	S.exit_at[2] = S.now; /* lrmd dies ... */
	S.exit_status[2] = SIGSEGV;
	sim_run(S.now);
	assert_int_equal(S.sup.child[2].state, LAUNCHER_CHILD_BACKOFF);
	S.exit_at[2] = NEVER;
	launcher_sup_stop(&S.sup, "shutdown requested", S.now);
	S.exit_at[1] = S.now + 100; /* ... and cib crashes while crmd stops */
	S.exit_status[1] = SIGSEGV;
	sim_run(S.now + 60000);
	assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
	assert_int_equal(count('s', 1), 1);
	assert_int_equal(count('s', 2), 1);
	assert_int_equal(count('T', 1), 0);
	assert_int_equal(count('T', 0), 1);
	launcher_sup_free(&S.sup);
}

/* crmd exits whenever pengine dies (it loses its connection): ten times in a row, pengine
 * dying late each time. crmd is respawned at once every time and never counted, so the stack
 * runs on; crmd dying alone right after is counted as usual. */
static void
test_dependent_death_not_counted(void **state)
{
	(void)state;
	sim_init(4, NULL);
	launcher_sup_start(&S.sup, S.now);
	sim_run(S.now + 5000);
	for (int k = 0; k < 10; k++) {
		sim_run(S.now + 15000);
		S.exit_at[2] = S.now; /* "pengine" killed */
		S.exit_status[2] = SIGKILL;
		S.exit_at[3] = S.now + 5; /* "crmd" follows it */
		S.exit_status[3] = 1 << 8;
		sim_run(S.now + 200); /* both answer 100 ms after their respawn */
		assert_int_equal(S.sup.child[3].state, LAUNCHER_CHILD_READY);
	}
	assert_int_equal(S.last_state, LAUNCHER_NODE_RUNNING);
	assert_int_equal(S.sup.child[3].restarts, 10);
	assert_int_equal(S.sup.child[3].ndeaths, 0);
	assert_int_equal(S.sup.child[2].restarts, 10);
	/* crmd's exit delivered before the exit of the pengine it lost: still not counted */
	sim_run(S.now + 15000);
	S.exit_at[2] = S.now;
	S.exit_status[2] = SIGKILL;
	S.exit_at[3] = S.now;
	S.exit_status[3] = 1 << 8;
	{
		pid_t crmd = S.pid[3];

		S.pid[3] = 0;
		S.exit_at[3] = NEVER;
		assert_true(launcher_sup_exited(&S.sup, crmd, 1 << 8, S.now));
	}
	sim_run(S.now + 200);
	assert_int_equal(S.sup.child[3].ndeaths, 0);
	assert_int_equal(S.sup.child[3].state, LAUNCHER_CHILD_READY);
	sim_run(S.now + 15000);
	S.exit_at[3] = S.now; /* crmd alone: counted */
	S.exit_status[3] = SIGSEGV;
	sim_run(S.now + 10);
	assert_int_equal(S.sup.child[3].ndeaths, 1);
	launcher_sup_free(&S.sup);
}

/* A small deterministic generator (xorshift), so a failing seed can be replayed. */
static uint64_t rnd_state;
static uint64_t
rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

/*
 * Seeded random schedules: random readiness delays, crashes at random times, some rows that
 * ignore SIGTERM, a stop at a random moment. Invariants, whatever happens:
 *  - never two processes of one row (sim_spawn asserts it);
 *  - nothing is spawned once the stack is stopping;
 *  - the stack always ends STOPPED with no process left;
 *  - SIGTERMs of the stop go to rows in strictly decreasing order;
 *  - the exit code matches the cause.
 */
static void
test_random_schedules(void **state)
{
	unsigned causes[4] = { 0 }, respawns = 0, sigkills = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 400; seed++) {
		size_t n = 3 + (size_t)(seed % 4), stop_ev = 0, last_term = MAXROWS;
		uint64_t stop_at;

		rnd_state = seed * 0x9E3779B97F4A7C15ull;
		sim_init(n, NULL);
		for (size_t i = 0; i < n; i++) {
			S.row[i].ready_after = rnd(3000);
			S.row[i].crash_after = rnd(4) == 0 ? 1 + rnd(20000) : NEVER;
			S.row[i].crashes_left = (uint32_t)rnd(8);
			S.row[i].ignore_term = rnd(6) == 0;
			S.row[i].term_delay = rnd(2000);
		}
		S.row[0].crash_after = rnd(3) == 0 ? 5000 + rnd(60000) : NEVER;
		launcher_sup_start(&S.sup, S.now);
		stop_at = S.now + rnd(120000);
		sim_run(stop_at);
		if (S.sup.state == LAUNCHER_NODE_STARTING || S.sup.state == LAUNCHER_NODE_RUNNING) {
			stop_ev = S.nev;
			launcher_sup_stop(&S.sup, "shutdown requested", S.now);
		}
		sim_run(S.now + 3600000);
		assert_int_equal(S.last_state, LAUNCHER_NODE_STOPPED);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(S.pid[i], 0);
			assert_true(S.sup.child[i].state == LAUNCHER_CHILD_DOWN);
		}
		if (stop_ev > 0) {
			assert_int_equal(S.sup.cause, LAUNCHER_STOP_REQUESTED);
			assert_int_equal(launcher_sup_exit_code(&S.sup), 0);
		} else {
			assert_true(S.sup.cause == LAUNCHER_STOP_CRASH_LOOP ||
			    S.sup.cause == LAUNCHER_STOP_NODE_LOST);
		}
		/* from the first SIGTERM on: no spawn, SIGTERMs in decreasing row order */
		for (size_t e = 0; e < S.nev; e++) {
			if (S.ev[e].what == 'T') {
				assert_true(S.ev[e].row < last_term);
				last_term = S.ev[e].row;
			}
			if (last_term != MAXROWS)
				assert_true(S.ev[e].what != 's');
		}
		causes[S.sup.cause]++;
		for (size_t i = 0; i < n; i++) {
			respawns += S.sup.child[i].restarts;
			sigkills += (unsigned)count('K', i);
		}
		launcher_sup_free(&S.sup);
	}
	/* the schedules reach every ending, respawns and SIGKILLs */
	print_message("random schedules: %u requested, %u node lost, %u crash loop; %u respawns, "
		      "%u SIGKILLs\n",
	    causes[LAUNCHER_STOP_REQUESTED], causes[LAUNCHER_STOP_NODE_LOST],
	    causes[LAUNCHER_STOP_CRASH_LOOP], respawns, sigkills);
	assert_true(causes[LAUNCHER_STOP_REQUESTED] > 0 && causes[LAUNCHER_STOP_NODE_LOST] > 0 &&
	    causes[LAUNCHER_STOP_CRASH_LOOP] > 0 && respawns > 0 && sigkills > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_order),
		cmocka_unit_test(test_late_death_respawns_at_once),
		cmocka_unit_test(test_crash_loop_throttled_then_stops),
		cmocka_unit_test(test_deaths_spread_out_never_stop),
		cmocka_unit_test(test_backoff_resets_after_recovery),
		cmocka_unit_test(test_membership_death_stops_node),
		cmocka_unit_test(test_reverse_stop_order),
		cmocka_unit_test(test_stop_timeout_sigkill),
		cmocka_unit_test(test_start_timeout_kills_and_throttles),
		cmocka_unit_test(test_spawn_failure_and_fatal_exit),
		cmocka_unit_test(test_no_respawn_while_stopping),
		cmocka_unit_test(test_dependent_death_not_counted),
		cmocka_unit_test(test_random_schedules),
	};

	log_init("launcher");
	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
