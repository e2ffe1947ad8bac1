/*
 * counter: reads a supervisor's merged stdout and checks every line the generator (gen lines) wrote.
 * Compiled by the harness (gcc -O2); no dependencies.
 *
 *   counter MODE WIDTH ID=N [ID=N ...]
 *
 * MODE pmux: each line must be "<ID><spaces to WIDTH>› <body>" (the Go tool's format, no timestamps);
 * MODE none: the line must be the bare body (supervisord writes no prefix).
 * Body: "L<ID>:<10-digit seq>:" + 'x' to 79 bytes, as gen writes it. For every ID the sequence
 * must run 1, 2, ... N with nothing missing, repeated or out of order.
 *
 * Prints one line: ok=... torn=... badprefix=... order=... lost=... foreign=... lines=... bytes=...
 * first_ns=... last_ns=... (CLOCK_MONOTONIC of the first and last byte read) and PASS or FAIL;
 * exit status 0 on PASS, 1 on FAIL.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BODY 79
#define MAXIDS 4096
#define BUF (1 << 20)

static int nids;
static char *ids[MAXIDS];
static size_t idlen[MAXIDS];
static long long expect[MAXIDS], last[MAXIDS], good[MAXIDS];
static long long ok, torn, badprefix, order, foreign, nlines, nbytes;
static int mode_pmux;
static int width;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int find_id(const char *p, size_t n) {
  for (int i = 0; i < nids; i++) {
    if (idlen[i] == n && memcmp(ids[i], p, n) == 0) return i;
  }
  return -1;
}

static void check(const char *line, size_t len) {
  nlines++;
  if (len < BODY) {
    torn++;
    return;
  }
  const char *body = line + len - BODY;
  if (body[0] != 'L') {
    torn++;
    return;
  }
  const char *colon = memchr(body + 1, ':', BODY - 1);
  if (!colon) {
    torn++;
    return;
  }
  size_t il = (size_t)(colon - body - 1);
  if (il + 13 > BODY || colon[11] != ':') {
    torn++;
    return;
  }
  long long seq = 0;
  for (int j = 1; j <= 10; j++) {
    char c = colon[j];
    if (c < '0' || c > '9') {
      torn++;
      return;
    }
    seq = seq * 10 + (c - '0');
  }
  for (const char *x = colon + 12; x < body + BODY; x++) {
    if (*x != 'x') {
      torn++;
      return;
    }
  }
  int k = find_id(body + 1, il);
  if (k < 0) {
    foreign++;
    return;
  }
  size_t plen = (size_t)(body - line);
  if (mode_pmux) {
    /* <ID><pad to width>› ; '›' is E2 80 BA in UTF-8 */
    size_t want = (size_t)(width > (int)il ? width : (int)il) + 4;
    int bad = plen != want || memcmp(line, ids[k], il) != 0;
    for (size_t j = il; !bad && j < want - 4; j++) bad = line[j] != ' ';
    if (!bad) bad = memcmp(line + want - 4, "\xE2\x80\xBA ", 4) != 0;
    if (bad) {
      badprefix++;
      return;
    }
  } else if (plen != 0) {
    badprefix++;
    return;
  }
  if (seq != last[k] + 1) order++;
  last[k] = seq;
  good[k]++;
  ok++;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: counter pmux|none WIDTH ID=N ...\n");
    return 2;
  }
  mode_pmux = strcmp(argv[1], "pmux") == 0;
  width = atoi(argv[2]);
  for (int i = 3; i < argc && nids < MAXIDS; i++) {
    char *eq = strrchr(argv[i], '=');
    if (!eq) continue;
    *eq = 0;
    ids[nids] = argv[i];
    idlen[nids] = strlen(argv[i]);
    expect[nids] = atoll(eq + 1);
    nids++;
  }
  static char buf[BUF + 65536 + BODY + 64];
  size_t have = 0;
  long long first = 0, lastt = 0;
  for (;;) {
    ssize_t n = read(0, buf + have, BUF);
    if (n < 0) {
      perror("counter: read");
      break;
    }
    if (n == 0) break;
    lastt = now_ns();
    if (!first) first = lastt;
    nbytes += n;
    have += (size_t)n;
    size_t start = 0;
    for (;;) {
      char *nl = memchr(buf + start, '\n', have - start);
      if (!nl) break;
      check(buf + start, (size_t)(nl - (buf + start)));
      start = (size_t)(nl - buf) + 1;
    }
    memmove(buf, buf + start, have - start);
    have -= start;
    if (have > 65536) { /* a line this long is no generator line: count it torn and drop it */
      torn++;
      nlines++;
      have = 0;
    }
  }
  if (have > 0) check(buf, have); /* a final line without newline */
  long long lost = 0;
  for (int k = 0; k < nids; k++) {
    if (good[k] < expect[k]) lost += expect[k] - good[k];
  }
  int pass = torn == 0 && badprefix == 0 && order == 0 && lost == 0 && foreign == 0;
  printf("ok=%lld torn=%lld badprefix=%lld order=%lld lost=%lld foreign=%lld lines=%lld bytes=%lld "
         "first_ns=%lld last_ns=%lld %s\n",
         ok, torn, badprefix, order, lost, foreign, nlines, nbytes, first, lastt, pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
