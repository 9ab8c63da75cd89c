//! The few pieces of async machinery the crate needs, with no async runtime: a boxed future
//! type, [`block_on`] for blocking callers, and [`offload`], which runs blocking work (a socket,
//! a child process) on a thread of its own and is awaited like any future, so it never stalls
//! the executor that polls it (tokio's or any other).

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// A boxed, `Send` future: what the provider and transport traits return, so they stay object
/// safe and tie callers to no runtime.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs `future` to completion on the current thread, parking it while the future waits.
///
/// For programs without an async runtime (and tests). Do not call it from inside an async
/// runtime's worker thread: it blocks that thread until the future is done.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(output) => return output,
            // A spurious wake-up only polls once more.
            Poll::Pending => thread::park(),
        }
    }
}

/// Why [`offload`]ed work gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffloadError {
    /// The thread could not be started (the message says why).
    Spawn(String),
    /// The work panicked.
    Panicked,
}

impl std::fmt::Display for OffloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OffloadError::Spawn(why) => write!(f, "could not start a worker thread: {why}"),
            OffloadError::Panicked => f.write_str("the worker thread panicked"),
        }
    }
}

impl std::error::Error for OffloadError {}

/// What the worker thread and the awaiting future share.
struct Slot<T> {
    result: Option<Result<T, OffloadError>>,
    waker: Option<Waker>,
}

/// Stores the result (or, when dropped without one, the panic) and wakes the awaiting future.
struct Sender<T> {
    slot: Arc<Mutex<Slot<T>>>,
    sent: bool,
}

impl<T> Sender<T> {
    fn send(mut self, value: T) {
        self.finish(Ok(value));
    }

    fn finish(&mut self, result: Result<T, OffloadError>) {
        self.sent = true;
        let waker = {
            let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
            slot.result = Some(result);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if !self.sent {
            self.finish(Err(OffloadError::Panicked));
        }
    }
}

/// The future of [`offload`].
struct Receiver<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, OffloadError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs the blocking `work` on a new thread; the returned future completes with its result.
///
/// A thread per call: the credential sources call it once per credentials load (hours apart
/// with the cache), where a thread costs nothing that matters and needs no runtime.
pub fn offload<T, F>(work: F) -> impl Future<Output = Result<T, OffloadError>> + Send
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let sender = Sender {
        slot: Arc::clone(&slot),
        sent: false,
    };
    let spawned = thread::Builder::new()
        .name("smithy-client-io".to_owned())
        .spawn(move || sender.send(work()));
    if let Err(error) = spawned {
        // The closure (and the sender in it) is gone: its drop stored `Panicked`; say why.
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        slot.result = Some(Err(OffloadError::Spawn(error.to_string())));
    }
    Receiver { slot }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offloaded_work_completes_and_panics_are_errors() {
        assert_eq!(block_on(offload(|| 6 * 7)), Ok(42));
        let panicked = block_on(offload(|| -> u8 { panic!("boom") }));
        assert_eq!(panicked, Err(OffloadError::Panicked));
        assert_eq!(block_on(async { 1 }), 1);
    }
}
