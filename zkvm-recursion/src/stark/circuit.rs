//! The batch-STARK verifier's relations (see the module documentation for the order).

use p3_field::{Field, PrimeCharacteristicRing, TwoAdicField};
use zkvm_core::prover::Val;

use super::StarkShape;
use super::constraints::{Lowering, Point, fold_constraints};
use crate::circuit::{CircuitBuilder, Ext, Slot};
use crate::gadgets::CircuitChallenger;
use crate::gadgets::merkle::DigestSlots;
use crate::pcs::{BatchClaim, PcsProofSlots, PointClaim, verify_pcs};

/// One table's opened values in slots.
#[derive(Clone, Debug)]
pub struct TableOpeningSlots {
    /// Main trace at `zeta` and (if read) at the next point.
    pub main: Vec<Vec<Slot>>,
    /// Preprocessed trace at `zeta` and (if read) at the next point (empty without one).
    pub preprocessed: Vec<Vec<Slot>>,
    /// LogUp running sums as base coefficients (5 per column) at `zeta` and the next point
    /// (empty without lookups).
    pub permutation: Vec<Vec<Slot>>,
    /// Each quotient chunk's five base coefficients at `zeta`.
    pub quotient_chunks: Vec<Vec<Slot>>,
    /// The LogUp terminal (absent without lookups).
    pub terminal: Option<Slot>,
}

/// A batch proof's values as hint slots.
#[derive(Clone, Debug)]
pub struct StarkProofSlots {
    /// Main trace commitment.
    pub main_root: DigestSlots,
    /// LogUp running-sum commitment (absent without lookups).
    pub permutation_root: Option<DigestSlots>,
    /// Quotient commitment.
    pub quotient_root: DigestSlots,
    /// LogUp grinding witness (absent without lookups or grinding).
    pub lookup_pow_witness: Option<Slot>,
    /// Out-of-domain grinding witness (absent without grinding).
    pub ood_pow_witness: Option<Slot>,
    /// Per table.
    pub tables: Vec<TableOpeningSlots>,
    /// The opening proof.
    pub pcs: PcsProofSlots,
}

impl StarkProofSlots {
    /// Hint slots for every value of a proof of `shape`.
    pub fn allocate(builder: &mut CircuitBuilder, shape: &StarkShape) -> Self {
        let digest = |b: &mut CircuitBuilder| -> DigestSlots { std::array::from_fn(|_| b.hint()) };
        let row =
            |b: &mut CircuitBuilder, width: usize| -> Vec<Slot> { (0..width).map(|_| b.hint()).collect() };
        let p = &shape.parameters;
        let main_root = digest(builder);
        let permutation_root = shape.has_lookups().then(|| digest(builder));
        let quotient_root = digest(builder);
        let lookup_pow_witness = (shape.has_lookups() && p.lookup_pow_bits > 0).then(|| builder.hint());
        let ood_pow_witness = (p.ood_pow_bits > 0).then(|| builder.hint());
        let tables = shape
            .tables
            .iter()
            .map(|t| TableOpeningSlots {
                main: (0..t.main_points()).map(|_| row(builder, t.width)).collect(),
                preprocessed: if t.preprocessed_width == 0 {
                    Vec::new()
                } else {
                    (0..t.preprocessed_points()).map(|_| row(builder, t.preprocessed_width)).collect()
                },
                permutation: if t.permutation_width() == 0 {
                    Vec::new()
                } else {
                    (0..2).map(|_| row(builder, 5 * t.permutation_width())).collect()
                },
                quotient_chunks: (0..1usize << t.log_quotient_chunks).map(|_| row(builder, 5)).collect(),
                terminal: (t.permutation_width() > 0).then(|| builder.hint()),
            })
            .collect();
        let pcs = PcsProofSlots::allocate(builder, &shape.pcs);
        StarkProofSlots {
            main_root,
            permutation_root,
            quotient_root,
            lookup_pow_witness,
            ood_pow_witness,
            tables,
            pcs,
        }
    }
}

/// Writes the relations that hold exactly when `proof` (hint slots allocated for `shape`) is a
/// valid proof of `shape`'s tables with the public values in `public_values` (one list of
/// base-field slots per table).
///
/// # Panics
/// If `public_values` does not match the tables' counts (a bug in the caller).
pub fn verify_stark(
    builder: &mut CircuitBuilder,
    shape: &StarkShape,
    public_values: &[Vec<Slot>],
    proof: &StarkProofSlots,
) {
    let key = shape
        .preprocessed
        .as_ref()
        .map(|(root, _)| -> DigestSlots { std::array::from_fn(|k| builder.constant(Ext::from(root[k]))) });
    verify_stark_with_key(builder, shape, key.as_ref(), public_values, proof);
}

