//! What the query benchmarks share: how latencies are reported.

/// Prints queries per second and p50/p99 latency of `latencies` (milliseconds).
pub fn report(label: &str, latencies: &mut [f64]) {
    latencies.sort_by(f64::total_cmp);
    let total: f64 = latencies.iter().sum();
    let percentile =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{label}: {:.1} queries/s, p50 {:.2} ms, p99 {:.2} ms",
        latencies.len() as f64 * 1e3 / total,
        percentile(0.50),
        percentile(0.99)
    );
}
