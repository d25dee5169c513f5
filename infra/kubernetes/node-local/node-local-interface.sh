#!/bin/sh
# The node-local cache's addresses, as node-local-dns sets them up: a dummy interface holding each
# address (/32), and raw-table NOTRACK rules so that DNS to and from them skips conntrack (no
# conntrack entry per query, no DNAT by kube-proxy when the kube-dns ClusterIP is taken over).
#
#   node-local-interface.sh up ADDRESS...     add the interface, addresses and rules (idempotent)
#   node-local-interface.sh down ADDRESS...   remove them (what is absent is skipped)
#   node-local-interface.sh check ADDRESS...  exit 0 when all are in place (a startup probe)
#   node-local-interface.sh run ADDRESS...    up, re-applied every minute (kube-proxy may flush
#                                             the chains), down on SIGTERM or SIGINT
#
# Needs NET_ADMIN (and NET_RAW for iptables-legacy) in the node's network namespace. The
# interface is named by EDGE_DNS_INTERFACE (default nodelocaldns, as node-local-dns's), of the
# type EDGE_DNS_INTERFACE_TYPE (default dummy; bridge, a bridge without ports, holds local
# addresses the same way on a kernel built without the dummy driver).
set -eu

IFACE="${EDGE_DNS_INTERFACE:-nodelocaldns}"
TYPE="${EDGE_DNS_INTERFACE_TYPE:-dummy}"
IPT="iptables -w 5"

# The rules for one address, one per line: TABLE CHAIN MATCH... (the target is appended).
rules() {
  for proto in udp tcp; do
    echo "raw PREROUTING -d $1 -p $proto --dport 53 -j NOTRACK"
    echo "raw OUTPUT -s $1 -p $proto --sport 53 -j NOTRACK"
    echo "raw OUTPUT -d $1 -p $proto --dport 53 -j NOTRACK"
    echo "filter INPUT -d $1 -p $proto --dport 53 -j ACCEPT"
    echo "filter OUTPUT -s $1 -p $proto --sport 53 -j ACCEPT"
  done
}

up() {
  ip link show "$IFACE" >/dev/null 2>&1 || ip link add "$IFACE" type "$TYPE"
  for addr; do ip address replace "$addr/32" dev "$IFACE"; done
  ip link set "$IFACE" up
  command -v iptables >/dev/null || { echo "iptables not found: no NOTRACK rules" >&2; return 0; }
  for addr; do
    rules "$addr" | while read -r table chain rule; do
      # shellcheck disable=SC2086 # the rule is split into words on purpose
      $IPT -t "$table" -C "$chain" $rule 2>/dev/null || $IPT -t "$table" -I "$chain" 1 $rule
    done
  done
}

down() {
  if command -v iptables >/dev/null; then
    for addr; do
      rules "$addr" | while read -r table chain rule; do
        # shellcheck disable=SC2086
        while $IPT -t "$table" -C "$chain" $rule 2>/dev/null; do $IPT -t "$table" -D "$chain" $rule; done
      done
    done
  fi
  if ip link show "$IFACE" >/dev/null 2>&1; then ip link delete "$IFACE"; fi
}

check() {
  for addr; do
    ip -o address show dev "$IFACE" | grep -q " $addr/32 " || { echo "$addr not on $IFACE" >&2; return 1; }
    command -v iptables >/dev/null || continue
    rules "$addr" | while read -r table chain rule; do
      # shellcheck disable=SC2086
      $IPT -t "$table" -C "$chain" $rule || { echo "missing: -t $table $chain $rule" >&2; return 1; }
    done
  done
}

run() {
  ADDRESSES="$*"
  # shellcheck disable=SC2086 # addresses contain no spaces
  trap 'down $ADDRESSES; echo "removed $IFACE and its rules"; exit 0' TERM INT
  up "$@"
  echo "$IFACE up with $*"
  while :; do
    # In the background, so that the trap runs as soon as a signal comes.
    sleep 60 &
    wait $! || true
    up "$@"
  done
}

action="${1:-}"
[ $# -ge 2 ] || { echo "usage: $0 up|down|check|run ADDRESS..." >&2; exit 2; }
shift
case "$action" in
  up | down | check | run) "$action" "$@" ;;
  *) echo "usage: $0 up|down|check|run ADDRESS..." >&2; exit 2 ;;
esac
