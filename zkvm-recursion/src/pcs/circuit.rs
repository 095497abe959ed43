//! The PCS verifier's relations (see the module documentation for the order of checks).

use std::collections::BTreeMap;

use p3_field::TwoAdicField;
use zkvm_core::prover::Val;

use super::{BatchClaim, PcsProofSlots, PcsShape};
use crate::circuit::{CircuitBuilder, Ext, Slot};
use crate::gadgets::{
    CircuitChallenger, OpenedRow, alpha_combination, domain_point, fold_chain, input_point_from, pow_by_bits,
    powers, quotient_of_combinations, verify_batch_opening, verify_ext_batch_opening,
};

/// Writes the relations that hold exactly when `proof` (hint slots allocated for `shape`) opens
/// the commitments of `claims` to the claimed values, continuing the Fiat–Shamir transcript of
/// `challenger` as Plonky3's `TwoAdicFriPcs::verify` does.
///
/// # Panics
/// If `claims` does not have `shape`'s batches, matrices, points and widths, or `proof` was not
/// allocated for `shape` (both are bugs in the caller, not properties of a proof).
pub fn verify_pcs(
    builder: &mut CircuitBuilder,
    challenger: &mut CircuitChallenger,
    shape: &PcsShape,
    claims: &[BatchClaim],
    proof: &PcsProofSlots,
) {
    check_claims_match(shape, claims);
    let caller_part = builder.enter_part("pcs: transcript, grinding, query indices");
    let p = *shape.parameters();
    let log_max = shape.log_max_height();
    let fold_rounds = shape.fold_rounds();
    let rounds = fold_rounds.len();

    // PCS transcript: seed, claimed evaluations (as base-field coefficients), batching grind,
    // alpha.
    challenger.observe_constants(builder, &shape.pcs_seed());
    for point in claims.iter().flat_map(|c| c.matrices.iter().flatten()) {
        for &value in &point.values {
            let coefficients = builder.coefficients(value);
            challenger.observe_all(builder, &coefficients);
        }
    }
    if let Some(witness) = proof.batch_pow_witness {
        challenger.check_witness(builder, p.batch_pow_bits, witness);
    }
    let alpha = challenger.sample_ext(builder);

    // FRI transcript: seed, per round (commitment, grind, beta), final polynomial, query grind,
    // query indices.
    challenger.observe_constants(builder, &shape.fri_seed());
    let mut betas = Vec::with_capacity(rounds);
    for round in 0..rounds {
        challenger.observe_all(builder, &proof.commit_roots[round]);
        if let Some(&witness) = proof.commit_pow_witnesses.get(round) {
            challenger.check_witness(builder, p.commit_pow_bits, witness);
        }
        betas.push(challenger.sample_ext(builder));
    }
    for &coefficient in &proof.final_poly {
        let parts = builder.coefficients(coefficient);
        challenger.observe_all(builder, &parts);
    }
    if let Some(witness) = proof.query_pow_witness {
        challenger.check_witness(builder, p.query_pow_bits, witness);
    }
    let indices: Vec<Vec<Slot>> =
        (0..p.num_queries).map(|_| challenger.sample_bits(builder, log_max)).collect();

    builder.enter_part("pcs: claims combined with alpha");
    // Powers of alpha for the longest ladder (all openings of matrices of one height), and each
    // opening's offset on its height's ladder, in claim order.
    let mut ladder: BTreeMap<usize, usize> = BTreeMap::new();
    let mut offsets = Vec::new();
    for (batch, claim) in shape.batches().iter().zip(claims) {
        for (matrix, points) in batch.iter().zip(&claim.matrices) {
            for _ in points {
                let position = ladder.entry(shape.log_height(matrix)).or_insert(0);
                offsets.push(*position);
                *position += matrix.width;
            }
        }
    }
    let alpha_powers = powers(builder, alpha, ladder.values().copied().max().unwrap_or(0));
    // Each claim's combination with its powers of alpha, shared by every query.
    let claims_at_z: Vec<Slot> = claims
        .iter()
        .flat_map(|c| c.matrices.iter().flatten())
        .zip(&offsets)
        .map(|(point, &start)| alpha_combination(builder, &alpha_powers[start..], &point.values))
        .collect();

    for (bits, query) in indices.iter().zip(&proof.queries) {
        // The query's point on the tallest domain: every input point and folding point follows
        // from it.
        builder.enter_part("pcs: input points");
        let point = domain_point(builder, bits);
        // Input openings and reduced openings per height.
        let mut reduced: BTreeMap<usize, Slot> = BTreeMap::new();
        let mut points_at: BTreeMap<usize, Slot> = BTreeMap::new();
        let mut prepared = offsets.iter().zip(&claims_at_z);
        for ((batch, claim), opening) in shape.batches().iter().zip(claims).zip(&query.batches) {
            let batch_log_max = batch.iter().map(|m| shape.log_height(m)).max().expect("a non-empty batch");
            let rows: Vec<OpenedRow> = batch
                .iter()
                .zip(&opening.rows)
                .map(|(m, row)| OpenedRow { height: 1 << shape.log_height(m), values: row.clone() })
                .collect();
            builder.enter_part("pcs: input Merkle openings");
            verify_batch_opening(
                builder,
                claim.root,
                &rows,
                &bits[log_max - batch_log_max..],
                &opening.siblings,
            );
            for ((matrix, points), row) in batch.iter().zip(&claim.matrices).zip(&opening.rows) {
                let log_height = shape.log_height(matrix);
                // Matrices of one height share the query's point on that height.
                builder.enter_part("pcs: input points");
                let x = *points_at
                    .entry(log_height)
                    .or_insert_with(|| input_point_from(builder, point, log_max, log_height));
                // The row combined with the powers of alpha from the first point's offset; a
                // later point's offset is further along the ladder, so its combination is this
                // one times alpha to the distance.
                let mut first: Option<(usize, Slot)> = None;
                for point in points {
                    let (&start, &at_z) = prepared.next().expect("one offset per opening");
                    builder.enter_part("pcs: rows combined with alpha");
                    let at_x = match first {
                        None => {
                            let at_x = alpha_combination(builder, &alpha_powers[start..], row);
                            first = Some((start, at_x));
                            at_x
                        }
                        Some((first_start, first_at_x)) => {
                            builder.mul(alpha_powers[start - first_start], first_at_x)
                        }
                    };
                    builder.enter_part("pcs: opening quotients");
                    let term = quotient_of_combinations(builder, at_z, at_x, point.point, x);
                    let sum = match reduced.get(&log_height) {
                        Some(&sum) => builder.add(sum, term),
                        None => term,
                    };
                    reduced.insert(log_height, sum);
                }
            }
        }
        let reduced: Vec<(usize, Slot)> = reduced.into_iter().rev().collect();

        // The folding chain, each round's row opened against its commitment, and the final
        // polynomial at the folded point.
        builder.enter_part("pcs: folding");
        let rows: Vec<Vec<Slot>> = query.rounds.iter().map(|r| r.row.clone()).collect();
        let folded = fold_chain(builder, bits, point, &reduced, &betas, &rows);
        builder.enter_part("pcs: round Merkle openings");
        for (round, (opening, &(_, folded_height))) in query.rounds.iter().zip(&fold_rounds).enumerate() {
            let row = OpenedRow { height: 1 << folded_height, values: opening.row.clone() };
            verify_ext_batch_opening(
                builder,
                proof.commit_roots[round],
                &[row],
                &bits[log_max - folded_height..],
                &opening.path,
            );
        }
        builder.enter_part("pcs: final polynomial");
        let final_value = evaluate_final_poly(
            builder,
            &proof.final_poly,
            &bits[log_max - shape.log_final_height()..],
            shape.log_final_height(),
        );
        builder.assert_eq(folded, final_value);
    }
    builder.enter_part(caller_part);
}

