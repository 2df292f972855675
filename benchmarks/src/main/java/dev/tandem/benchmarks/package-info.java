/** Benchmark harnesses that print figures beside same-run baselines. */
package dev.tandem.benchmarks;
