//! Columns of the witness table: a row is [`Lanes::base`](crate::tables::Lanes) base lanes
//! (main [`WitnessBaseLane`]) then [`Lanes::ext`](crate::tables::Lanes) extension lanes (main
//! [`WitnessLane`]); preprocessed, the row number ([`WitnessPreprocessed`]) then each lane's
//! [`WitnessFixedLane`] in the same order. Base lane `k` of row `r` holds the slot of witness
//! id `L_b r + k`, extension lane `k` the slot of id `L_b H + L_e r + k`
//! ([`Circuit::witness_ids`](crate::Circuit::witness_ids), `H` the table's height).

use zkvm_bus::columns::{Columns, array_names};

/// The main columns of one extension lane: one slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessLane<T> {
    /// The slot's value, coefficient of `X^k` at `k`.
    pub value: [T; 5],
}

// SAFETY: repr(C), one array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessLane<T> {
    fn names() -> Vec<String> {
        array_names("value", 5).collect()
    }
}

/// The main column of one base lane: one slot whose value is a base-field element (its other
/// four coefficients are zero in the message the lane sends, so any reader gets a base-field
/// element).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessBaseLane<T> {
    /// The slot's value.
    pub value: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessBaseLane<T> {
    fn names() -> Vec<String> {
        vec!["base_value".to_string()]
    }
}

/// Preprocessed columns: fixed by the verifying key, the row number, then the lanes'
/// [`WitnessFixedLane`]s. The circuit's constants are not here but in the public table
/// (`crate::tables::public`), which writes each to its slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessPreprocessed<T> {
    /// The row number: base lane `k` provides witness id `L_b row + k`, extension lane `k`
    /// id `L_b H + L_e row + k`, so every slot is provided exactly once.
    pub row: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessPreprocessed<T> {
    fn names() -> Vec<String> {
        vec!["row".to_string()]
    }
}

/// The preprocessed column of one lane (base or extension), after the row number.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessFixedLane<T> {
    /// How many times the other tables read or write the lane's slot: the circuit's structure
    /// fixes it (each relation, permutation and public or constant row that names the slot), so
    /// the key holds it and the proof does not send it (0 on a lane past the last slot of its
    /// kind).
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessFixedLane<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".to_string()]
    }
}
