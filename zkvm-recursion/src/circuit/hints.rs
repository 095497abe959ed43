//! Hint values by slot: whoever allocates hint slots (a gadget reading a proof) sets their
//! values by slot, and [`HintValues::ordered`] lines them up in the circuit's hint order for
//! [`super::fill`], so no gadget depends on the order in which others allocated theirs.

use std::collections::BTreeMap;

use zkvm_core::prover::Val;

use super::{Circuit, CircuitError, Ext, Slot};

/// The prover's values for hint slots.
#[derive(Clone, Debug, Default)]
pub struct HintValues {
    values: BTreeMap<Slot, Ext>,
}

impl HintValues {
    /// No values yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets hint `slot` to `value`.
    pub fn set(&mut self, slot: Slot, value: Ext) {
        self.values.insert(slot, value);
    }

    /// Sets hint `slot` to the base-field `value`.
    pub fn set_base(&mut self, slot: Slot, value: Val) {
        self.set(slot, Ext::from(value));
    }

    /// Sets each of `slots` to the matching base-field value.
    pub fn set_all_base(&mut self, slots: &[Slot], values: &[Val]) {
        assert_eq!(slots.len(), values.len(), "one value per slot");
        for (&slot, &value) in slots.iter().zip(values) {
            self.set_base(slot, value);
        }
    }

    /// Sets each of `slots` to the matching extension-field value.
    pub fn set_all(&mut self, slots: &[Slot], values: &[Ext]) {
        assert_eq!(slots.len(), values.len(), "one value per slot");
        for (&slot, &value) in slots.iter().zip(values) {
            self.set(slot, value);
        }
    }

    /// The values in `circuit`'s hint order; every hint slot must have one, and no value may be
    /// set for a slot that is not a hint.
    pub fn ordered(&self, circuit: &Circuit) -> Result<Vec<Ext>, CircuitError> {
        if self.values.len() > circuit.hints.len() {
            let hints: std::collections::BTreeSet<Slot> = circuit.hints.iter().copied().collect();
            let stray =
                self.values.keys().find(|slot| !hints.contains(slot)).expect("more values than hints");
            return Err(CircuitError::NotAHint(stray.0));
        }
        circuit
            .hints
            .iter()
            .map(|slot| self.values.get(slot).copied().ok_or(CircuitError::MissingHint(slot.0)))
            .collect()
    }
}
