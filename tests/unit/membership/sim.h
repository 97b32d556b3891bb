/*
 * sim.h - a simulated network for the Totem protocol core: N state machines in one process,
 * a virtual clock, seeded random loss, duplication, reordering and delay, crashes, restarts,
 * partitions and heals. Every delivery and configuration change is recorded per process
 * (a node's incarnation) so that sim_check() can verify the extended virtual synchrony
 * invariants after a run.
 */
#ifndef PACELINE_TOTEM_SIM_H
#define PACELINE_TOTEM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/buf.h"
#include "links.h"
#include "totem_srp.h"

#define SIM_MAX_NODES 8

struct sim;

struct sim_net {
	double loss;	       /* probability a packet is lost */
	double dup;	       /* probability a packet arrives twice */
	uint32_t max_delay_ms; /* delay uniform in [1, max_delay_ms]: reorders packets */
};

struct sim *sim_new(unsigned n_nodes, uint64_t seed, const struct totem_params *params);
void sim_free(struct sim *s);
uint64_t sim_now(const struct sim *s);
uint64_t sim_rand(struct sim *s); /* the scenario's own random stream */
void sim_set_net(struct sim *s, const struct sim_net *net);

void sim_start(struct sim *s, unsigned node); /* node index 0..n-1; new incarnation */
void sim_crash(struct sim *s, unsigned node);
bool sim_alive(const struct sim *s, unsigned node);
/* group[i] for every node: packets flow only between nodes of the same group */
void sim_partition(struct sim *s, const unsigned *group);
/* Cut (or restore) one direction of one link: asymmetric failures. sim_heal restores all. */
void sim_cut(struct sim *s, unsigned from, unsigned to, bool cut);
void sim_heal(struct sim *s);
/* Links below the ring (links.h), set before any node starts: every node then has n_links
 * links (ping every token/4, down after token/2 without a pong), in this mode; group_send as
 * transport udp. Without it the ring sends straight to the network (one link, no probes). */
void sim_set_links(struct sim *s, unsigned n_links, enum membership_links_mode mode, bool group_send);
/* Cut (or restore) one direction of one link between two nodes; sim_heal restores all. */
void sim_cut_link(struct sim *s, unsigned link, unsigned from, unsigned to, bool cut);
struct membership_links *sim_links(struct sim *s, unsigned node);
/* Forget the node's persisted ring sequence number (a wiped disk) before its next start. */
void sim_wipe_disk(struct sim *s, unsigned node);
/* Tamper with the recorded history (checker self-test): 1 duplicates a delivery,
 * 2 swaps two deliveries of one process. false if there was nothing to tamper with. */
bool sim_tamper(struct sim *s, int how);
/* Queue one application message (size bytes, >= 16) on node; false if its queue is full. */
bool sim_send(struct sim *s, unsigned node, size_t size);
void sim_run(struct sim *s, uint64_t ms);
/* Run until every live node is operational on one ring made of exactly the live nodes that
 * can reach each other (all of them when healed) and no queue holds messages; false if
 * that does not happen within limit_ms. */
bool sim_run_until_stable(struct sim *s, uint64_t limit_ms);
/* The installed ring of a live node (members sorted); returns the member count. */
unsigned sim_members(struct sim *s, unsigned node, uint32_t *members);
struct totem *sim_totem(struct sim *s, unsigned node);
/* Deliveries of application messages recorded so far across all processes. */
uint64_t sim_deliveries(const struct sim *s);
uint64_t sim_sent(const struct sim *s);

/* An application above the ring (tests/unit/membership/test_groups_sim.c: process groups).
 * With it, deliveries are handed to it raw (not checked as sim_send's messages) and each
 * regular configuration too; start is called for every new incarnation before it runs. */
struct sim_app_ops {
	void (*start)(void *arg, unsigned node);
	void (*deliver)(void *arg, unsigned node, uint32_t sender, const uint8_t *data, size_t len);
	void (*confchg)(void *arg, unsigned node, const uint32_t *members, unsigned n);
};
void sim_set_app(struct sim *s, const struct sim_app_ops *ops, void *arg);
/* Queue an application payload on node's ring: totem_send's result (0, or -1 when full). */
int sim_send_raw(struct sim *s, unsigned node, const uint8_t *data, size_t len);

/* Check every invariant over the whole history; on failure describe it in err, return false.
 * final: the run ended stable, so the live nodes must also agree on their last configuration
 * and on everything delivered in it. */
bool sim_check(struct sim *s, bool final, struct pl_buf *err);
/* Print the event history of every process (for debugging one seed). */
void sim_dump(struct sim *s);

#endif
