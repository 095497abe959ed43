//! Trace-generation side of the memory argument: the state of every cell touched so far.

use rustc_hash::FxHashMap;

/// The state of a cell: its value and the timestamp of the access that left it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellState {
    /// The value.
    pub value: u32,
    /// The timestamp of the last access (0 for the segment's initial state).
    pub timestamp: u32,
}

/// Tracks cells during trace generation so that each access knows the state it follows.
#[derive(Clone, Debug, Default)]
pub struct MemoryTracker {
    current: FxHashMap<(u32, u32), CellState>,
}

impl MemoryTracker {
    /// A tracker whose cells start with the values `initial` gives (at timestamp 0).
    pub fn new(initial: impl IntoIterator<Item = ((u32, u32), u32)>) -> Self {
        let current =
            initial.into_iter().map(|(cell, value)| (cell, CellState { value, timestamp: 0 })).collect();
        MemoryTracker { current }
    }

    /// Records an access to `(space, address)` at `timestamp` leaving `value`; returns the state
    /// it follows. A cell not given initially starts at value 0.
    pub fn access(&mut self, space: u32, address: u32, value: u32, timestamp: u32) -> CellState {
        let cell = (space, address);
        let state = self.current.entry(cell).or_default();
        let previous = *state;
        *state = CellState { value, timestamp };
        previous
    }

    /// The final state of `(space, address)`.
    pub fn state(&self, space: u32, address: u32) -> CellState {
        self.current.get(&(space, address)).copied().unwrap_or_default()
    }
}
