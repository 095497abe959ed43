//! Filling a circuit's slots: constants, public inputs and hints first, then the steps in the
//! order they were written.

use p3_baby_bear::{BabyBear, default_babybear_poseidon2_16};
use p3_field::{BasedVectorSpace, Field, PrimeCharacteristicRing, PrimeField32};
use p3_symmetric::Permutation;

use super::{Circuit, CircuitError, Ext, POSEIDON2_WIDTH, Slot, Step};

/// The value of every slot of `circuit` given its public inputs and hints.
pub fn fill(circuit: &Circuit, publics: &[Ext], hints: &[Ext]) -> Result<Vec<Ext>, CircuitError> {
    fill_with(circuit, publics, hints, OnConflict::Refuse)
}

/// What filling does when a permutation computes, for a slot that already holds a value,
/// another value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OnConflict {
    /// Fail with [`CircuitError::Conflict`]: no proof of the circuit exists.
    Refuse,
    /// Keep the held value, as a prover forcing a proof would (the permutation's row still
    /// computes its output from its inputs): for tests that show the verifier rejects it.
    #[cfg_attr(not(test), allow(dead_code))]
    KeepHeld,
}

/// [`fill`], with `on_conflict` deciding what a conflicting permutation output does.
pub(crate) fn fill_with(
    circuit: &Circuit,
    publics: &[Ext],
    hints: &[Ext],
    on_conflict: OnConflict,
) -> Result<Vec<Ext>, CircuitError> {
    if publics.len() != circuit.num_publics as usize {
        return Err(CircuitError::Publics { expected: circuit.num_publics as usize, found: publics.len() });
    }
    if hints.len() != circuit.hints.len() {
        return Err(CircuitError::Hints { expected: circuit.hints.len(), found: hints.len() });
    }
    let mut slots: Vec<Option<Ext>> = vec![None; circuit.num_slots as usize];
    for (position, &value) in publics.iter().enumerate() {
        slots[position] = Some(value);
    }
    for &(slot, value) in &circuit.constants {
        slots[slot.0 as usize] = Some(value);
    }
    for (&slot, &value) in circuit.hints.iter().zip(hints) {
        slots[slot.0 as usize] = Some(value);
    }
    let permutation = default_babybear_poseidon2_16();
    for step in &circuit.steps {
        run_step(step, &mut slots, &permutation, on_conflict)?;
    }
    let filled: Vec<Ext> = slots
        .iter()
        .enumerate()
        .map(|(index, value)| value.ok_or(CircuitError::Unfilled(index as u32)))
        .collect::<Result<_, _>>()?;
    // A base slot's witness lane holds one coefficient: a filling with another value there has
    // no proof (only hints and public inputs that contradict the relations can put one there).
    match filled.iter().zip(&circuit.base).position(|(value, &base)| base && as_base(*value).is_none()) {
        Some(slot) => Err(CircuitError::NotBase(slot as u32)),
        None => Ok(filled),
    }
}

/// Fills the slot(s) `step` writes from the slots it reads (`permutation` is the Poseidon2
/// permutation a `Poseidon2` step applies; `on_conflict` says what an output slot that already
/// holds another value does).
pub(crate) fn run_step(
    step: &Step,
    slots: &mut [Option<Ext>],
    permutation: &p3_baby_bear::Poseidon2BabyBear<POSEIDON2_WIDTH>,
    on_conflict: OnConflict,
) -> Result<(), CircuitError> {
    let read =
        |slots: &[Option<Ext>], slot: Slot| slots[slot.0 as usize].ok_or(CircuitError::Unfilled(slot.0));
    match *step {
        Step::Add { a, b, out } => slots[out.0 as usize] = Some(read(slots, a)? + read(slots, b)?),
        Step::Sub { a, b, out } => slots[out.0 as usize] = Some(read(slots, a)? - read(slots, b)?),
        Step::Mul { a, b, out } => slots[out.0 as usize] = Some(read(slots, a)? * read(slots, b)?),
        Step::MulAdd { a, b, c, out } => {
            slots[out.0 as usize] = Some(read(slots, a)? * read(slots, b)? + read(slots, c)?)
        }
        Step::MulSub { a, b, c, out } => {
            slots[out.0 as usize] = Some(read(slots, c)? - read(slots, a)? * read(slots, b)?)
        }
        Step::Div { a, b, out } => {
            let inverse = read(slots, b)?.try_inverse().ok_or(CircuitError::DivisionByZero(b.0))?;
            slots[out.0 as usize] = Some(read(slots, a)? * inverse);
        }
        Step::Poseidon2(op) => {
            let mut state = [BabyBear::ZERO; POSEIDON2_WIDTH];
            for (element, &slot) in state.iter_mut().zip(&op.input) {
                *element = as_base(read(slots, slot)?).ok_or(CircuitError::NotBase(slot.0))?;
            }
            let swap = read(slots, op.swap)?;
            if swap == Ext::ONE {
                state.rotate_left(POSEIDON2_WIDTH / 2);
            } else if swap != Ext::ZERO {
                return Err(CircuitError::NotBit(op.swap.0));
            }
            permutation.permute_mut(&mut state);
            for (k, slot) in op.output_slots() {
                let computed = Ext::from(state[k]);
                match slots[slot.0 as usize] {
                    Some(held) if held != computed && on_conflict == OnConflict::Refuse => {
                        return Err(CircuitError::Conflict(slot.0));
                    }
                    Some(_) => {}
                    None => slots[slot.0 as usize] = Some(computed),
                }
            }
        }
        Step::Coefficients { input, coefficients } => {
            let value = read(slots, input)?;
            let parts: &[BabyBear] = value.as_basis_coefficients_slice();
            for (slot, &part) in coefficients.iter().zip(parts) {
                slots[slot.0 as usize] = Some(Ext::from(part));
            }
        }
        Step::Bits { input, bits } => {
            let value = as_base(read(slots, input)?).ok_or(CircuitError::NotBase(input.0))?;
            let canonical = value.as_canonical_u32();
            for (k, slot) in bits.iter().enumerate() {
                slots[slot.0 as usize] = Some(Ext::from(BabyBear::new(canonical >> k & 1)));
            }
        }
    }
    Ok(())
}

/// `value` as a base-field element, if its higher coefficients are zero.
pub fn as_base(value: Ext) -> Option<BabyBear> {
    let coefficients: &[BabyBear] = value.as_basis_coefficients_slice();
    coefficients[1..].iter().all(|c| *c == BabyBear::ZERO).then_some(coefficients[0])
}
