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
