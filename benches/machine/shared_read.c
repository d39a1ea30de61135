/* Does reading one table from two threads cost more than each thread reading its own copy?
 *
 * A machine probe for the 1 -> 2 thread scaling of `coinsieve scan` (benches/HISTORY.md, sixteenth
 * session): each thread does 300 M dependent random reads in a table of 2^BITS u32 entries.
 *
 *   gcc -O2 -pthread benches/machine/shared_read.c -o target/shared_read
 *   target/shared_read MODE BITS      # e.g. BITS=18: a 1 MB table, the size of one core's L2
 *
 * MODE 3: one thread alone; 0: two threads, one table (same virtual and physical pages);
 * 1: two threads, the same physical pages mapped twice; 2: two threads, a copy each.
 * Two processes side by side: `target/shared_read 3 18 & target/shared_read 3 18; wait`.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct job { uint64_t seed; const uint32_t *table; size_t n; };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *reads(void *arg) {
    const struct job *j = arg;
    uint64_t x = j->seed | 1;
    uint32_t acc = 0;
    for (long i = 0; i < 300000000L; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        acc += j->table[(x ^ acc) & (j->n - 1)];
    }
    return (void *)(uintptr_t)acc;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODE(0-3) BITS\n", argv[0]);
        return 2;
    }
    int mode = atoi(argv[1]), bits = atoi(argv[2]);
    if (mode < 0 || mode > 3 || bits < 4 || bits > 28) {
        fprintf(stderr, "MODE must be 0-3 and BITS 4-28\n");
        return 2;
    }
    size_t n = (size_t)1 << bits, bytes = n * 4;
    int fd = memfd_create("table", 0);
    if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0) { perror("memfd"); return 1; }
    uint32_t *table = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const uint32_t *again = mmap(0, bytes, PROT_READ, MAP_SHARED, fd, 0);
    uint32_t *copy = malloc(bytes);
    if (table == MAP_FAILED || again == MAP_FAILED || !copy) { perror("mmap"); return 1; }
    for (size_t i = 0; i < n; i++) table[i] = (uint32_t)(i * 2654435761u);
    memcpy(copy, table, bytes);
    const uint32_t *second = mode == 0 ? table : mode == 1 ? again : copy;
    struct job jobs[2] = {{1, table, n}, {2, second, n}};
    int threads = mode == 3 ? 1 : 2;
    pthread_t t[2];
    double start = now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], 0, reads, &jobs[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], 0);
    static const char *names[] = {"two threads, one table", "two threads, pages mapped twice",
                                  "two threads, a copy each", "one thread"};
    printf("%s, 2^%d entries: %.3f s\n", names[mode], bits, now() - start);
    return 0;
}
