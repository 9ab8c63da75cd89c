//! A small deterministic generator (xorshift) for the runtime's no-panic sweeps (tests only).

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Fewer than `max` items, each picked from `pieces`.
    pub(crate) fn pick<T: Copy>(&mut self, pieces: &[T], max: u64) -> Vec<T> {
        let len = self.next() % max;
        (0..len)
            .map(|_| pieces[(self.next() % pieces.len() as u64) as usize])
            .collect()
    }
}
