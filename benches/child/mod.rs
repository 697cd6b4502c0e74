//! Running a measured child process: `wait4` gives its own user and system time and peak memory,
//! which `getrusage` deltas would mix with other children's.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// What one run of a child cost, and how it ended.
pub struct Waited {
    /// The raw `wait4` status.
    pub status: libc::c_int,
    pub wall: f64,
    pub user: f64,
    pub sys: f64,
    /// Peak resident memory in KiB (Linux reports `ru_maxrss` in KiB).
    pub rss_kib: u64,
}

impl Waited {
    /// The exit code, or -1 when the child did not exit normally.
    pub fn code(&self) -> i32 {
        if libc::WIFEXITED(self.status) {
            libc::WEXITSTATUS(self.status)
        } else {
            -1
        }
    }
}

/// Spawns `cmd` with its output going to `log`, waits for it with `wait4`.
pub fn run(mut cmd: Command, log: &Path) -> Result<Waited, String> {
    let out = fs::File::create(log).map_err(|e| e.to_string())?;
    cmd.stdin(Stdio::null()).stdout(out.try_clone().map_err(|e| e.to_string())?).stderr(out);
    let started = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 only writes into the two out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = loop {
        // SAFETY: `pid` is our own child, not yet reaped (std's Child never waited on it).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall = started.elapsed().as_secs_f64();
    drop(child);
    if got != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Waited { status, wall, user: secs(usage.ru_utime), sys: secs(usage.ru_stime), rss_kib: usage.ru_maxrss as u64 })
}
