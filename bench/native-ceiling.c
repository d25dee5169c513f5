// bench:dns --native: the prototype of a native UDP fast path. What a server outside Node's event
// loop reaches on one core when the answer is prebuilt (as the core's answer cache holds them):
// recvmmsg/sendmmsg (Linux) with up to BATCH datagrams per system call; BATCH 1 is one receive and
// one send per query, as Node's dgram does. The answer is bench/ceiling-udp.ts's, ID copied in.
// Build and run: gcc -O2 -o native-ceiling bench/native-ceiling.c && ./native-ceiling PORT BATCH
// (binds 127.0.0.1; prints `native ready: udp://127.0.0.1:PORT (batch N)`).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH 256
#define BUF 1500

// The same answer as bench/ceiling-udp.ts: svc-00042.ns-042.svc.cluster.local A 10.96.0.42, TTL 5.
static unsigned char answer[BUF];
static size_t answer_len;

static void put_name(const char *name) {
  const char *p = name;
  while (*p) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    answer[answer_len++] = (unsigned char)n;
    memcpy(answer + answer_len, p, n);
    answer_len += n;
    p += n + (dot ? 1 : 0);
  }
  answer[answer_len++] = 0;
}

static void build_answer(void) {
  static const unsigned char header[12] = {0, 0, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0};
  memcpy(answer, header, 12);
  answer_len = 12;
  put_name("svc-00042.ns-042.svc.cluster.local");
  static const unsigned char q[4] = {0, 1, 0, 1};
  memcpy(answer + answer_len, q, 4);
  answer_len += 4;
  put_name("svc-00042.ns-042.svc.cluster.local");
  static const unsigned char rr[14] = {0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 96, 0, 42};
  memcpy(answer + answer_len, rr, 14);
  answer_len += 14;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  int batch = argc > 2 ? atoi(argv[2]) : 1;
  if (batch < 1 || batch > MAX_BATCH) batch = 1;
  build_answer();
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int rcv = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); return 1; }
  socklen_t alen = sizeof addr;
  getsockname(fd, (struct sockaddr *)&addr, &alen);
  printf("native ready: udp://127.0.0.1:%d (batch %d)\n", ntohs(addr.sin_port), batch);
  fflush(stdout);
  static unsigned char in[MAX_BATCH][BUF], out[MAX_BATCH][BUF];
  static struct sockaddr_in peers[MAX_BATCH];
  static struct iovec iin[MAX_BATCH], iout[MAX_BATCH];
  static struct mmsghdr min[MAX_BATCH], mout[MAX_BATCH];
  for (int i = 0; i < MAX_BATCH; i++) {
    iin[i] = (struct iovec){in[i], BUF};
    min[i].msg_hdr = (struct msghdr){.msg_name = &peers[i], .msg_namelen = sizeof peers[i], .msg_iov = &iin[i], .msg_iovlen = 1};
    iout[i] = (struct iovec){out[i], 0};
    mout[i].msg_hdr = (struct msghdr){.msg_name = &peers[i], .msg_namelen = sizeof peers[i], .msg_iov = &iout[i], .msg_iovlen = 1};
  }
  for (;;) {
    // Block for the first datagram, then take whatever else is queued, up to the batch.
    int n = recvmmsg(fd, min, (unsigned)batch, MSG_WAITFORONE, NULL);
    if (n <= 0) continue;
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (min[i].msg_len < 12) continue;
      memcpy(out[m], answer, answer_len);
      out[m][0] = in[i][0];
      out[m][1] = in[i][1];
      iout[m].iov_len = answer_len;
      mout[m].msg_hdr.msg_name = &peers[i];
      mout[m].msg_hdr.msg_namelen = min[i].msg_hdr.msg_namelen;
      m++;
    }
    for (int sent = 0; sent < m;) {
      int k = sendmmsg(fd, mout + sent, (unsigned)(m - sent), 0);
      if (k <= 0) break;
      sent += k;
    }
    for (int i = 0; i < n; i++) min[i].msg_hdr.msg_namelen = sizeof peers[i];
  }
}
