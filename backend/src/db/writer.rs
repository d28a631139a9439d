//! SQLite's writes go through one connection; under a storm of short write transactions the
//! time each one holds it decides the throughput. Run on the server's shared runtime, every
//! statement of a transaction waits its turn behind every request being parsed and answered, so
//! a transaction of six statements holds the connection for six trips through the run queue.
//! This writer is a thread of its own with a small runtime that runs such transactions one
//! after another (in the order asked), so that between two statements nothing else comes first.
//!
//! Group commit: the transactions that queued up while one ran go together into the next
//! transaction, one after another as they would have run alone, and are answered only once it
//! has committed. A storm's answer then costs its own few statements and a share of one BEGIN
//! and one COMMIT: the sign-up storm was writer-bound (the writer busy all the time, the cores
//! a fifth idle, waiting on its round trips), and committing groups made it much faster
//! (`cargo xtask bench --only storm`). If one of them fails, the whole group
//! rolls back and each runs again alone, so that a failure undoes only its own transaction —
//! which is why the work must be able to run twice, and why work that is refused but changed
//! nothing should succeed with the refusal as its value (see `seats::answer`) rather than fail
//! and break up its group.

use std::future::Future;
use std::pin::Pin;

use sqlx::{AnyConnection, AnyPool};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};

type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// The most transactions committed together: a bound on how long the first of them waits.
const MAX_GROUP: usize = 64;

/// A transaction's work, which may run twice (see above).
pub type Work<T> = Box<dyn for<'c> Fn(&'c mut AnyConnection) -> BoxFuture<'c, Result<T>> + Send + Sync>;

/// A transaction waiting for the writer, its value's type erased.
trait Job: Send {
    /// Runs the work on `conn`, inside a transaction, and keeps its outcome; whether it succeeded.
    fn attempt<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;
    /// Answers the caller with the kept outcome, or with `failure` if the commit failed.
    fn answer(self: Box<Self>, failure: Option<Error>);
}

struct Pending<T> {
    work: Work<T>,
    outcome: Option<Result<T>>,
    done: oneshot::Sender<Result<T>>,
}

impl<T: Send + 'static> Job for Pending<T> {
    fn attempt<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let outcome = (self.work)(conn).await;
            let ok = outcome.is_ok();
            self.outcome = Some(outcome);
            ok
        })
    }

    fn answer(self: Box<Self>, failure: Option<Error>) {
        let outcome = match (failure, self.outcome) {
            (Some(e), _) => Err(e),
            (None, Some(outcome)) => outcome,
            (None, None) => Err(Error::Internal(anyhow::anyhow!("a transaction was answered before it ran"))),
        };
        let _ = self.done.send(outcome);
    }
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Box<dyn Job>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer {
    /// Starts the thread, writing through `pool`; it ends when the last handle is dropped.
    pub fn start(pool: AnyPool) -> std::io::Result<Writer> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Box<dyn Job>>();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::Builder::new().name("sqlite-writer".into()).spawn(move || {
            runtime.block_on(async move {
                while let Some(first) = queue.recv().await {
                    let mut group = vec![first];
                    while group.len() < MAX_GROUP {
                        match queue.try_recv() {
                            Ok(job) => group.push(job),
                            Err(_) => break,
                        }
                    }
                    // A task of its own, so that a panic fails that group alone (its callers
                    // get an error, its transaction rolls back) and the writer goes on.
                    let _ = tokio::spawn(run(pool.clone(), group)).await;
                }
            });
        })?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in a transaction on the writer's thread and waits for its result.
    pub async fn run<T: Send + 'static>(&self, work: Work<T>) -> Result<T> {
        let (done, result) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Pending { work, outcome: None, done });
        self.jobs.send(job).map_err(|_| Error::Internal(anyhow::anyhow!("the SQLite writer has stopped")))?;
        result.await.map_err(|_| Error::Internal(anyhow::anyhow!("the SQLite writer dropped a transaction")))?
    }
}

async fn run(pool: AnyPool, mut group: Vec<Box<dyn Job>>) {
    if group.len() > 1 {
        if let Ok(true) = together(&pool, &mut group).await {
            group.into_iter().for_each(|job| job.answer(None));
            return;
        }
        // One failed, or the commit did: each on its own, as if they had never met.
    }
    for mut job in group {
        let failure = alone(&pool, &mut *job).await.err();
        job.answer(failure);
    }
}

/// Runs the group in one transaction; whether all of it succeeded and committed.
async fn together(pool: &AnyPool, group: &mut [Box<dyn Job>]) -> Result<bool> {
    let mut tx = pool.begin().await?;
    for job in group.iter_mut() {
        if !job.attempt(&mut tx).await {
            return Ok(false);
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Runs one job in a transaction of its own, committed if it succeeded.
async fn alone(pool: &AnyPool, job: &mut dyn Job) -> Result<()> {
    let mut tx = pool.begin().await?;
    if job.attempt(&mut tx).await {
        tx.commit().await?;
    }
    Ok(())
}
