/*
 * Paced UDP load (its own process), the C twin of udp-load.mjs: Node's dgram
 * cannot offer 100k datagrams/s on a small machine (~50k/s per core), so the
 * bench compiles this with `cc -O2` when a compiler is there.
 *   udp-load <port> <rate> <secs> <size>  → prints {"sent":N,"errors":E,"ms":M}
 * Sends to 127.0.0.1:port with sendmmsg, topping up to rate × elapsed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  int port = atoi(argv[1]);
  double rate = atof(argv[2]), secs = atof(argv[3]);
  int size = atoi(argv[4]);
  long total = (long)(rate * secs + 0.5);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return 3;
  char *buf = malloc(size);
  memset(buf, 98, size);
  enum { BATCH = 32 };
  struct mmsghdr m[BATCH];
  struct iovec v[BATCH];
  for (int i = 0; i < BATCH; i++) {
    v[i].iov_base = buf;
    v[i].iov_len = size;
    memset(&m[i], 0, sizeof m[i]);
    m[i].msg_hdr.msg_iov = &v[i];
    m[i].msg_hdr.msg_iovlen = 1;
  }
  long sent = 0, errors = 0;
  double start = now_ms();
  while (sent < total) {
    long due = (long)((now_ms() - start) / 1000.0 * rate);
    if (due > total) due = total;
    if (due <= sent) {
      struct timespec nap = {0, 100000};
      nanosleep(&nap, NULL);
      continue;
    }
    long want = due - sent;
    int k = sendmmsg(fd, m, want < BATCH ? (int)want : BATCH, 0);
    if (k > 0) sent += k;
    else if (++errors > 10000) break; /* e.g. ECONNREFUSED while nobody listens */
  }
  printf("{\"sent\":%ld,\"errors\":%ld,\"ms\":%.1f}\n", sent, errors, now_ms() - start);
  return 0;
}
