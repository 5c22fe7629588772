//! A temporary workspace with a corpus, and a way to run `mbc` in it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Environment variables `mbc` reads; cleared so the developer's shell cannot leak in.
const MBC_ENV: &[&str] = &[
    "MBC_INDEX",
    "MBC_CORPUS",
    "MBC_MODEL",
    "MBC_TODAY",
    "NO_COLOR",
    "COLUMNS",
];

/// The day the tests take as today (`MBC_TODAY`), so that what they see of review dates (a
/// text last reviewed more than a year ago is marked) does not change with the calendar.
pub const TODAY: &str = "2026-12-03";

pub struct Workspace {
    pub dir: tempfile::TempDir,
}

/// What a run of `mbc` produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run that produced `output`.
    pub fn of(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams shown unless the exit code is `expected`.
    #[track_caller]
    pub fn expect_code(self, expected: i32) -> Run {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self.assert_no_crash();
        self
    }

    /// Asserts that stderr says each of `parts`, showing it when it does not.
    #[track_caller]
    pub fn assert_stderr_says(&self, parts: &[&str]) {
        let missing: Vec<&&str> = parts
            .iter()
            .filter(|p| !self.stderr.contains(**p))
            .collect();
        assert!(
            missing.is_empty(),
            "missing {missing:?} in:\n{}",
            self.stderr
        );
    }

    /// Fails if mbc crashed: a panic is reported as an internal error with exit code 101.
    #[track_caller]
    pub fn assert_no_crash(&self) {
        assert!(
            self.code != 101
                && !self.stderr.contains("panicked")
                && !self.stderr.contains("internal error"),
            "mbc crashed (exit {}):\n{}",
            self.code,
            self.stderr
        );
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        self.expect_code(0)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Workspace {
    /// An empty workspace.
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A workspace whose `corpus/` holds the small fixture corpus.
    pub fn with_fixture_corpus() -> Workspace {
        let ws = Workspace::new();
        copy_dir(&fixtures().join("mini"), &ws.corpus());
        ws
    }

    /// A workspace whose `corpus/` is a copy of the bundled corpus.
    pub fn with_bundled_corpus() -> Workspace {
        let ws = Workspace::new();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
            &ws.corpus(),
        );
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn corpus(&self) -> PathBuf {
        self.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.path().join("index")
    }

    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `mbc` with the workspace as working directory. Workspaces have no model: unless a
    /// test names one with `--model`, searches are lexical, as they are quick (a model is
    /// loaded for each search, and debug builds run it slowly); `mbc_with_builtin_model` runs
    /// with the model built into mbc.
    pub fn mbc(&self, args: &[&str]) -> Run {
        Run::of(self.command(args).output().expect("mbc runs"))
    }

    /// The command [`mbc`](Self::mbc) runs, for tests that run it their own way.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = self.base_command(args);
        command.env("MBC_MODEL", self.path().join("no-model"));
        command
    }

    /// Runs `mbc` as an installed copy runs: with its built-in model, and with the data
    /// directory (`XDG_DATA_HOME`) inside the workspace.
    pub fn mbc_with_builtin_model(&self, args: &[&str]) -> Run {
        Run::of(self.base_command(args).output().expect("mbc runs"))
    }

    /// Runs `mbc` with its built-in model under limits that bash's `ulimit` sets first (for
    /// example `ulimit -f 300`: no file may grow past 300 KiB, as on a full disk). The signal
    /// for an over-large file is ignored, so writes fail with an error instead.
    pub fn mbc_with_limits(&self, ulimit: &str, args: &[&str]) -> Run {
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(format!("trap '' XFSZ; ulimit {ulimit}; exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_mbc"))
            .args(args);
        self.clear_env(&mut command);
        Run::of(command.output().expect("bash runs"))
    }

    /// `mbc ARGS` in the workspace, with the user's mbc settings cleared and the data
    /// directory inside the workspace.
    fn base_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mbc"));
        command.args(args);
        self.clear_env(&mut command);
        command
    }

    /// Runs `command` in the workspace, with the user's mbc settings cleared and the data
    /// directory inside the workspace.
    fn clear_env(&self, command: &mut Command) {
        command.current_dir(self.path());
        for var in MBC_ENV {
            command.env_remove(var);
        }
        command.env("XDG_DATA_HOME", self.data_home());
        command.env("MBC_TODAY", TODAY);
    }

    /// Where an installed mbc would keep its data, for this workspace.
    pub fn data_home(&self) -> PathBuf {
        self.path().join("data-home")
    }

    /// Runs `mbc` like [`mbc`](Self::mbc), with `input` on its standard input.
    pub fn mbc_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut command = self.command(args);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("mbc runs");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input.as_bytes())
            .expect("mbc reads its input");
        Run::of(child.wait_with_output().expect("mbc runs"))
    }

    /// Builds the default index and returns the run.
    pub fn index_corpus(&self) -> Run {
        self.mbc(&["index"]).ok()
    }

    /// The generation directory the default index's `CURRENT` names.
    pub fn current_generation(&self) -> PathBuf {
        let name = std::fs::read_to_string(self.index().join("CURRENT")).unwrap();
        self.index().join(name.trim())
    }

    /// True when `mbc search WORD` succeeds and lists a passage from `file`.
    pub fn finds(&self, word: &str, file: &str) -> bool {
        self.mbc(&["search", word]).ok().stdout.contains(file)
    }
}

/// BLAKE3 of every file of a directory, by name.
pub fn file_hashes(dir: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, blake3::hash(&bytes).to_hex().to_string())
        })
        .collect()
}

/// A one-passage document with a review date and no sources: unreviewed.
pub const DATED_ONLY_DOC: &str = "+++\ntitle = \"Mouth care\"\nlast_reviewed = 2026-10-01\n+++\n\n## Rinsing\n\nA salt water rinse keeps the mouth clean.\n";

/// A one-passage Markdown document to add to a fixture corpus.
pub const FATIGUE_DOC: &str = "+++\ntitle = \"Fatigue\"\nsources = [\"Fixture source, 2026.\"]\n+++\n\n## Tiredness\n\nCancer-related fatigue is common during treatment; gentle exercise often helps.\n";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
