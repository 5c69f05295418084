//! External policies: any executable run as a recovery policy under a time limit, in its own process group,
//! killed with the whole group when it overruns the limit plus a grace. What it wrote is judged by the
//! caller with the same checker as the built-in policies; this module only runs it and says why it failed.
//!
//! The command line is split on whitespace (no shell, no quoting): `"python3 my_policy.py --greedy"` runs
//! `python3` with two arguments, followed by the arguments the protocol adds (for ROADEF 2009: the instance
//! folder, the output folder and the time limit in seconds; see `docs/guide/researcher.md`).

use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Seconds a policy may run past its time limit before it is killed (it is told the limit; writing its
/// files and exiting take a moment).
pub const GRACE: Duration = Duration::from_secs(5);

/// The most of a failed policy's standard error quoted in its failure reason.
const STDERR_QUOTED_BYTES: u64 = 400;

/// A policy command: the program and its own arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCommand {
    pub program: String,
    pub args: Vec<String>,
}

impl PolicyCommand {
    /// Splits `"CMD ARGS"` on whitespace.
    pub fn parse(text: &str) -> Result<PolicyCommand> {
        let mut words = text.split_whitespace().map(str::to_string);
        let program = words.next().ok_or_else(|| {
            Error::invalid(
                "--policy-cmd needs a command, e.g. \"python3 examples/policies/roadef_greedy.py\"",
            )
        })?;
        Ok(PolicyCommand {
            program,
            args: words.collect(),
        })
    }
}

impl std::fmt::Display for PolicyCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.program)?;
        for a in &self.args {
            write!(f, " {a}")?;
        }
        Ok(())
    }
}

/// A policy call that ended by itself with exit status 0.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRun {
    /// From the moment the process was started to the moment it was seen to exit: the policy's own time,
    /// its interpreter's start-up included.
    pub policy_time: Duration,
    /// Starting the process (fork and exec) and noticing its exit, which the caller adds to its own
    /// reading and checking to get the whole overhead of a call.
    pub harness_time: Duration,
}

/// Why a policy call gave nothing to judge.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyFailure {
    #[error("could not start `{command}`: {reason}")]
    NotStarted { command: String, reason: String },
    #[error("exited with status {code}{stderr}")]
    Failed { code: i32, stderr: String },
    #[error("killed by signal {signal}{stderr}")]
    Signalled { signal: i32, stderr: String },
    #[error("overran its time limit: killed with its process group after {limit_s} s + {grace_s} s grace")]
    Overran { limit_s: f64, grace_s: f64 },
}

/// Runs `command` with `protocol_args` appended, standard input closed, standard output and error written
/// to `log_dir/policy.stdout` and `log_dir/policy.stderr`; waits at most `time_limit + grace`, then kills
/// its whole process group. Stray processes it left in its group are killed when it exits too.
pub fn run(
    command: &PolicyCommand,
    protocol_args: &[OsString],
    time_limit: Duration,
    grace: Duration,
    log_dir: &Path,
) -> Result<PolicyRun, PolicyFailure> {
    run_with_input(command, protocol_args, None, time_limit, grace, log_dir)
}

