/*
 * gen: the child program of the pmux benchmarks. Compiled by the harness (gcc -O2); no dependencies.
 *
 *   gen lines ID N STAMPS [CHUNK]   write N numbered lines of exactly 80 bytes (79 + '\n') to stdout,
 *                           fast: in writes of 65520 bytes (819 whole lines), or of CHUNK bytes that
 *                           ignore line boundaries (4096: what stdio's full buffering does to a pipe)
 *   gen sleep ID STAMPS     stay idle until SIGINT/SIGTERM, then exit 0 at once (a cooperative child)
 *   gen crash ID STAMPS MS CODE   run MS milliseconds, then exit with CODE (restart precision)
 *
 * Line body: "L<ID>:<10-digit sequence from 1>:" padded with 'x' to 79 bytes. The counter checks
 * prefix, wholeness and order from it.
 *
 * STAMPS is a file to which each event is appended as one line (one write(2) < PIPE_BUF, O_APPEND,
 * so concurrent children never tear each other's stamps):
 *   <event> <ID> <pid> <CLOCK_MONOTONIC ns> <parent pid> <parent utime+stime in clock ticks>
 * events: start, end (lines written), exit (about to exit). The parent's CPU at start and end gives
 * the supervisor's CPU time spent while this child ran (the parent is the supervisor: pmux and the
 * Go tool start children directly, pmux through setsid, which execs without forking).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE 80

static const char *stamp_path;
static const char *id;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* utime + stime of pid, in clock ticks; -1 if unreadable. */
static long long cpu_ticks(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  p += 2; /* field 3 (state) */
  unsigned long long ut = 0, st = 0;
  /* fields 3..15: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return -1;
  return (long long)(ut + st);
}

static void stamp(const char *event) {
  char buf[256];
  pid_t pp = getppid();
  int n = snprintf(buf, sizeof buf, "%s %s %d %lld %d %lld\n", event, id, (int)getpid(), now_ns(),
                   (int)pp, cpu_ticks(pp));
  int fd = open(stamp_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) return;
  ssize_t w = write(fd, buf, (size_t)n);
  (void)w;
  close(fd);
}

static int write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static size_t chunk_size;

static int lines(long long count) {
  size_t idlen = strlen(id);
  if (idlen + 14 > LINE - 1) {
    fprintf(stderr, "gen: id too long\n");
    return 2;
  }
  enum { PER_CHUNK = 819 }; /* 819 * 80 = 65520 bytes per write: one pipe buffer */
  static char chunk[PER_CHUNK * LINE];
  char tmpl[LINE];
  memset(tmpl, 'x', LINE - 1);
  tmpl[LINE - 1] = '\n';
  tmpl[0] = 'L';
  memcpy(tmpl + 1, id, idlen);
  tmpl[1 + idlen] = ':';
  tmpl[1 + idlen + 11] = ':';
  size_t seqat = 1 + idlen + 1;
  for (int i = 0; i < PER_CHUNK; i++) memcpy(chunk + (size_t)i * LINE, tmpl, LINE);
  stamp("start");
  long long seq = 1;
  while (seq <= count) {
    int k = 0;
    for (; k < PER_CHUNK && seq <= count; k++, seq++) {
      char *d = chunk + (size_t)k * LINE + seqat + 9;
      long long v = seq;
      for (int j = 0; j < 10; j++) {
        *d-- = (char)('0' + v % 10);
        v /= 10;
      }
    }
    size_t n = (size_t)k * LINE, step = chunk_size ? chunk_size : n, at = 0;
    int failed = 0;
    for (; at < n && !failed; at += step) failed = write_all(chunk + at, n - at < step ? n - at : step) < 0;
    if (failed) {
      stamp("end");
      return 1;
    }
  }
  stamp("end");
  stamp("exit");
  return 0;
}

static void on_stop(int sig) {
  (void)sig;
  stamp("exit");
  _exit(0);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: gen lines ID N STAMPS | gen sleep ID STAMPS | gen crash ID STAMPS MS CODE\n");
    return 2;
  }
  const char *mode = argv[1];
  id = argv[2];
  if (strcmp(mode, "lines") == 0 && (argc == 5 || argc == 6)) {
    stamp_path = argv[4];
    chunk_size = argc == 6 ? (size_t)atol(argv[5]) : 0;
    return lines(atoll(argv[3]));
  }
  stamp_path = argv[3];
  if (strcmp(mode, "sleep") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    stamp("start");
    for (;;) pause();
  }
  if (strcmp(mode, "crash") == 0 && argc == 6) {
    stamp("start");
    long ms = atol(argv[4]);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
    stamp("exit");
    return atoi(argv[5]);
  }
  fprintf(stderr, "gen: bad arguments\n");
  return 2;
}