/// As [`verify_stark`], with the verifying key's preprocessed commitment in the slots `key`
/// instead of the constants of `shape` (which then only says that the proof has one and which
/// tables it covers): a circuit that verifies proofs of one shape under a key it receives, for
/// example as a public input that the next verifier checks.
///
/// # Panics
/// If `key` is present exactly when `shape` has no preprocessed commitment, or as
/// [`verify_stark`].
pub fn verify_stark_with_key(
    builder: &mut CircuitBuilder,
    shape: &StarkShape,
    key: Option<&DigestSlots>,
    public_values: &[Vec<Slot>],
    proof: &StarkProofSlots,
) {
    assert_eq!(key.is_some(), shape.preprocessed.is_some(), "a key exactly when the shape has one");
    assert_eq!(public_values.len(), shape.tables.len(), "one public-value list per table");
    let p = shape.parameters;
    let caller_part = builder.enter_part("stark: transcript and challenges");
    let mut challenger = CircuitChallenger::new(builder);
    challenger.observe_constants(builder, &shape.seed());
    // Instance bindings: each height as an extension element.
    for table in &shape.tables {
        challenger.observe_constants(
            builder,
            &[Val::from_usize(table.degree_bits), Val::ZERO, Val::ZERO, Val::ZERO, Val::ZERO],
        );
    }
    challenger.observe_all(builder, &proof.main_root);
    for (table, values) in shape.tables.iter().zip(public_values) {
        assert_eq!(values.len(), table.public_values, "public values of a table");
        challenger.observe_all(builder, values);
    }
    if let Some(key) = key {
        challenger.observe_all(builder, key);
    }

    // LogUp challenges: per lookup, the bus prefix `alpha + (bus + 1) beta^width` and `beta`.
    let mut lookup_challenges: Vec<Vec<Slot>> = vec![Vec::new(); shape.tables.len()];
    if shape.has_lookups() {
        if let Some(witness) = proof.lookup_pow_witness {
            challenger.check_witness(builder, p.lookup_pow_bits, witness);
        }
        let alpha = challenger.sample_ext(builder);
        let beta = challenger.sample_ext(builder);
        let mut gamma = builder.constant(Ext::ONE);
        for _ in 0..shape.max_message_width {
            gamma = builder.mul(gamma, beta);
        }
        let mut prefixes = Vec::with_capacity(shape.num_buses());
        let mut prefix = alpha;
        for _ in 0..shape.num_buses() {
            prefix = builder.add(prefix, gamma);
            prefixes.push(prefix);
        }
        for (table, challenges) in shape.tables.iter().zip(&mut lookup_challenges) {
            *challenges = table.lookup_buses.iter().flat_map(|&bus| [prefixes[bus], beta]).collect();
        }
        challenger.observe_all(builder, proof.permutation_root.as_ref().expect("allocated with lookups"));
        for terminal in proof.tables.iter().filter_map(|t| t.terminal) {
            let coefficients = builder.coefficients(terminal);
            challenger.observe_all(builder, &coefficients);
        }
    }
    let alpha = challenger.sample_ext(builder);
    challenger.observe_all(builder, &proof.quotient_root);
    if let Some(witness) = proof.ood_pow_witness {
        challenger.check_witness(builder, p.ood_pow_bits, witness);
    }
    let zeta = challenger.sample_ext(builder);

    // The opening proof, in the native order of batches.
    let next_points: Vec<Slot> = shape
        .tables
        .iter()
        .map(|t| {
            let generator = builder.constant(Ext::from(Val::two_adic_generator(t.degree_bits)));
            builder.mul(zeta, generator)
        })
        .collect();
    let claim = |rows: &[Vec<Slot>], next: Slot| -> Vec<PointClaim> {
        rows.iter()
            .enumerate()
            .map(|(k, values)| PointClaim { point: if k == 0 { zeta } else { next }, values: values.clone() })
            .collect()
    };
    let mut claims = vec![BatchClaim {
        root: proof.main_root,
        matrices: proof.tables.iter().zip(&next_points).map(|(t, &next)| claim(&t.main, next)).collect(),
    }];
    claims.push(BatchClaim {
        root: proof.quotient_root,
        matrices: proof
            .tables
            .iter()
            .flat_map(|t| t.quotient_chunks.iter().map(|c| claim(std::slice::from_ref(c), zeta)))
            .collect(),
    });
    if let (Some((_, order)), Some(key)) = (&shape.preprocessed, key) {
        claims.push(BatchClaim {
            root: *key,
            matrices: order.iter().map(|&i| claim(&proof.tables[i].preprocessed, next_points[i])).collect(),
        });
    }
    if let Some(root) = proof.permutation_root {
        claims.push(BatchClaim {
            root,
            matrices: proof
                .tables
                .iter()
                .zip(&next_points)
                .filter(|(t, _)| !t.permutation.is_empty())
                .map(|(t, &next)| claim(&t.permutation, next))
                .collect(),
        });
    }
    verify_pcs(builder, &mut challenger, &shape.pcs, &claims, &proof.pcs);

    builder.enter_part("stark: constraints at zeta");
    // Per table: folded constraints = quotient * Z_H(zeta).
    let mut terminal_sum = builder.constant(Ext::ZERO);
    for (i, (table, opened)) in shape.tables.iter().zip(&proof.tables).enumerate() {
        let db = table.degree_bits;
        let mut zeta_power = zeta;
        for _ in 0..db {
            zeta_power = builder.mul(zeta_power, zeta_power);
        }
        let one = builder.constant(Ext::ONE);
        let vanishing = builder.sub(zeta_power, one);
        let zeta_minus_one = builder.sub(zeta, one);
        let is_first_row = builder.div(vanishing, zeta_minus_one);
        let last = builder.constant(Ext::from(Val::two_adic_generator(db).inverse()));
        let is_transition = builder.sub(zeta, last);
        let is_last_row = builder.div(vanishing, is_transition);

        let quotient =
            recompose_quotient(builder, zeta_power, db, table.log_quotient_chunks, &opened.quotient_chunks);
        let compose_columns = |builder: &mut CircuitBuilder, row: &Vec<Slot>| -> Vec<Slot> {
            row.chunks(5).map(|c| builder.compose(c)).collect()
        };
        let zero_row = |builder: &mut CircuitBuilder, width: usize| vec![builder.zero(); width];
        let main_next = match opened.main.get(1) {
            Some(row) => row.clone(),
            None => zero_row(builder, table.width),
        };
        let (pre_local, pre_next) = match opened.preprocessed.as_slice() {
            [] => (Vec::new(), Vec::new()),
            [local] => (local.clone(), zero_row(builder, table.preprocessed_width)),
            [local, next, ..] => (local.clone(), next.clone()),
        };
        let permutation = match opened.permutation.as_slice() {
            [local, next] => [compose_columns(builder, local), compose_columns(builder, next)],
            _ => [Vec::new(), Vec::new()],
        };
        let point = Point {
            main: [opened.main[0].clone(), main_next],
            preprocessed: [pre_local, pre_next],
            public_values: public_values[i].clone(),
            permutation,
            challenges: lookup_challenges[i].clone(),
            permutation_values: opened.terminal.into_iter().collect(),
            is_first_row: Some(is_first_row),
            is_last_row: Some(is_last_row),
            is_transition: Some(is_transition),
        };
        let mut lowering = Lowering::new(&point);
        let folded = fold_constraints(builder, &mut lowering, &table.constraints, alpha);
        let expected = builder.mul(quotient, vanishing);
        builder.assert_eq(folded, expected);
        if let Some(terminal) = opened.terminal {
            terminal_sum = builder.add(terminal_sum, terminal);
        }
    }
    let zero = builder.zero();
    builder.assert_eq(terminal_sum, zero);
    builder.enter_part(caller_part);
}

