//! Which slots hold a base-field element in every honest filling. The witness table gives such
//! a slot one column instead of five (a base lane, [`Lanes::base`](crate::tables::Lanes)),
//! which also forces any filling to put a base-field element there: so a slot may be classed
//! base only where every filling that satisfies the circuit's relations and permutations
//! already does, or completeness would be lost (and [`fill`](super::fill) refuses such a
//! filling with [`CircuitError::NotBase`](super::CircuitError::NotBase)).

use p3_field::PrimeCharacteristicRing;

use super::witness::as_base;
use super::{ArithKind, Circuit, Ext, Slot, Step};

/// For every slot of `circuit`, whether an honest filling always puts a base-field element in
/// it. Public inputs never are: they keep witness ids `0 ..` among the extension slots
/// ([`Circuit::witness_ids`]), the same in every circuit of one shape. Another slot is base if
/// - a permutation reads it (input or swap bit) or writes it (a kept output): the poseidon2
///   table works over the base field, and filling refuses other values;
/// - it is a constant whose value is a base-field element;
/// - it is a binary digit, or the input, of a bit decomposition, or a coefficient of an
///   extension element (filling writes the canonical coefficients);
/// - a relation's other slots force it: `a + b = out` with two of its three slots base (the
///   third is their sum or difference); `a b = out` or `a b + c = out` with every operand base;
///   `a b + c = out` with `a`, `b` and `out` base (`c = out - a b`); a division of base slots.
///
/// The last rule runs to a fixed point (an equality `a = b + 0` carries baseness both ways,
/// so a hint equated with a digest is base).
pub(crate) fn classify_base_slots(circuit: &Circuit) -> Vec<bool> {
    let mut base = vec![false; circuit.num_slots as usize];
    // Marks `slot` base (never a public input); says whether that changed anything.
    let publics = circuit.num_publics;
    let mark = |base: &mut [bool], slot: Slot| {
        let newly = slot.0 >= publics && !base[slot.0 as usize];
        base[slot.0 as usize] |= newly;
        newly
    };
    for op in &circuit.poseidon2 {
        op.input.into_iter().chain([op.swap]).for_each(|slot| _ = mark(&mut base, slot));
        op.output_slots().for_each(|(_, slot)| _ = mark(&mut base, slot));
    }
    for &(slot, value) in &circuit.constants {
        if as_base(value).is_some() {
            mark(&mut base, slot);
        }
    }
    for step in &circuit.steps {
        match *step {
            Step::Bits { input, bits } => {
                mark(&mut base, input);
                bits.into_iter().for_each(|bit| _ = mark(&mut base, bit));
            }
            Step::Coefficients { coefficients, .. } => {
                coefficients.into_iter().for_each(|c| _ = mark(&mut base, c));
            }
            _ => {}
        }
    }
    loop {
        let mut changed = false;
        for op in &circuit.arith {
            let is = |slot: Slot| base[slot.0 as usize];
            let (a, b, out) = (is(op.a), is(op.b), is(op.out));
            let forced: &[(bool, Slot)] = match op.kind {
                ArithKind::Add => &[(a && b, op.out), (a && out, op.b), (b && out, op.a)],
                ArithKind::Mul => &[(a && b, op.out)],
                ArithKind::MulAdd { c } => &[(a && b && is(c), op.out), (a && b && out, c)],
            };
            for &(_, slot) in forced.iter().filter(|(yes, _)| *yes) {
                changed |= mark(&mut base, slot);
            }
        }
        for step in &circuit.steps {
            if let Step::Div { a, b, out } = *step
                && base[a.0 as usize]
                && base[b.0 as usize]
            {
                changed |= mark(&mut base, out);
            }
        }
        if !changed {
            return base;
        }
    }
}

impl Circuit {
    /// The numbers of base slots and of the others ([`Circuit::base`]).
    pub fn slot_counts(&self) -> (usize, usize) {
        let base = self.base.iter().filter(|&&is_base| is_base).count();
        (base, self.base.len() - base)
    }

    /// Each slot's *witness id*, the index its messages carry on the `witness` bus: the base
    /// slots take `0 .. B` in slot order (`B` base slots), the others `C ..` in slot order, the
    /// public inputs first, where `C = L_b H` is the base lanes' capacity (`H` the witness
    /// table's height). So base lane `k` of row `r` provides id `L_b r + k` and extension lane
    /// `k` id `C + L_e r + k`, functions of the row number and the table's shape alone, and
    /// public input `k` has id `C + k`: the constraints are the same for every circuit of one
    /// shape, as a parent circuit that verifies any of them needs (every node circuit of a
    /// tree). Every table's preprocessed slot columns hold witness ids; builders and fillers
    /// keep slot numbers. A permutation's kept outputs (base slots with consecutive numbers)
    /// keep consecutive ids.
    pub fn witness_ids(&self) -> Vec<u32> {
        let capacity = self.lanes.base * crate::tables::growing_table_heights(self)[0];
        let (mut next_base, mut next_ext) = (0u32, capacity as u32);
        self.base
            .iter()
            .map(|&is_base| {
                let next = if is_base { &mut next_base } else { &mut next_ext };
                *next += 1;
                *next - 1
            })
            .collect()
    }

    /// The slots' values (indexed by slot, as filling gives them) indexed by witness id
    /// ([`Circuit::witness_ids`]), as the tables' traces take them.
    /// Ids past the base slots' and below the extension slots' hold zero.
    pub fn in_witness_order(&self, slots: &[Ext]) -> Vec<Ext> {
        let ids = self.witness_ids();
        let mut ordered = vec![Ext::ZERO; ids.iter().max().map_or(0, |&id| id as usize + 1)];
        for (&id, &value) in ids.iter().zip(slots) {
            ordered[id as usize] = value;
        }
        ordered
    }
}
