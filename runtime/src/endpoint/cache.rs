//! A one-entry cache of the last resolution: a client resolves the same params for call after
//! call, so the last args and their endpoint are kept and a call with equal args gets a clone.
//!
//! The entry sits behind a [`RwLock`] that is only ever tried, never waited on: callers with
//! equal args share the read lock, and a caller that finds the lock taken (a writer storing,
//! or readers while it wants to store) resolves without the cache instead of blocking. The
//! lock makes every read see a whole entry, the args and the endpoint of one resolution.

use std::fmt;
use std::sync::{Arc, RwLock};

use super::{Arg, Endpoint};

/// An owned copy of one arg, for comparing the next call's args with.
#[derive(Debug, PartialEq)]
enum OwnedArg {
    Str(String),
    Bool(bool),
    StrArray(Vec<String>),
}

impl OwnedArg {
    fn matches(&self, arg: &Arg<'_>) -> bool {
        match (self, arg) {
            (OwnedArg::Str(a), Arg::Str(b)) => a == b,
            (OwnedArg::Bool(a), Arg::Bool(b)) => a == b,
            (OwnedArg::StrArray(a), Arg::StrArray(b)) => a.as_slice() == *b,
            _ => false,
        }
    }

    /// Makes `self` a copy of `arg`, reusing its buffer when the kind is the same.
    fn assign(slot: &mut Option<OwnedArg>, arg: Option<&Arg<'_>>) {
        match (slot.as_mut(), arg) {
            (_, None) => *slot = None,
            (Some(OwnedArg::Str(s)), Some(Arg::Str(a))) => {
                s.clear();
                s.push_str(a);
            }
            (Some(OwnedArg::StrArray(v)), Some(Arg::StrArray(a))) => copy_strings(v, a),
            (_, Some(arg)) => {
                *slot = Some(match arg {
                    Arg::Str(s) => OwnedArg::Str((*s).to_owned()),
                    Arg::Bool(b) => OwnedArg::Bool(*b),
                    Arg::StrArray(a) => OwnedArg::StrArray(a.to_vec()),
                })
            }
        }
    }
}

/// Makes `to` a copy of `from`, reusing its strings' buffers.
fn copy_strings(to: &mut Vec<String>, from: &[String]) {
    to.truncate(from.len());
    let (init, tail) = from.split_at(to.len());
    for (to, from) in to.iter_mut().zip(init) {
        to.clone_from(from);
    }
    to.extend_from_slice(tail);
}

/// The args and the endpoint of one resolution.
struct Entry {
    args: Vec<Option<OwnedArg>>,
    endpoint: Endpoint,
}

impl Entry {
    fn matches(&self, args: &[Option<Arg<'_>>]) -> bool {
        self.args.len() == args.len()
            && self
                .args
                .iter()
                .zip(args)
                .all(|(kept, arg)| match (kept, arg) {
                    (None, None) => true,
                    (Some(kept), Some(arg)) => kept.matches(arg),
                    _ => false,
                })
    }
}

/// The last resolution's args and endpoint.
#[derive(Default)]
pub(crate) struct LastResolution {
    entry: RwLock<Option<Entry>>,
}

impl fmt::Debug for LastResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LastResolution")
    }
}

impl LastResolution {
    /// The kept endpoint, when the last resolution had these args (and the lock is free).
    pub(crate) fn get(&self, args: &[Option<Arg<'_>>]) -> Option<Endpoint> {
        let entry = self.entry.try_read().ok()?;
        let entry = entry.as_ref()?;
        entry.matches(args).then(|| entry.endpoint.clone())
    }

    /// Keeps `endpoint` as the resolution of `args`, unless another caller holds the lock.
    pub(crate) fn store(&self, args: &[Option<Arg<'_>>], endpoint: &Endpoint) {
        let Ok(mut entry) = self.entry.try_write() else {
            return;
        };
        match entry.as_mut() {
            Some(kept) => {
                kept.args.resize_with(args.len(), || None);
                for (slot, arg) in kept.args.iter_mut().zip(args) {
                    OwnedArg::assign(slot, arg.as_ref());
                }
                // Field by field, so that the URL's buffer is reused; the properties are shared.
                kept.endpoint.url.clone_from(&endpoint.url);
                kept.endpoint.headers.clone_from(&endpoint.headers);
                kept.endpoint.properties = Arc::clone(&endpoint.properties);
            }
            None => {
                let mut kept = Vec::with_capacity(args.len());
                for arg in args {
                    let mut slot = None;
                    OwnedArg::assign(&mut slot, arg.as_ref());
                    kept.push(slot);
                }
                *entry = Some(Entry {
                    args: kept,
                    endpoint: endpoint.clone(),
                });
            }
        }
    }
}