/// The final polynomial at the point a query folded to: `x = g^rev(d)` with `d` the remaining
/// index bits and `g` the generator of the final domain (Horner's rule, highest coefficient
/// first).
fn evaluate_final_poly(
    builder: &mut CircuitBuilder,
    coefficients: &[Slot],
    bits: &[Slot],
    log_final: usize,
) -> Slot {
    if coefficients.len() == 1 {
        return coefficients[0];
    }
    let reversed: Vec<Slot> = bits[..log_final].iter().rev().copied().collect();
    let x = pow_by_bits(builder, Ext::from(Val::two_adic_generator(log_final)), &reversed);
    let mut value = *coefficients.last().expect("a non-empty polynomial");
    for &coefficient in coefficients.iter().rev().skip(1) {
        value = builder.mul_add(value, x, coefficient);
    }
    value
}

/// Panics unless `claims` has the batches, matrices, points and widths of `shape`.
fn check_claims_match(shape: &PcsShape, claims: &[BatchClaim]) {
    assert_eq!(shape.batches().len(), claims.len(), "one claim per batch");
    for (batch, claim) in shape.batches().iter().zip(claims) {
        assert_eq!(batch.len(), claim.matrices.len(), "one claim per matrix");
        for (matrix, points) in batch.iter().zip(&claim.matrices) {
            assert_eq!(matrix.points, points.len(), "one claim per point");
            assert!(points.iter().all(|p| p.values.len() == matrix.width), "one value per column");
        }
    }
}
