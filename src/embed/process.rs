//! Process-wide settings the embedding engines want, made once by a program's `main` before any
//! thread starts (the `mbc` binary and the benchmarks do).

use super::{Engine, ModelSource, engine_of};

/// Settles how the embedding engine uses the process, for a process that will embed with the
/// model from `model` (or none).
///
/// - candle's own per-operation thread pool is switched off: `embed` runs one batch per core
///   itself, and the pool on top of that only made the batches wait for each other (23 → 42
///   passages/s on the bundled corpus). A `CANDLE_NUM_THREADS` set by the user is kept.
/// - `RAYON_NUM_THREADS` is set to the number of threads rayon uses anyway (one per logical
///   core). candle reads it before every matrix product to split the product over threads, and
///   without it counts the physical cores in `/proc/cpuinfo` each time: 48 reads of that file
///   per query, 4 % of a hybrid search's time. (On a machine with two threads per core, a
///   product is now split over twice as many threads.) A `RAYON_NUM_THREADS` set by the user is
///   kept.
/// - When the model runs on candle, glibc is asked to keep freed memory: it hands large freed
///   blocks straight back to the kernel, and candle frees and reallocates megabytes of scratch
///   tensors per layer, so every operation paid for fresh pages. Only then: a lexical build
///   stays at its smaller peak, and tract, which reuses its buffers itself, loaded an ONNX file
///   5× slower with it (1.6 s against 0.33 s).
///
/// # Safety
/// Call before any thread starts: it changes the environment, which another thread could be
/// reading at the same time.
pub unsafe fn configure_process(model: Option<&ModelSource>) {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: the caller guarantees that no other thread exists yet.
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // SAFETY: as above.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", cores.to_string()) };
    }
    if model.and_then(engine_of) == Some(Engine::Candle) {
        keep_freed_memory();
    }
}

fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes plain integers and only changes allocator thresholds; glibc
    // serialises it with allocation.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}
