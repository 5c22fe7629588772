//! Calls into libraries that can meet damaged input: tantivy reading index files, an inference
//! engine running a model it was handed. Some of their decoders panic on input they did not
//! expect. Only such calls run under [`catch`], which turns the panic into a message for the
//! caller to report as damage; a panic anywhere else is a bug, and the binary reports it as one.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// How many [`catch`]es this thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// True while this thread runs a call under [`catch`]. A panic hook consults it: the panic will
/// be reported by the caller as damage, so the hook should stay quiet.
pub fn inside_guarded_call() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// Runs `call`; a panic inside it comes back as its message. Keep `call` to the library call
/// itself: whatever panics inside it is blamed on the input.
pub fn catch<T>(call: impl FnOnce() -> T) -> Result<T, String> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = panic::catch_unwind(AssertUnwindSafe(call));
    DEPTH.with(|d| d.set(d.get() - 1));
    outcome.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_guard_is_left() {
        let outcome: Result<(), String> = catch(|| panic!("bad block"));
        assert_eq!(outcome.unwrap_err(), "bad block");
        assert!(!inside_guarded_call());
    }

    #[test]
    fn inside_a_call_the_guard_is_known() {
        assert_eq!(catch(inside_guarded_call), Ok(true));
    }
}
