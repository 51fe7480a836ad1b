/*
 * netset.h - sets of IPv4/IPv6 networks with O(log n) lookup: our_networks
 * (CIDR list) and the Tor exit list (TorDNSEL exit-addresses file or a
 * plain list of addresses, one per line, '#' comments).
 */
#ifndef ABUSE_NETSET_H
#define ABUSE_NETSET_H

#include <stdbool.h>
#include <stddef.h>

struct netset;

struct netset *netset_new(void);
void netset_free(struct netset *ns);

/* netset_add_cidr - add "addr" or "addr/len" (v4 or v6); -1 when invalid */
int netset_add_cidr(struct netset *ns, const char *cidr);

/* netset_load_exit_list - read a TorDNSEL exit-addresses file (ExitAddress
 * lines) or a plain address list. Returns 0, or -1 with a message in err
 * ("PATH:LINE: message" or "PATH: strerror"). */
int netset_load_exit_list(struct netset *ns, const char *path,
    char *err, size_t errlen);

/* netset_finish - sort and merge; call once after adding, before lookups */
void netset_finish(struct netset *ns);

/* netset_contains - is this textual address (any form ip_canonical accepts)
 * inside the set? false for unparseable input */
bool netset_contains(const struct netset *ns, const char *addr);

size_t netset_count(const struct netset *ns);

#endif
