//! The compute columns of the SHA-256 chip's trace.

use zkvm_core::prover::Val;

use crate::air::{self, WIDTH, carry_a, carry_e, carry_w, feed_forward, index};
use crate::function::{K, big_sigma0, big_sigma1, rounds, schedule, small_sigma0, small_sigma1};
use crate::{ROUNDS, WORDS};

/// Writes `value`'s 32 bits at the columns `column(0..32)`.
fn put_word(row: &mut [Val], column: impl Fn(usize) -> usize, value: u32) {
    for i in 0..32 {
        row[column(i)] = Val::new((value >> i) & 1);
    }
}

/// Writes the `bits`-bit carry of each 16-bit limb of the sum of `terms` (modulo 2^32).
fn put_carries(row: &mut [Val], column: fn(usize, usize) -> usize, bits: usize, terms: &[u32]) {
    let low: u64 = terms.iter().map(|t| u64::from(t & 0xffff)).sum();
    let high: u64 = terms.iter().map(|t| u64::from(t >> 16)).sum::<u64>() + (low >> 16);
    for (limb, carry) in [(0, low >> 16), (1, high >> 16)] {
        for bit in 0..bits {
            row[column(limb, bit)] = Val::new(((carry >> bit) & 1) as u32);
        }
    }
}

/// Fills the 64 rows of one call (fewer when `rows` is cut short) with input `input`.
fn fill_block(input: &[u32], rows: &mut [Val]) {
    let (state, block) = (&input[..8], &input[8..WORDS]);
    let w = schedule(block);
    let all = rounds(state, block);
    for (t, (round, row)) in all.iter().zip(rows.chunks_exact_mut(WIDTH)).enumerate() {
        row[air::round(t)] = Val::new(1);
        for k in 0..4 {
            put_word(row, |i| index::a(k, i), round.window_a[k]);
            put_word(row, |i| index::e(k, i), round.window_e[k]);
        }
        for j in 0..16 {
            put_word(row, |i| index::w(j, i), w[t + j]);
        }
        put_word(row, index::new_a, round.new_a);
        put_word(row, index::new_e, round.new_e);
        put_word(row, index::new_w, w[t + 16]);
        let [a, b, c, d] = round.window_a;
        let [e, f, g, h] = round.window_e;
        let choose = (e & f) ^ (!e & g);
        let majority = (a & b) ^ (a & c) ^ (b & c);
        let t1 = [h, big_sigma1(e), choose, K[t], w[t]];
        put_carries(row, carry_e, 3, &[&[d][..], &t1[..]].concat());
        put_carries(row, carry_a, 3, &[&t1[..], &[big_sigma0(a), majority][..]].concat());
        put_carries(row, carry_w, 2, &[small_sigma1(w[t + 14]), w[t + 9], small_sigma0(w[t + 1]), w[t]]);
        if t == ROUNDS - 1 {
            let finals = [round.new_a, a, b, c, round.new_e, e, f, g];
            for (k, fin) in finals.into_iter().enumerate() {
                let low = (state[k] & 0xffff) + (fin & 0xffff);
                let high = (state[k] >> 16) + (fin >> 16) + (low >> 16);
                row[feed_forward(k, 0)] = Val::new(low >> 16);
                row[feed_forward(k, 1)] = Val::new(high >> 16);
            }
        }
    }
}

/// The compute columns of `height` rows: a block of 64 rows per call, then blocks of the
/// all-zero input (the last cut short at `height`).
pub(crate) fn compute_trace(inputs: &[Vec<u32>], height: usize) -> Vec<Val> {
    let mut values = vec![Val::new(0); height * WIDTH];
    let zero = vec![0u32; WORDS];
    let mut padding: Option<Vec<Val>> = None;
    for (index, rows) in values.chunks_mut(ROUNDS * WIDTH).enumerate() {
        match inputs.get(index) {
            Some(input) => fill_block(input, rows),
            None => {
                let block = padding.get_or_insert_with(|| {
                    let mut block = vec![Val::new(0); ROUNDS * WIDTH];
                    fill_block(&zero, &mut block);
                    block
                });
                rows.copy_from_slice(&block[..rows.len()]);
            }
        }
    }
    values
}
