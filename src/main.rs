use std::process::ExitCode;

use clap::Parser;
use mbc::{app, cli::Cli};

fn main() -> ExitCode {
    mbc::embed::configure_threads();
    let command = Cli::parse().into_command();
    match app::run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if app::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(app::exit_code(&err))
        }
    }
}