/// [`run`] with standard input read from the file `input` (closed when `None`).
pub fn run_with_input(
    command: &PolicyCommand,
    protocol_args: &[OsString],
    input: Option<&Path>,
    time_limit: Duration,
    grace: Duration,
    log_dir: &Path,
) -> Result<PolicyRun, PolicyFailure> {
    let not_started = |reason: String| PolicyFailure::NotStarted {
        command: command.to_string(),
        reason,
    };
    let stdout_path = log_dir.join("policy.stdout");
    let stderr_path = log_dir.join("policy.stderr");
    let stdout = File::create(&stdout_path)
        .map_err(|e| not_started(format!("{}: {e}", stdout_path.display())))?;
    let stderr = File::create(&stderr_path)
        .map_err(|e| not_started(format!("{}: {e}", stderr_path.display())))?;
    let stdin = match input {
        Some(path) => Stdio::from(
            File::open(path).map_err(|e| not_started(format!("{}: {e}", path.display())))?,
        ),
        None => Stdio::null(),
    };
    let started = Instant::now();
    let mut child = Command::new(&command.program)
        .args(&command.args)
        .args(protocol_args)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .map_err(|e| not_started(e.to_string()))?;
    let spawned = Instant::now();
    let group = child.id() as i32;
    let (tx, rx) = mpsc::channel::<(std::io::Result<ExitStatus>, Instant)>();
    let waiter = std::thread::spawn(move || {
        let status = child.wait();
        // The receiver may be gone only if the caller panicked; nothing to do then.
        let _ = tx.send((status, Instant::now()));
    });
    let outcome = rx.recv_timeout(time_limit + grace).ok();
    // The whole group, whether the policy overran or left helpers behind.
    kill_group(group);
    let (status, exited) = match outcome {
        Some(done) => done,
        None => {
            // The kill above ends the wait.
            let _ = rx.recv();
            let _ = waiter.join();
            return Err(PolicyFailure::Overran {
                limit_s: time_limit.as_secs_f64(),
                grace_s: grace.as_secs_f64(),
            });
        }
    };
    let _ = waiter.join();
    let status = status.map_err(|e| not_started(format!("waiting for it: {e}")))?;
    let noticed = Instant::now();
    if !status.success() {
        let stderr = stderr_tail(&stderr_path);
        return Err(match status.code() {
            Some(code) => PolicyFailure::Failed { code, stderr },
            None => PolicyFailure::Signalled {
                signal: std::os::unix::process::ExitStatusExt::signal(&status).unwrap_or(0),
                stderr,
            },
        });
    }
    Ok(PolicyRun {
        policy_time: exited.saturating_duration_since(spawned),
        harness_time: (spawned - started) + noticed.saturating_duration_since(exited),
    })
}

fn kill_group(group: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group; it touches no memory of ours. The group
    // is the child's own (process_group(0) made it its leader), so no other process is signalled.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// The end of a failed policy's standard error, as `: "..."` (empty if it wrote nothing).
fn stderr_tail(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let skip = len.saturating_sub(STDERR_QUOTED_BYTES);
        let mut bytes = Vec::new();
        if std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(skip)).is_ok()
            && f.read_to_end(&mut bytes).is_ok()
        {
            text = String::from_utf8_lossy(&bytes).trim().to_string();
        }
    }
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_is_split_on_whitespace_and_an_empty_one_is_refused() {
        let c = PolicyCommand::parse("  python3  my_policy.py --greedy ").expect("a command");
        assert_eq!(c.program, "python3");
        assert_eq!(c.args, vec!["my_policy.py", "--greedy"]);
        assert_eq!(c.to_string(), "python3 my_policy.py --greedy");
        assert!(PolicyCommand::parse("   ").is_err());
    }

    #[test]
    fn a_crash_an_overrun_and_a_missing_program_are_told_apart() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let limit = Duration::from_millis(200);
        let grace = Duration::from_millis(100);
        let sh = |script: &str| PolicyCommand {
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
        };
        let ok = run(&sh("exit 0"), &[], limit, grace, dir.path()).expect("exits 0");
        assert!(ok.policy_time < limit + grace);
        match run(&sh("echo boom >&2; exit 3"), &[], limit, grace, dir.path()) {
            Err(PolicyFailure::Failed { code: 3, stderr }) => assert!(stderr.contains("boom")),
            other => panic!("{other:?}"),
        }
        // A helper left in the background holds nothing up: the group goes with the overrunning leader.
        let overran = run(&sh("sleep 30 & sleep 30"), &[], limit, grace, dir.path());
        assert!(
            matches!(overran, Err(PolicyFailure::Overran { .. })),
            "{overran:?}"
        );
        let missing = PolicyCommand::parse("/nonexistent/policy").expect("a command");
        assert!(matches!(
            run(&missing, &[], limit, grace, dir.path()),
            Err(PolicyFailure::NotStarted { .. })
        ));
    }
}
