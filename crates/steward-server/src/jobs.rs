//! Imports running in this server process, and how far each has got, for the page that follows an upload.
//!
//! The outcome of an import is in the database (its history entry); only its progress while it runs lives here, in
//! the process that runs it. Finished jobs are forgotten an hour later.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where a running import is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Reading and checking every file.
    Reading,
    /// Writing records: per file, (name, applied so far, total).
    Applying(Vec<(String, u64, u64)>),
    /// Finished: its history entry.
    Done(i64),
    /// Could not be recorded at all; the message is fit to show.
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Job {
    pub user_id: i64,
    pub source: String,
    pub started: Instant,
    pub phase: Phase,
}

/// The imports of this process, by an unguessable token.
#[derive(Debug, Default, Clone)]
pub struct Jobs {
    inner: Arc<Mutex<HashMap<String, Job>>>,
}

impl Jobs {
    pub fn start(&self, token: &str, user_id: i64, source: &str) {
        let mut jobs = self.lock();
        jobs.retain(|_, j| {
            !matches!(j.phase, Phase::Done(_) | Phase::Failed(_)) || j.started.elapsed() < Duration::from_secs(3600)
        });
        jobs.insert(
            token.to_owned(),
            Job { user_id, source: source.to_owned(), started: Instant::now(), phase: Phase::Reading },
        );
    }

    /// Reading is over: these files, with these record counts, are to be applied.
    pub fn applying(&self, token: &str, totals: Vec<(String, u64)>) {
        self.set(token, Phase::Applying(totals.into_iter().map(|(f, n)| (f, 0, n)).collect()));
    }

    pub fn progress(&self, token: &str, file: &str, done: u64) {
        if let Some(Job { phase: Phase::Applying(files), .. }) = self.lock().get_mut(token) {
            if let Some(entry) = files.iter_mut().find(|(f, _, _)| f == file) {
                entry.1 = done;
            }
        }
    }

    pub fn set(&self, token: &str, phase: Phase) {
        if let Some(job) = self.lock().get_mut(token) {
            job.phase = phase;
        }
    }

    pub fn get(&self, token: &str) -> Option<Job> {
        self.lock().get(token).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        // A panic while holding the lock leaves plain data behind; carry on with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
