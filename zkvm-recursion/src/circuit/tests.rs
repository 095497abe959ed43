//! Filling circuits: the native values follow the relations; errors are typed.

use p3_baby_bear::{BabyBear, default_babybear_poseidon2_16};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
use p3_symmetric::Permutation;

use super::*;

/// An extension element with distinct coefficients.
pub(crate) fn ext(seed: u32) -> Ext {
    Ext::from_basis_coefficients_fn(|k| BabyBear::new(seed * 7 + k as u32 * 13 + 1))
}

#[test]
fn filling_follows_the_relations() {
    let mut b = CircuitBuilder::new(2);
    let (x, y) = (b.public(0), b.public(1));
    let sum = b.add(x, y);
    let product = b.mul(sum, x);
    let difference = b.sub(product, y);
    let quotient = b.div(difference, x);
    let three = b.constant_base(3);
    let hinted = b.hint();
    let scaled = b.mul(hinted, three);
    let fused = b.mul_add(hinted, three, x);
    let circuit = b.build();
    let (vx, vy, vh) = (ext(1), ext(2), ext(3));
    let slots = fill(&circuit, &[vx, vy], &[vh]).unwrap();
    assert_eq!(slots[quotient.0 as usize], ((vx + vy) * vx - vy) / vx);
    assert_eq!(slots[scaled.0 as usize], vh * Ext::from(BabyBear::new(3)));
    assert_eq!(slots[fused.0 as usize], vh * Ext::from(BabyBear::new(3)) + vx);
    // Every relation holds on the filled slots.
    for op in &circuit.arith {
        let (a, b, out) = (slots[op.a.0 as usize], slots[op.b.0 as usize], slots[op.out.0 as usize]);
        match op.kind {
            ArithKind::Add => assert_eq!(a + b, out),
            ArithKind::Mul => assert_eq!(a * b, out),
            ArithKind::MulAdd { c } => assert_eq!(a * b + slots[c.0 as usize], out),
        }
    }
}

#[test]
fn poseidon2_fills_with_the_native_permutation() {
    let mut b = CircuitBuilder::new(0);
    let input = std::array::from_fn(|i| b.constant_base(i as u32));
    let output = b.poseidon2(input);
    let circuit = b.build();
    let slots = fill(&circuit, &[], &[]).unwrap();
    let expected = default_babybear_poseidon2_16().permute(std::array::from_fn(|i| BabyBear::new(i as u32)));
    for (slot, value) in output.iter().zip(expected) {
        assert_eq!(slots[slot.0 as usize], Ext::from(value));
    }
}

#[test]
fn a_swapped_poseidon2_permutes_its_input_with_halves_exchanged() {
    let mut b = CircuitBuilder::new(1);
    let swap = b.public(0);
    let input = std::array::from_fn(|i| b.constant_base(i as u32));
    let output = b.poseidon2_swapped(swap, input);
    let circuit = b.build();
    let permutation = default_babybear_poseidon2_16();
    for (bit, first) in [(0, 0), (1, 8)] {
        let slots = fill(&circuit, &[Ext::from(BabyBear::new(bit))], &[]).unwrap();
        let expected = permutation.permute(std::array::from_fn(|i| BabyBear::new(((i + first) % 16) as u32)));
        for (slot, value) in output.iter().zip(expected) {
            assert_eq!(slots[slot.0 as usize], Ext::from(value), "swap {bit}");
        }
    }
    // A swap slot holding neither 0 nor 1 is a typed error.
    assert_eq!(fill(&circuit, &[Ext::from(BabyBear::new(2))], &[]), Err(CircuitError::NotBit(0)));
    assert_eq!(fill(&circuit, &[ext(1)], &[]), Err(CircuitError::NotBit(0)));
}

#[test]
fn filling_errors_are_typed() {
    let mut b = CircuitBuilder::new(1);
    let zero = b.constant(Ext::ZERO);
    let x = b.public(0);
    b.div(x, zero);
    let circuit = b.build();
    assert_eq!(fill(&circuit, &[ext(1)], &[]), Err(CircuitError::DivisionByZero(zero.0)));
    assert_eq!(fill(&circuit, &[], &[]), Err(CircuitError::Publics { expected: 1, found: 0 }));
    assert_eq!(fill(&circuit, &[ext(1)], &[ext(2)]), Err(CircuitError::Hints { expected: 0, found: 1 }));

    let mut b = CircuitBuilder::new(1);
    let x = b.public(0);
    let input = std::array::from_fn(|_| x);
    b.poseidon2(input);
    let circuit = b.build();
    assert_eq!(fill(&circuit, &[ext(1)], &[]), Err(CircuitError::NotBase(0)));
    assert!(fill(&circuit, &[Ext::from(BabyBear::ONE)], &[]).is_ok());
}

