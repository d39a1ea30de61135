//! Account names to dense ids, on the workers.
//!
//! The writer thread counts every post toward its account, in input order. Looking the name
//! up there cost ~0.3 µs a post (hashing and comparing bytes a worker had just written on the
//! other core), and the writer is the one part of a scan that does not grow with the workers.
//! So each worker turns the name into a small id while the name is still in its cache, and
//! the writer turns the id into the [`AccountBook`](crate::account::AccountBook)'s index with
//! an array lookup, touching the name only for an account's first post.
//!
//! Ids are given out in whatever order the workers meet the names; the book still orders
//! accounts by first post, because the writer learns each id's book index in input order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

type Map = HashMap<Arc<str>, u32, foldhash::fast::RandomState>;

/// Most names a worker's cache holds (~2 MB) before it starts over.
const LOCAL_CAPACITY: usize = 1 << 16;

/// A cache line of its own for each worker's map, so one worker's lock does not bounce the
/// other's.
#[repr(align(128))]
#[derive(Default)]
struct Padded(Mutex<Map>);

/// Shared by the workers of one scan: every name gets one id, the same on every worker.
pub(crate) struct AccountIds {
    /// Every name seen, with its id (ids are 0, 1, 2, … in order of insertion).
    all: Mutex<Map>,
    /// One cache per worker (by rayon thread index); only that worker locks it, so the lock is
    /// never contended and the worker's hits touch no shared cache line.
    local: Vec<Padded>,
}

impl AccountIds {
    /// Ids for a pool of `workers` threads.
    pub(crate) fn new(workers: usize) -> Self {
        AccountIds {
            all: Mutex::default(),
            local: (0..workers).map(|_| Padded::default()).collect(),
        }
    }

    /// Placeholder for an id not looked up yet; never given to a name.
    pub(crate) const UNASSIGNED: u32 = u32::MAX;

    /// Set each id to the id of its name, from the calling worker's cache when it has seen the
    /// name before. One call per batch of posts takes the worker's lock once and looks the
    /// names up back to back, while the map is in the cache.
    pub(crate) fn assign<'n>(&self, names: impl Iterator<Item = (&'n str, &'n mut u32)>) {
        let slot = rayon::current_thread_index().and_then(|i| self.local.get(i));
        let Some(Padded(local)) = slot else {
            for (name, id) in names {
                *id = self.shared_id(name).0;
            }
            return;
        };
        let mut local = local.lock().unwrap_or_else(PoisonError::into_inner);
        for (name, id) in names {
            if let Some(&known) = local.get(name) {
                *id = known;
                continue;
            }
            let (new, key) = self.shared_id(name);
            // bounded: with mostly one-post accounts the cache would only copy the shared map
            if local.len() >= LOCAL_CAPACITY {
                local.clear();
            }
            local.insert(key, new);
            *id = new;
        }
    }

    /// The id of `name` from the shared map (given out now if new), and the map's key for it.
    fn shared_id(&self, name: &str) -> (u32, Arc<str>) {
        let mut all = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((key, &id)) = all.get_key_value(name) {
            return (id, Arc::clone(key));
        }
        // more than u32::MAX distinct accounts would not fit in memory anyway (each has a
        // name and a state)
        let id = u32::try_from(all.len())
            .map_or(u32::MAX, |id| id)
            .min(Self::UNASSIGNED - 1);
        let key: Arc<str> = Arc::from(name);
        all.insert(Arc::clone(&key), id);
        (id, key)
    }
}

/// The writer's side: account id → index in the book, learned at each account's first post.
#[derive(Default)]
pub(crate) struct BookIndex {
    by_id: Vec<u32>,
}

impl BookIndex {
    const UNSEEN: u32 = u32::MAX;

    /// The book index of account `id`, if the writer has seen it.
    pub(crate) fn get(&self, id: u32) -> Option<usize> {
        match self.by_id.get(id as usize) {
            Some(&i) if i != Self::UNSEEN => Some(i as usize),
            _ => None,
        }
    }

    /// Remember that account `id` has book index `index`.
    pub(crate) fn set(&mut self, id: u32, index: usize) {
        let id = id as usize;
        if self.by_id.len() <= id {
            self.by_id.resize(id + 1, Self::UNSEEN);
        }
        if let Some(slot) = self.by_id.get_mut(id) {
            *slot = u32::try_from(index).unwrap_or(Self::UNSEEN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn every_worker_gives_a_name_the_same_id() {
        let ids = AccountIds::new(2);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let names: Vec<String> = (0..2000).map(|i| format!("acct_{}", i % 300)).collect();
        let mut got = vec![AccountIds::UNASSIGNED; names.len()];
        pool.install(|| {
            (names.par_chunks(7).zip(got.par_chunks_mut(7)))
                .for_each(|(n, g)| ids.assign(n.iter().map(String::as_str).zip(g)))
        });
        let mut first: HashMap<&str, u32> = HashMap::new();
        for (name, &id) in names.iter().zip(&got) {
            assert_eq!(*first.entry(name).or_insert(id), id, "{name}");
        }
        let mut distinct: Vec<u32> = first.values().copied().collect();
        distinct.sort_unstable();
        assert_eq!(distinct, (0..300).collect::<Vec<u32>>(), "dense ids");
        // off the pool, the shared map answers
        let mut id = AccountIds::UNASSIGNED;
        ids.assign(std::iter::once(("acct_7", &mut id)));
        assert_eq!(id, first["acct_7"]);
    }

    #[test]
    fn the_book_index_remembers_only_what_it_was_told() {
        let mut index = BookIndex::default();
        assert_eq!(index.get(5), None);
        index.set(5, 0);
        index.set(2, 1);
        assert_eq!(
            (index.get(5), index.get(2), index.get(3)),
            (Some(0), Some(1), None)
        );
    }
}
