/*
 * paceline-cluster - one-time set-up of a real multi-machine cluster, as `pcs cluster setup`
 * does: writes paceline.conf (nodelist with ids 1..N, votequorum, two_node for two nodes) and a
 * fresh shared key (mode 0400), both written atomically (pl_write_file_atomic), checks the result
 * parses, and prints what to copy to which node and how to start the stack.
 *
 *	paceline-cluster setup [--name NAME] [--token MS] [--port PORT] [--dir DIR] [--force]
 *	                       NODE[=ADDRESS]...
 *
 * A node without an address is resolved now (its first address); the file keeps numbers so
 * that a later DNS change cannot move a node. Nothing existing is overwritten without --force.
 * Exit codes: 0, 64 usage, 68 unresolvable node, 73/74 cannot write, 108 files exist.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/buf.h"
#include "paceline/conf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"

#define KEY_BYTES 256
#define MAX_NODES 64

struct node {
	char *name;
	char addr[INET6_ADDRSTRLEN];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: paceline-cluster setup [options] NODE[=ADDRESS]...\n"
	    "  -n, --name NAME   cluster name (default: paceline)\n"
	    "  -t, --token MS    totem token timeout in ms (default: the daemon's, 3000)\n"
	    "  -p, --port PORT   UDP port (default: 5405)\n"
	    "  -d, --dir DIR     where to write paceline.conf and authkey (default /etc/paceline)\n"
	    "  -f, --force       overwrite existing files\n"
	    "Writes DIR/paceline.conf and DIR/authkey (mode 0400) and prints what to copy "
	    "where.\n");
}

static bool
valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/* NAME or NAME=ADDRESS -> numeric address. */
static int
parse_node(const char *arg, struct node *n)
{
	const char *eq = strchr(arg, '=');
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	unsigned char bin[16];
	int rc;

	n->name = eq ? xstrndup(arg, (size_t)(eq - arg)) : xstrdup(arg);
	if (!valid_name(n->name)) {
		fprintf(stderr,
		    "paceline-cluster: '%s': a node name is letters, digits, '-', '_', '.'\n",
		    n->name);
		return PL_EXIT_USAGE;
	}
	if (eq) {
		if (inet_pton(AF_INET, eq + 1, bin) != 1 && inet_pton(AF_INET6, eq + 1, bin) != 1) {
			fprintf(stderr,
			    "paceline-cluster: node %s: '%s' is not an IPv4 or IPv6 address\n",
			    n->name, eq + 1);
			return PL_EXIT_USAGE;
		}
		snprintf(n->addr, sizeof(n->addr), "%s", eq + 1);
		return 0;
	}
	rc = getaddrinfo(n->name, NULL, &hints, &res);
	if (rc != 0) {
		fprintf(stderr,
		    "paceline-cluster: cannot resolve node '%s': %s (give its address: "
		    "%s=10.0.0.1)\n",
		    n->name, gai_strerror(rc), n->name);
		return PL_EXIT_NOHOST;
	}
	getnameinfo(res->ai_addr, res->ai_addrlen, n->addr, sizeof(n->addr), NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	return 0;
}

static void
render_conf(struct pl_buf *b, const char *name, const char *token, const char *port,
    const struct node *nodes, int n)
{
	pl_buf_addf(b,
	    "# paceline.conf - written by paceline-cluster setup; the same file on every node.\n"
	    "totem {\n\tversion: 2\n\tcluster_name: %s\n\ttransport: udpu\n",
	    name);
	if (token)
		pl_buf_addf(b, "\ttoken: %s\n", token);
	pl_buf_addf(b, "\tcrypto_cipher: aes256\n\tcrypto_hash: sha256\n");
	if (port)
		pl_buf_addf(b, "\tinterface {\n\t\tlinknumber: 0\n\t\tmcastport: %s\n\t}\n", port);
	pl_buf_addf(b, "}\n\nnodelist {\n");
	for (int i = 0; i < n; i++)
		pl_buf_addf(b, "\tnode {\n\t\tring0_addr: %s\n\t\tname: %s\n\t\tnodeid: %d\n\t}\n",
		    nodes[i].addr, nodes[i].name, i + 1);
	pl_buf_addf(b,
	    "}\n\nquorum {\n\tprovider: corosync_votequorum\n%s}\n\n"
	    "logging {\n\tto_logfile: yes\n\tlogfile: /var/log/paceline/paceline.log\n"
	    "\tto_syslog: yes\n\ttimestamp: on\n}\n",
	    n == 2 ? "\ttwo_node: 1\n" : "");
}

static bool
digits(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && *end == '\0' && errno == 0 && v > 0 && v <= max;
}

static int
setup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "token", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = "paceline", *token = NULL, *port = NULL, *dir = "/etc/paceline";
	struct node nodes[MAX_NODES];
	struct pl_buf conf = PL_BUF_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_conf_node *parsed;
	unsigned char key[KEY_BYTES];
	char *conf_path = NULL, *key_path = NULL;
	bool force = false;
	int ch, n = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "n:t:p:d:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 't': token = optarg; break;
		case 'p': port = optarg; break;
		case 'd': dir = optarg; break;
		case 'f': force = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return PL_EXIT_USAGE;
		}
	}
	if (!valid_name(name) || (token && !digits(token, 600000)) || (port && !digits(port, 65535))) {
		fprintf(stderr, "paceline-cluster: %s\n",
		    !valid_name(name) ? "--name: letters, digits, '-', '_', '.' (at most 64)"
			: token && !digits(token, 600000) ? "--token: milliseconds from 1 to 600000"
							  : "--port: a UDP port from 1 to 65535");
		return PL_EXIT_USAGE;
	}
	if (optind == argc) {
		fprintf(stderr, "paceline-cluster setup: no node given\n");
		usage(stderr);
		return PL_EXIT_USAGE;
	}
	if (argc - optind > MAX_NODES) {
		fprintf(stderr, "paceline-cluster: at most %d nodes\n", MAX_NODES);
		return PL_EXIT_USAGE;
	}
	for (int i = optind; i < argc && rc == 0; i++) {
		rc = parse_node(argv[i], &nodes[n++]);
		for (int j = 0; rc == 0 && j < n - 1; j++)
			if (strcmp(nodes[j].name, nodes[n - 1].name) == 0 ||
			    strcmp(nodes[j].addr, nodes[n - 1].addr) == 0) {
				fprintf(stderr,
				    "paceline-cluster: nodes %s and %s have the same %s\n",
				    nodes[j].name, nodes[n - 1].name,
				    strcmp(nodes[j].name, nodes[n - 1].name) == 0 ? "name"
										  : "address");
				rc = PL_EXIT_USAGE;
			}
	}
	if (rc != 0)
		goto out;
	conf_path = xasprintf("%s/paceline.conf", dir);
	key_path = xasprintf("%s/authkey", dir);
	if (!force && (access(conf_path, F_OK) == 0 || access(key_path, F_OK) == 0)) {
		fprintf(stderr,
		    "paceline-cluster: %s exists: not overwritten (--force replaces the "
		    "configuration and the key; every node then needs the new ones)\n",
		    access(conf_path, F_OK) == 0 ? conf_path : key_path);
		rc = PL_EXIT_EXISTS;
		goto out;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "paceline-cluster: cannot create %s: %s\n", dir, strerror(errno));
		rc = PL_EXIT_CANTCREAT;
		goto out;
	}
	render_conf(&conf, name, token, port, nodes, n);
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		fprintf(
		    stderr, "paceline-cluster: no random bytes for the key: %s\n", strerror(errno));
		rc = PL_EXIT_OSERR;
		goto out;
	}
	if ((rc = pl_write_file_atomic(key_path, key, sizeof(key), 0400, 0, &err)) != 0 ||
	    (rc = pl_write_file_atomic(conf_path, pl_buf_str(&conf), conf.len, 0644, 0, &err)) != 0) {
		fprintf(stderr, "paceline-cluster: %s\n", err.text);
		goto out;
	}
	parsed = pl_conf_parse_file(conf_path, &err);
	if (parsed == NULL) { /* cannot happen: we wrote it; say so loudly if it does */
		fprintf(stderr, "paceline-cluster: the file written does not parse: %s\n", err.text);
		rc = PL_EXIT_SOFTWARE;
		goto out;
	}
	pl_conf_free(parsed);
	memset(key, 0, sizeof(key));
	printf("Wrote %s (cluster '%s', %d node%s) and %s (%d bytes, mode 0400).\n", conf_path,
	    name, n, n == 1 ? "" : "s", key_path, KEY_BYTES);
	printf("Copy both to every node, keeping the key's mode and owner (root):\n");
	for (int i = 0; i < n; i++)
		printf("  scp -p %s %s root@%s:%s/    # %s\n", conf_path, key_path, nodes[i].addr,
		    dir, nodes[i].name);
	printf("Then on every node:\n  systemctl enable --now paceline\n"
	       "and check from any node:\n  paceline-quorumtool -l\n  crm_mon -1\n");
out:
	for (int i = 0; i < n; i++)
		free(nodes[i].name);
	pl_buf_free(&conf);
	free(conf_path);
	free(key_path);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "setup") == 0)
		return setup(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "paceline-cluster: %s\n", argc < 2 ? "no command" : "unknown command");
	usage(stderr);
	return PL_EXIT_USAGE;
}
