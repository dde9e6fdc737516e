//! Writing behind the answers: what a request records is queued, and a writer task stores the queue in one batch
//! every quarter of a second. A write per request would cost the answer its time, and on SQLite every write makes
//! the other connections drop their memory map of the file. Used for the OneRoster access log and for launches'
//! usage events.
//!
//! Items are stamped when the request is answered, so their order and times are the requests'. Whatever reads them
//! in this process flushes the queue first ([`Behind::flush`]); the server flushes every queue when it stops.

use futures_util::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;
use steward_store::Store;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout_at, Instant};

/// How long an item may wait before the queue is written.
const LINGER: Duration = Duration::from_millis(250);
/// The most items written at once.
const BATCH: usize = 5_000;

enum Message<T> {
    Item(T),
    Flush(oneshot::Sender<()>),
}

/// Stores one batch; failures are the writer's to log.
pub type Writer<T> = Arc<dyn Fn(Store, Vec<T>) -> BoxFuture<'static, ()> + Send + Sync>;

/// A queue of items written behind; cloned into every handler.
pub struct Behind<T> {
    queue: mpsc::UnboundedSender<Message<T>>,
    what: &'static str,
}

impl<T> Clone for Behind<T> {
    fn clone(&self) -> Self {
        Self { queue: self.queue.clone(), what: self.what }
    }
}

impl<T: Send + 'static> Behind<T> {
    /// Starts the writer task on the current runtime; `what` names the items in the log.
    pub fn start(store: Store, what: &'static str, writer: Writer<T>) -> Self {
        let (queue, items) = mpsc::unbounded_channel();
        tokio::spawn(write(store, items, writer));
        Self { queue, what }
    }

    /// Queues one item.
    pub fn record(&self, item: T) {
        if self.queue.send(Message::Item(item)).is_err() {
            tracing::error!(what = self.what, "a write-behind queue's writer has stopped; an item was not stored");
        }
    }

    /// Returns once every item queued before the call is stored (or its write has failed and been logged).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write<T>(store: Store, mut queue: mpsc::UnboundedReceiver<Message<T>>, writer: Writer<T>) {
    while let Some(first) = queue.recv().await {
        let deadline = Instant::now() + LINGER;
        let (mut items, mut flushes) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Item(item) => items.push(item),
                Message::Flush(done) => flushes.push(done),
            }
            if !flushes.is_empty() || items.len() >= BATCH {
                break;
            }
            next = timeout_at(deadline, queue.recv()).await.ok().flatten();
        }
        if !items.is_empty() {
            writer(store.clone(), items).await;
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
