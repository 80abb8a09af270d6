/**
 * Benchmarks: {@link io.stagehand.benchmarks.ScaleRunner} runs every figure with its baseline measured
 * in the same run and prints the table; {@link io.stagehand.benchmarks.Workload} generates realistic
 * deployments.
 */
package io.stagehand.benchmarks;
