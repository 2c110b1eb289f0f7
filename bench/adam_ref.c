/*
 * A fused Adam step in C, the reference bench/optim-vs-torch measures lr4j against: the same float32
 * operations as lr4j's Kernels.adam (and PyTorch's single-tensor Adam), one pass over each tensor, no
 * gradient check. Built by bench/optim-vs-torch with gcc -O3 -march=native -fopenmp.
 * Reads commands on stdin, like lr4j's OptimBenchServer:
 *   setup PARAMS TENSORS THREADS   allocates and warms up (1 s of steps)
 *   sample N                       times N steps, prints "ms ms ..."
 *   quit
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long n_params, each;
static int n_tensors, n_threads;
static float **p, **g, **m, **v;
static long step_count;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void adam(float *restrict pp, const float *restrict gg, float *restrict mm, float *restrict vv, long from,
                 long to, float beta1, float beta2, float bc2_sqrt, float eps, float neg_step_size) {
    for (long i = from; i < to; i++) {
        float pi = pp[i];
        float d = gg[i];
        float mi = mm[i] * beta1 + (1 - beta1) * d;
        float vi = vv[i] * beta2 + (1 - beta2) * d * d;
        mm[i] = mi;
        vv[i] = vi;
        float denom = sqrtf(vi) / bc2_sqrt + eps;
        pp[i] = pi + neg_step_size * mi / denom;
    }
}

static void step(void) {
    step_count++;
    const double lr = 1e-3, beta1 = 0.9, beta2 = 0.999;
    float neg_step_size = (float) -(lr / (1 - pow(beta1, step_count)));
    float bc2_sqrt = (float) sqrt(1 - pow(beta2, step_count));
    /* Each thread takes a contiguous share of all parameters (tensors laid end to end), as lr4j does. */
#pragma omp parallel num_threads(n_threads)
    {
        int t = omp_get_thread_num();
        long from = n_params * t / n_threads, to = n_params * (t + 1) / n_threads;
        for (int k = 0; k < n_tensors; k++) {
            long lo = k * each, hi = lo + each;
            long a = from > lo ? from : lo, b = to < hi ? to : hi;
            if (a < b) {
                adam(p[k], g[k], m[k], v[k], a - lo, b - lo, 0.9f, 0.999f, bc2_sqrt, 1e-8f, neg_step_size);
            }
        }
    }
}

static void release(void) {
    for (int k = 0; k < n_tensors; k++) {
        free(p[k]); free(g[k]); free(m[k]); free(v[k]);
    }
    free(p); free(g); free(m); free(v);
    n_tensors = 0;
}

int main(void) {
    char line[256];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        char cmd[32];
        if (sscanf(line, "%31s", cmd) != 1) continue;
        if (strcmp(cmd, "setup") == 0) {
            double params;
            release();
            sscanf(line, "%*s %lf %d %d", &params, &n_tensors, &n_threads);
            each = (long) params / n_tensors;
            n_params = each * n_tensors;
            p = malloc(n_tensors * sizeof *p); g = malloc(n_tensors * sizeof *g);
            m = malloc(n_tensors * sizeof *m); v = malloc(n_tensors * sizeof *v);
            unsigned int seed = 1;
            for (int k = 0; k < n_tensors; k++) {
                p[k] = malloc(each * sizeof(float)); g[k] = malloc(each * sizeof(float));
                m[k] = calloc(each, sizeof(float)); v[k] = calloc(each, sizeof(float));
                for (long i = 0; i < each; i++) {
                    seed = seed * 1664525u + 1013904223u;
                    p[k][i] = (float) (seed >> 8) / (1 << 24) - 0.5f;
                    g[k][i] = p[k][i] * 1e-3f;
                }
            }
            step_count = 0;
            double until = now_ms() + 1000;
            while (now_ms() < until) step();
            printf("ready\n");
        } else if (strcmp(cmd, "sample") == 0) {
            int n = 0;
            sscanf(line, "%*s %d", &n);
            for (int i = 0; i < n; i++) {
                double t0 = now_ms();
                step();
                printf(i == 0 ? "%.6f" : " %.6f", now_ms() - t0);
            }
            printf("\n");
        } else if (strcmp(cmd, "quit") == 0) {
            break;
        } else {
            printf("error unknown command %s\n", cmd);
        }
    }
    release();
    return 0;
}
