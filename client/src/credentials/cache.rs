//! Caching credentials until shortly before they expire, loading them once however many
//! callers ask at the same time.
//!
//! The cache holds the credentials and the time to refresh them: their expiry less a margin
//! (5 minutes by default), so a request signed just before the refresh still reaches the
//! service in time. Credentials without an expiry are kept for good. When they are due, the
//! first caller loads them; every caller arriving during the load waits for that same load and
//! shares its result (credentials or error). If the loading caller is cancelled (its future
//! dropped), a waiting caller takes over. If a refresh fails while the cached credentials have
//! not yet expired, they are still given, and the next attempt waits a few seconds.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use super::{Clock, Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
use crate::future::BoxFuture;

/// The default refresh margin.
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(5 * 60);
/// How long a failed refresh waits before the next one, while the old credentials last.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// A provider that caches what another one loads (see the [module](self) docs).
#[derive(Clone, Debug)]
pub struct CachedProvider {
    inner: SharedCredentialsProvider,
    margin: Duration,
    clock: Clock,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// The credentials and when to refresh them (`None`: never).
    cached: Option<(Credentials, Option<SystemTime>)>,
    /// Whether a caller is loading now.
    loading: bool,
    /// Counts finished loads, so a waiter knows that the load it waited for is done.
    generation: u64,
    /// The result of the last finished load.
    last: Option<Result<Credentials, CredentialsError>>,
    /// Callers waiting for the load.
    waiters: Vec<Waker>,
    /// After a failed refresh: no new attempt before this time.
    retry_at: Option<SystemTime>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl CachedProvider {
    /// Caches what `inner` loads, refreshing [`DEFAULT_MARGIN`] before expiry, on the system
    /// clock.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachedProvider {
            inner: SharedCredentialsProvider::new(inner),
            margin: DEFAULT_MARGIN,
            clock: Clock::system(),
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// Refreshes `margin` before the credentials expire.
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Forgets the cached credentials: the next call loads.
    pub fn invalidate(&self) {
        let mut state = lock(&self.state);
        state.cached = None;
        state.retry_at = None;
    }

    /// The cached credentials if they need no refresh at `now`.
    fn usable(state: &State, now: SystemTime) -> Option<Credentials> {
        let (credentials, refresh_at) = state.cached.as_ref()?;
        let fresh = refresh_at.is_none_or(|at| now < at);
        let backing_off = state.retry_at.is_some_and(|at| now < at) && !expired(credentials, now);
        (fresh || backing_off).then(|| credentials.clone())
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        loop {
            let generation = {
                let mut state = lock(&self.state);
                if let Some(credentials) = Self::usable(&state, self.clock.now()) {
                    return Ok(credentials);
                }
                if state.loading {
                    Some(state.generation)
                } else {
                    state.loading = true;
                    None
                }
            };
            match generation {
                Some(generation) => {
                    let waited = Wait {
                        state: &self.state,
                        generation,
                    }
                    .await;
                    match waited {
                        Some(result) => return result,
                        // The loader was cancelled: try again, maybe as the loader.
                        None => continue,
                    }
                }
                None => return self.load().await,
            }
        }
    }

    /// Loads as the one caller doing so (`state.loading` is set).
    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut guard = LoadGuard {
            state: &self.state,
            finished: false,
        };
        let loaded = self.inner.provide_credentials().await;
        let now = self.clock.now();
        let loaded = loaded.and_then(|credentials| match credentials.expires_at() {
            Some(at) if at <= now => Err(CredentialsError::failed(
                "the credentials cache",
                format!(
                    "the credentials loaded expired {} s ago",
                    now.duration_since(at).unwrap_or_default().as_secs()
                ),
            )),
            _ => Ok(credentials),
        });
        let mut state = lock(&self.state);
        let result = match loaded {
            Ok(credentials) => {
                // Credentials that expire within the margin are used until a little before
                // they expire, and not reloaded on every call.
                let refresh_at = credentials.expires_at().map(|at| {
                    let early = at.checked_sub(self.margin).unwrap_or(now);
                    let half_way = now + at.duration_since(now).unwrap_or_default() / 2;
                    early.max(half_way.min(at))
                });
                state.cached = Some((credentials.clone(), refresh_at));
                state.retry_at = None;
                Ok(credentials)
            }
            Err(error) => match state.cached.clone() {
                Some((credentials, _)) if !expired(&credentials, now) => {
                    state.retry_at = Some(now + RETRY_AFTER_FAILURE);
                    Ok(credentials)
                }
                _ => Err(error),
            },
        };
        state.last = Some(result.clone());
        state.generation += 1;
        guard.finished = true;
        result
    }
}

fn expired(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expires_at().is_some_and(|at| at <= now)
}

/// Ends a load: clears `loading` and wakes the waiters, also when the loading future is
/// dropped before it finishes.
struct LoadGuard<'a> {
    state: &'a Mutex<State>,
    finished: bool,
}

impl Drop for LoadGuard<'_> {
    fn drop(&mut self) {
        let waiters = {
            let mut state = lock(self.state);
            state.loading = false;
            if !self.finished {
                // Cancelled: waiters see the same generation and try again.
                state.last = None;
            }
            std::mem::take(&mut state.waiters)
        };
        for waiter in waiters {
            waiter.wake();
        }
    }
}

/// Waits for the load running when it was made: its result, or `None` if it was cancelled.
struct Wait<'a> {
    state: &'a Mutex<State>,
    generation: u64,
}

impl Future for Wait<'_> {
    type Output = Option<Result<Credentials, CredentialsError>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = lock(self.state);
        if state.generation != self.generation {
            // A later load may have finished since: its result is as good.
            return Poll::Ready(state.last.clone());
        }
        if !state.loading {
            return Poll::Ready(None);
        }
        state.waiters.push(cx.waker().clone());
        Poll::Pending
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}