/// The quotient at `zeta` from its chunks, as Plonky3's `recompose_quotient_from_chunks`:
/// chunk `i` lives on the coset `s_i H` (`s_i = GENERATOR g^i`, `g` of order
/// `2^(db + log_chunks)`, `H` of size `2^db`), and its weight is
/// `prod_{j != i} Z_j(zeta) / Z_j(s_i)` with `Z_j(x) = (x / s_j)^(2^db) - 1`.
fn recompose_quotient(
    builder: &mut CircuitBuilder,
    zeta_power: Slot,
    db: usize,
    log_chunks: usize,
    chunks: &[Vec<Slot>],
) -> Slot {
    let n = 1usize << log_chunks;
    let generator = Val::two_adic_generator(db + log_chunks);
    let shifts: Vec<Val> = (0..n).map(|i| Val::GENERATOR * generator.exp_u64(i as u64)).collect();
    let vanishing_constant = |x: Val, shift: Val| (x * shift.inverse()).exp_power_of_2(db) - Val::ONE;
    let one = builder.constant(Ext::ONE);
    // Z_j(zeta) = zeta^(2^db) * s_j^(-2^db) - 1.
    let at_zeta: Vec<Slot> = shifts
        .iter()
        .map(|&s| {
            let scale = builder.constant(Ext::from(s.inverse().exp_power_of_2(db)));
            let scaled = builder.mul(zeta_power, scale);
            builder.sub(scaled, one)
        })
        .collect();
    let mut quotient = builder.zero();
    for (i, chunk) in chunks.iter().enumerate() {
        let mut weight = one;
        for (j, &z) in at_zeta.iter().enumerate() {
            if j != i {
                let inverse = builder.constant(Ext::from(vanishing_constant(shifts[i], shifts[j]).inverse()));
                let factor = builder.mul(z, inverse);
                weight = builder.mul(weight, factor);
            }
        }
        let value = builder.compose(chunk);
        let term = builder.mul(weight, value);
        quotient = builder.add(quotient, term);
    }
    quotient
}
