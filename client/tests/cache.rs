//! The cache: one load however many callers, refreshed before expiry, errors shared, a
//! cancelled loader taken over, the old credentials kept while a refresh fails.
#![cfg(feature = "credentials")]

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithy_client::credentials::{
    CachedProvider, Clock, Credentials, CredentialsError, ProvideCredentials,
};
use smithy_client::future::{block_on, offload, BoxFuture};

/// Counts its loads; each takes `delay` (on a thread of its own, as a network source's does)
/// and gives credentials expiring `lifetime` after the test clock's time, or fails.
#[derive(Debug)]
struct Counting {
    loads: AtomicUsize,
    delay: Duration,
    lifetime: Option<Duration>,
    fail: AtomicBool,
    clock: Arc<AtomicU64>,
}

impl Counting {
    fn new(delay: Duration, lifetime: Option<Duration>, clock: &Arc<AtomicU64>) -> Arc<Counting> {
        Arc::new(Counting {
            loads: AtomicUsize::new(0),
            delay,
            lifetime,
            fail: AtomicBool::new(false),
            clock: Arc::clone(clock),
        })
    }

    fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.loads.fetch_add(1, Ordering::SeqCst) + 1;
            let delay = self.delay;
            offload(move || std::thread::sleep(delay))
                .await
                .expect("sleeps");
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::failed(
                    "counting",
                    format!("load {n} failed"),
                ));
            }
            let credentials = Credentials::new(format!("KEY{n}"), "S", None);
            Ok(match self.lifetime {
                Some(lifetime) => credentials.with_expiry(now(&self.clock) + lifetime),
                None => credentials,
            })
        })
    }
}

fn now(clock: &AtomicU64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst))
}

fn test_clock() -> (Arc<AtomicU64>, Clock) {
    let seconds = Arc::new(AtomicU64::new(1_700_000_000));
    let reader = Arc::clone(&seconds);
    (seconds, Clock::from_fn(move || now(&reader)))
}

fn key(provider: &impl ProvideCredentials) -> String {
    match block_on(provider.provide_credentials()) {
        Ok(credentials) => credentials.access_key_id().to_owned(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn concurrent_callers_share_one_load_and_refresh_happens_once_before_expiry() {
    let (seconds, clock) = test_clock();
    let source = Counting::new(
        Duration::from_millis(200),
        Some(Duration::from_secs(3600)),
        &seconds,
    );
    let cache = Arc::new(CachedProvider::new(Arc::clone(&source)).with_clock(clock));
    let callers = 16;
    let barrier = Arc::new(Barrier::new(callers));
    let threads: Vec<_> = (0..callers)
        .map(|_| {
            let cache = Arc::clone(&cache);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                key(&*cache)
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("joins"), "KEY1");
    }
    assert_eq!(source.loads(), 1);
    assert_eq!(key(&*cache), "KEY1");
    assert_eq!(source.loads(), 1);

    // 54 minutes on: more than 5 minutes left, still cached.
    seconds.fetch_add(54 * 60, Ordering::SeqCst);
    assert_eq!(key(&*cache), "KEY1");
    // 56 minutes on: within the margin, refreshed once, however many callers.
    seconds.fetch_add(2 * 60, Ordering::SeqCst);
    let barrier = Arc::new(Barrier::new(callers));
    let threads: Vec<_> = (0..callers)
        .map(|_| {
            let cache = Arc::clone(&cache);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                key(&*cache)
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("joins"), "KEY2");
    }
    assert_eq!(source.loads(), 2);
}

#[test]
fn credentials_without_expiry_are_kept_and_errors_are_shared() {
    let (seconds, clock) = test_clock();
    let source = Counting::new(Duration::ZERO, None, &seconds);
    let cache = CachedProvider::new(Arc::clone(&source)).with_clock(clock.clone());
    assert_eq!(key(&cache), "KEY1");
    seconds.fetch_add(365 * 24 * 3600, Ordering::SeqCst);
    assert_eq!(key(&cache), "KEY1");
    assert_eq!(source.loads(), 1);
    cache.invalidate();
    assert_eq!(key(&cache), "KEY2");

    let failing = Counting::new(Duration::from_millis(200), None, &seconds);
    failing.fail.store(true, Ordering::SeqCst);
    let cache = Arc::new(CachedProvider::new(Arc::clone(&failing)).with_clock(clock));
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let cache = Arc::clone(&cache);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                block_on(cache.provide_credentials()).map(|_| ())
            })
        })
        .collect();
    let errors: Vec<String> = threads
        .into_iter()
        .map(|t| t.join().expect("joins").expect_err("fails").to_string())
        .collect();
    // The callers that waited for the load share its error; none loaded again meanwhile.
    assert!(
        errors
            .iter()
            .all(|e| e == "credentials from counting: load 1 failed"),
        "{errors:?}"
    );
    assert_eq!(failing.loads(), 1);
}

#[test]
fn a_failed_refresh_keeps_credentials_that_have_not_expired() {
    let (seconds, clock) = test_clock();
    let source = Counting::new(Duration::ZERO, Some(Duration::from_secs(3600)), &seconds);
    let cache = CachedProvider::new(Arc::clone(&source)).with_clock(clock);
    assert_eq!(key(&cache), "KEY1");
    seconds.fetch_add(57 * 60, Ordering::SeqCst);
    source.fail.store(true, Ordering::SeqCst);
    assert_eq!(key(&cache), "KEY1");
    assert_eq!(source.loads(), 2);
    // Within the back-off, no new attempt.
    assert_eq!(key(&cache), "KEY1");
    assert_eq!(source.loads(), 2);
    // Past the expiry the failure is the answer.
    seconds.fetch_add(4 * 60, Ordering::SeqCst);
    let error = block_on(cache.provide_credentials()).expect_err("expired");
    assert_eq!(
        error.to_string(),
        "credentials from counting: load 3 failed"
    );
    source.fail.store(false, Ordering::SeqCst);
    assert_eq!(key(&cache), "KEY4");
}

#[test]
fn a_cancelled_load_is_taken_over() {
    let (seconds, clock) = test_clock();
    let source = Counting::new(Duration::from_millis(300), None, &seconds);
    let cache = CachedProvider::new(Arc::clone(&source)).with_clock(clock);
    let mut first = cache.provide_credentials();
    let mut context = Context::from_waker(Waker::noop());
    assert!(first.as_mut().poll(&mut context).is_pending());
    drop(first);
    assert_eq!(key(&cache), "KEY2");
    assert_eq!(source.loads(), 2);
}

#[test]
fn credentials_that_come_back_expired_are_an_error() {
    let (seconds, clock) = test_clock();
    #[derive(Debug)]
    struct Stale(Arc<AtomicU64>);
    impl ProvideCredentials for Stale {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let at = now(&self.0) - Duration::from_secs(30);
            Box::pin(async move { Ok(Credentials::new("OLD", "S", None).with_expiry(at)) })
        }
    }
    let cache = CachedProvider::new(Stale(Arc::clone(&seconds))).with_clock(clock);
    let error = block_on(cache.provide_credentials()).expect_err("stale");
    assert_eq!(
        error.to_string(),
        "credentials from the credentials cache: the credentials loaded expired 30 s ago"
    );
}
