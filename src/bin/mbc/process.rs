//! How a panic is reported.

/// A panic is a bug in mbc, and is reported as one: "internal error", where it happened, and a
/// request to report it; the process then exits with 101. The exception is a panic inside a
/// library call that can meet damaged input (`mbc::guard`): the library reports that as a
/// damaged index or model, so nothing is printed here.
pub fn report_panics_as_bugs() {
    std::panic::set_hook(Box::new(|info| {
        if mbc::guard::inside_guarded_call() {
            return;
        }
        let message = info.payload_as_str().unwrap_or("(no message)");
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        status!(
            "internal error: mbc panicked{place}: {message}\n\
             This is a bug in mbc, not a problem with your corpus or index. Please report it, \
             with the command you ran."
        );
    }));
}
