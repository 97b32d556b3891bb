/*
 * groups.h - closed process groups on top of the Totem ring: join, leave, agreed-order
 * messages to a group, and each group's member list, all derived from the totally ordered
 * stream so that every node computes the same lists in the same order.
 *
 * Payload of a ring message (version 1, network byte order):
 *	u8 version  u8 kind  u16 group_len  u32 pid  group bytes  [data]    kind JOIN/LEAVE/MSG
 *	u8 version  u8 kind(ANNOUNCE)  u16 count  count x (u16 group_len  u32 pid  group bytes)
 * At every regular configuration every node forgets all members and announces its local
 * ones; member changes are reported (as joined/left relative to what that node reported
 * before) only once every member of the new ring has announced, so all nodes report the
 * same lists at the same point of the ordered stream, partitions merging included.
 * An announce replaces everything known of its sender. Malformed payloads are dropped and
 * counted.
 */
#ifndef PACELINE_MEMBERSHIP_GROUPS_H
#define PACELINE_MEMBERSHIP_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#define MEMBERSHIP_GROUP_NAME_MAX 128

struct membership_member {
	uint32_t nodeid;
	uint32_t pid;
};

struct membership_groups_ops {
	/* Queue a payload on the ring (0, or -1 when the queue is full). */
	int (*send)(void *arg, const uint8_t *payload, size_t len);
	void (*deliver)(void *arg, const char *group, uint32_t nodeid, uint32_t pid,
	    const uint8_t *data, size_t len);
	void (*change)(void *arg, const char *group, const struct membership_member *members,
	    unsigned n, const struct membership_member *joined, unsigned nj,
	    const struct membership_member *left, unsigned nl);
};

struct membership_groups;

struct membership_groups *membership_groups_new(
    uint32_t my_nodeid, const struct membership_groups_ops *ops, void *arg);
void membership_groups_free(struct membership_groups *g);
int membership_groups_join(struct membership_groups *g, const char *group, uint32_t pid);
int membership_groups_leave(struct membership_groups *g, const char *group, uint32_t pid);
int membership_groups_send(
    struct membership_groups *g, const char *group, uint32_t pid, const uint8_t *data, size_t len);
/* From the ring: one delivered payload, one regular configuration. */
void membership_groups_deliver(
    struct membership_groups *g, uint32_t sender, const uint8_t *p, size_t len);
void membership_groups_confchg(struct membership_groups *g, const uint32_t *members, unsigned n);
/* Current members of a group (sorted by nodeid, pid); returns the count (<= max). */
unsigned membership_groups_members(
    struct membership_groups *g, const char *group, struct membership_member *out, unsigned max);
uint64_t membership_groups_malformed(const struct membership_groups *g);

#endif