/// The census counts each relation, permutation and slot under the part in force when it was
/// written, restores the caller's part, and adds up to the circuit's totals.
#[test]
fn the_census_attributes_every_relation_to_its_part() {
    let mut b = CircuitBuilder::new(1);
    let x = b.public(0);
    let early = b.add(x, x); // unlabelled: one relation, one slot
    let outer = b.enter_part("outer");
    assert_eq!(outer, census::UNLABELLED);
    let doubled = b.mul(early, early);
    let inner = b.enter_part("inner");
    assert_eq!(inner, "outer");
    let zero = b.zero(); // a constant slot, in "inner"
    b.poseidon2([zero; POSEIDON2_WIDTH]);
    b.enter_part(inner);
    b.add(doubled, x);
    let circuit = b.build();
    let census = circuit.census();
    let find = |part: &str| *census.iter().find(|c| c.part == part).unwrap();
    assert_eq!(find("outer"), PartCount { part: "outer", arith: 2, poseidon2: 0, slots: 2 });
    assert_eq!(find("inner"), PartCount { part: "inner", arith: 0, poseidon2: 1, slots: 17 });
    assert_eq!(
        find(census::UNLABELLED),
        PartCount { part: census::UNLABELLED, arith: 1, poseidon2: 0, slots: 1 }
    );
    assert_eq!(census.iter().map(|c| c.arith).sum::<usize>(), circuit.arith.len());
    assert_eq!(census.iter().map(|c| c.poseidon2).sum::<usize>(), circuit.poseidon2.len());
    assert_eq!(census.iter().map(|c| c.slots).sum::<usize>() as u32, circuit.num_slots - circuit.num_publics);
}

/// A slot is classed base where every filling that satisfies the circuit puts a base-field
/// element in it (a permutation's inputs and outputs, base constants, bits, coefficients, and
/// what relations over those force, an equality both ways), and nowhere else: a public input
/// (never: public inputs keep the same witness ids in every circuit of a shape), a product
/// with an extension slot, a sum of a base and an extension slot stay extension slots.
#[test]
fn base_slots_are_those_every_filling_makes_base() {
    let mut b = CircuitBuilder::new(2);
    let (free, tied) = (b.public(0), b.public(1));
    let three = b.constant_base(3);
    let digest = b.poseidon2([three; POSEIDON2_WIDTH]);
    b.assert_eq(tied, digest[0]); // tied = digest[0] + 0: still a public input
    let hinted = b.hint();
    let sum = b.add(hinted, three); // forced base by the equality below, and so hinted
    b.assert_eq(sum, digest[1]);
    let product = b.mul(digest[2], three);
    let fused = b.mul_add(digest[2], three, product);
    let mixed_product = b.mul(free, three);
    let mixed_sum = b.add(free, digest[3]);
    let quotient = b.div(digest[4], three);
    let bits = b.bits(digest[5]);
    let x_power = b.constant(Ext::from_basis_coefficients_fn(|k| BabyBear::new(u32::from(k == 1))));
    let coefficients = b.coefficients(free);
    let circuit = b.build();
    let is = |slot: Slot| circuit.base[slot.0 as usize];
    for slot in [three, digest[0], digest[15], hinted, sum, product, fused, quotient, bits[0], bits[30]]
        .into_iter()
        .chain(coefficients)
    {
        assert!(is(slot), "slot {} should be base", slot.0);
    }
    for slot in [free, tied, mixed_product, mixed_sum, x_power] {
        assert!(!is(slot), "slot {} should not be base", slot.0);
    }
    let (base, others) = circuit.slot_counts();
    assert_eq!(base + others, circuit.num_slots as usize);
    assert_eq!(others, circuit.base.iter().filter(|&&b| !b).count());
    // Witness ids: base slots from 0 in slot order, the others (public inputs first) from the
    // base lanes' capacity, each id once.
    let ids = circuit.witness_ids();
    let capacity = circuit.lanes.base * crate::tables::growing_table_heights(&circuit)[0];
    assert_eq!((ids[free.0 as usize], ids[tied.0 as usize]), (capacity as u32, capacity as u32 + 1));
    assert_eq!(ids[three.0 as usize], 0);
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
    assert!(ids.iter().zip(&circuit.base).all(|(&id, &base)| base == ((id as usize) < capacity)));

    // An honest filling puts base-field elements in every base slot; a hint that puts an
    // extension element in one is refused, as its lane could not hold it.
    let digest_value = |k: usize| {
        let mut state = [BabyBear::new(3); POSEIDON2_WIDTH];
        default_babybear_poseidon2_16().permute_mut(&mut state);
        Ext::from(state[k])
    };
    let honest_hint = digest_value(1) - Ext::from(BabyBear::new(3));
    let publics = [ext(1), digest_value(0)];
    assert!(fill(&circuit, &publics, &[honest_hint]).is_ok());
    // An extension element in `hinted` breaks only the equality, which filling does not
    // check, but the base lane: refused.
    assert_eq!(fill(&circuit, &publics, &[ext(3)]), Err(CircuitError::NotBase(hinted.0)));
}
