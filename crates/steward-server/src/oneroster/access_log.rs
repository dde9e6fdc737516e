//! The API access log, written behind the answers: each request's line is queued and a writer task stores the
//! queue in one statement every quarter of a second. A write per request would cost the answer its time, and on
//! SQLite every write makes the other connections drop their memory map of the file.
//!
//! Lines are stamped when the request is answered, so the log's order and times are the requests'. Whatever reads
//! the log in this process flushes the queue first ([`AccessLog::flush`]); the server flushes it when it stops.

use std::time::Duration;
use steward_store::{ApiAccess, Store};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout_at, Instant};

/// How long a line may wait before the queue is written.
const LINGER: Duration = Duration::from_millis(250);
/// The most lines written at once.
const BATCH: usize = 5_000;

enum Message {
    Line(ApiAccess),
    Flush(oneshot::Sender<()>),
}

/// The queue of access-log lines; cloned into every handler.
#[derive(Clone)]
pub struct AccessLog {
    queue: mpsc::UnboundedSender<Message>,
}

impl AccessLog {
    /// Starts the writer task on the current runtime.
    pub fn start(store: Store) -> Self {
        let (queue, lines) = mpsc::unbounded_channel();
        tokio::spawn(write(store, lines));
        Self { queue }
    }

    /// Queues one line.
    pub fn record(&self, line: ApiAccess) {
        if self.queue.send(Message::Line(line)).is_err() {
            tracing::error!("the access log writer has stopped; a request went unlogged");
        }
    }

    /// Returns once every line queued before the call is stored (or its write has failed and been logged).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write(store: Store, mut queue: mpsc::UnboundedReceiver<Message>) {
    while let Some(first) = queue.recv().await {
        let deadline = Instant::now() + LINGER;
        let (mut lines, mut flushes) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Line(line) => lines.push(line),
                Message::Flush(done) => flushes.push(done),
            }
            if !flushes.is_empty() || lines.len() >= BATCH {
                break;
            }
            next = timeout_at(deadline, queue.recv()).await.ok().flatten();
        }
        if let Err(e) = store.log_api_access(&lines).await {
            tracing::error!(error = %e, lines = lines.len(), "writing the API access log failed");
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
