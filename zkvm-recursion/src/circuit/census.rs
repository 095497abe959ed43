//! Where a circuit's relations come from: the builder labels the relations and permutations it
//! writes with the part of the verifier that asked for them, and [`Circuit::census`] adds them
//! up per label. The labels change no relation; they only say which gadget a table row serves,
//! so that the cost of a circuit can be read part by part.

use std::collections::BTreeMap;

use super::{Circuit, CircuitBuilder};

/// The label of relations written before any part is entered.
pub const UNLABELLED: &str = "other";

/// Where a labelled part of a circuit's construction starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PartStart {
    part: &'static str,
    arith: usize,
    poseidon2: usize,
    slots: u32,
}

/// One part's share of a circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartCount {
    /// The part's label.
    pub part: &'static str,
    /// Arithmetic relations written under it.
    pub arith: usize,
    /// Poseidon2 permutations written under it.
    pub poseidon2: usize,
    /// Slots allocated under it.
    pub slots: usize,
}

impl CircuitBuilder {
    /// Labels the relations, permutations and slots written from now on as `part` (for
    /// [`Circuit::census`]); returns the label in force before, which the caller restores when
    /// its part ends.
    pub fn enter_part(&mut self, part: &'static str) -> &'static str {
        let previous = self.circuit.parts.last().map_or(UNLABELLED, |start| start.part);
        self.circuit.parts.push(PartStart {
            part,
            arith: self.circuit.arith.len(),
            poseidon2: self.circuit.poseidon2.len(),
            slots: self.circuit.num_slots,
        });
        previous
    }
}

impl Circuit {
    /// The circuit's relations, permutations and slots per part label, the part with the most
    /// arithmetic relations first; what no part claims is counted under [`UNLABELLED`]. The
    /// counts add up to the circuit's totals.
    pub fn census(&self) -> Vec<PartCount> {
        let opening = PartStart { part: UNLABELLED, arith: 0, poseidon2: 0, slots: self.num_publics };
        let closing = PartStart {
            part: UNLABELLED,
            arith: self.arith.len(),
            poseidon2: self.poseidon2.len(),
            slots: self.num_slots,
        };
        let starts: Vec<PartStart> = std::iter::once(opening)
            .chain(self.parts.iter().copied())
            .chain(std::iter::once(closing))
            .collect();
        let mut totals: BTreeMap<&'static str, PartCount> = BTreeMap::new();
        for span in starts.windows(2) {
            let (from, to) = (span[0], span[1]);
            let count = totals.entry(from.part).or_insert(PartCount {
                part: from.part,
                arith: 0,
                poseidon2: 0,
                slots: 0,
            });
            count.arith += to.arith - from.arith;
            count.poseidon2 += to.poseidon2 - from.poseidon2;
            count.slots += (to.slots - from.slots) as usize;
        }
        let mut parts: Vec<PartCount> =
            totals.into_values().filter(|c| c.arith + c.poseidon2 + c.slots > 0).collect();
        parts.sort_by(|a, b| b.arith.cmp(&a.arith).then(b.poseidon2.cmp(&a.poseidon2)));
        parts
    }
}
