//! Printing to standard output and standard error, either of which may be a pipe whose reader
//! has gone (`oberih schema form | head -c1`, `oberih check 2>&1 | head`) or a file on a full
//! disk. A reader that has gone wants nothing more: what is left is dropped quietly and the
//! command ends as it would have. Other failures to write what a command exists to print are
//! errors.

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output; a closed pipe is no failure.
pub fn out(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints one line of what a command tells while it works (a file decrypted, the address of the
/// preview): failing to print it does not stop the work.
pub fn say(line: &str) {
    let _ = out(&format!("{line}\n"));
}

/// Writes `text` to standard error; a failure is ignored, as there is nowhere left to tell it.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
