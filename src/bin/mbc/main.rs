//! The `mbc` command: parse the flags, run the command, turn the outcome
//! into an exit code. The work is done by the `mbc` library.

/// Writes a line to stderr. A stderr that cannot be written (closed, or a full disk) is no
/// reason to fail or crash, as ripgrep and fd treat it: the line is dropped. What the line
/// quotes from the corpus (file names, titles) is data: control characters are made visible.
macro_rules! status {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", mbc::output::printable_lines(&line));
    }};
}

mod app;
mod bundled;
mod cli;
mod process;
mod serve;
mod settings;

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = cli::Cli::parse_args().into_command();
    process::report_panics_as_bugs();
    let error_format = command.error_format();
    match app::run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if app::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            app::report_error(&err, error_format);
            ExitCode::from(app::exit_code(&err))
        }
    }
}
