//! SQLite's writes go through one connection; under a storm of short write transactions the
//! time each one holds it decides the throughput. Run on the server's shared runtime, every
//! statement of a transaction waits its turn behind every request being parsed and answered, so
//! a transaction of six statements holds the connection for six trips through the run queue.
//! This writer is a thread of its own with a small runtime that runs such transactions one
//! after another (in the order asked), so that between two statements nothing else comes first.

use std::future::Future;
use std::pin::Pin;

use tokio::sync::{mpsc, oneshot};

type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer {
    /// Starts the thread; it ends when the last handle is dropped.
    pub fn start() -> std::io::Result<Writer> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::Builder::new().name("sqlite-writer".into()).spawn(move || {
            runtime.block_on(async move {
                while let Some(job) = queue.recv().await {
                    // A task of its own, so that a panic fails that transaction alone (its
                    // caller gets an error) and the writer goes on with the next.
                    let _ = tokio::spawn(job).await;
                }
            });
        })?;
        Ok(Writer { jobs })
    }

    /// Runs `work` on the writer's thread and waits for its result.
    pub async fn run<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> anyhow::Result<T> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::pin(async move {
            let _ = done.send(work.await);
        });
        self.jobs.send(job).map_err(|_| anyhow::anyhow!("the SQLite writer has stopped"))?;
        result.await.map_err(|_| anyhow::anyhow!("the SQLite writer dropped a transaction"))
    }
}
