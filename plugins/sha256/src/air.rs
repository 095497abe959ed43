//! The compute columns of the SHA-256 chip and their constraints.

use zkvm_core::precompile::{ConstraintBuilder, ConstraintSystem, Expr, FrameLayout, Scope};

use crate::ROUNDS;
use crate::function::K;

/// Column of round flag `r` (1 on the row of round `r`).
pub const fn round(r: usize) -> usize {
    r
}
/// Bit `i` of working variable `k` of `a, b, c, d` (before the round).
pub(crate) const fn a(k: usize, i: usize) -> usize {
    64 + 32 * k + i
}
/// Bit `i` of working variable `k` of `e, f, g, h`.
pub(crate) const fn e(k: usize, i: usize) -> usize {
    192 + 32 * k + i
}
/// Bit `i` of schedule word `W[t + j]` (round `t`).
pub(crate) const fn w(j: usize, i: usize) -> usize {
    320 + 32 * j + i
}
/// Bit `i` of the new `a`.
pub(crate) const fn new_a(i: usize) -> usize {
    832 + i
}
/// Bit `i` of the new `e`.
pub(crate) const fn new_e(i: usize) -> usize {
    864 + i
}
/// Bit `i` of the schedule word `W[t + 16]`.
pub(crate) const fn new_w(i: usize) -> usize {
    896 + i
}
/// Bit `bit` of the carry out of limb `limb` of the new `a` (3 bits).
pub(crate) const fn carry_a(limb: usize, bit: usize) -> usize {
    928 + 3 * limb + bit
}
/// Bit `bit` of the carry out of limb `limb` of the new `e` (3 bits).
pub(crate) const fn carry_e(limb: usize, bit: usize) -> usize {
    934 + 3 * limb + bit
}
/// Bit `bit` of the carry out of limb `limb` of the new schedule word (2 bits).
pub(crate) const fn carry_w(limb: usize, bit: usize) -> usize {
    940 + 2 * limb + bit
}
/// Carry out of limb `limb` of output word `k` on the last round's row (the feed-forward).
pub(crate) const fn feed_forward(k: usize, limb: usize) -> usize {
    944 + 2 * k + limb
}
/// Number of compute columns.
pub const WIDTH: usize = 960;

/// Column indices, for the trace generator.
pub(crate) mod index {
    pub(crate) use super::{a, e, new_a, new_e, new_w, w};
}

/// Names of the compute columns.
pub fn column_names() -> Vec<String> {
    let mut names: Vec<String> = (0..ROUNDS).map(|r| format!("round[{r}]")).collect();
    for (name, count) in [("a", 4), ("e", 4), ("w", 16)] {
        for k in 0..count {
            names.extend((0..32).map(|i| format!("{name}[{k}][{i}]")));
        }
    }
    for name in ["new_a", "new_e", "new_w"] {
        names.extend((0..32).map(|i| format!("{name}[{i}]")));
    }
    for (name, bits) in [("carry_a", 3), ("carry_e", 3), ("carry_w", 2)] {
        for limb in 0..2 {
            names.extend((0..bits).map(|b| format!("{name}[{limb}][{b}]")));
        }
    }
    for k in 0..8 {
        names.extend((0..2).map(|limb| format!("feed_forward[{k}][{limb}]")));
    }
    names
}

/// `x xor y` for bits.
fn xor<'a>(x: Expr<'a>, y: Expr<'a>) -> Expr<'a> {
    x + y - x * y * 2
}

/// A 32-bit word given bit by bit, as expressions.
type Bits<'a> = Vec<Expr<'a>>;

/// `rotr(x, n)` as bits.
fn rotr<'a>(x: &Bits<'a>, n: usize) -> Bits<'a> {
    (0..32).map(|i| x[(i + n) % 32]).collect()
}

/// `x xor rotr(x, p) xor (rotr or shr)(x, q)`: the sigma functions (`shift` makes the last a
/// shift right).
fn sigma<'a>(b: &'a ConstraintBuilder, x: &Bits<'a>, [p, q, r]: [usize; 3], shift: bool) -> Bits<'a> {
    (0..32)
        .map(|i| {
            let last =
                if shift { if i + r < 32 { x[i + r] } else { b.constant(0) } } else { x[(i + r) % 32] };
            xor(xor(rotr(x, p)[i], rotr(x, q)[i]), last)
        })
        .collect()
}

/// The 16-bit limb `limb` of a word given as bits.
fn limb<'a>(b: &'a ConstraintBuilder, bits: &Bits<'a>, limb: usize) -> Expr<'a> {
    (0..16).rev().fold(b.constant(0), |acc, i| acc * 2 + bits[16 * limb + i])
}

/// A little-endian value from bits.
fn number<'a>(b: &'a ConstraintBuilder, bits: &[Expr<'a>]) -> Expr<'a> {
    bits.iter().rev().fold(b.constant(0), |acc, &bit| acc * 2 + bit)
}

/// The constraints over `[frame | compute]`.
pub fn constraints(layout: &FrameLayout) -> ConstraintSystem {
    let off = layout.width();
    let b = ConstraintBuilder::new(off + WIDTH);
    let col = |c: usize| b.local(off + c);
    let next = |c: usize| b.next(off + c);
    let word = |f: &dyn Fn(usize) -> usize| -> Bits<'_> { (0..32).map(|i| col(f(i))).collect() };

    // (S1) Round flags: round 0 on the trace's first row, then each flag moves one row down (so
    // each row has exactly one, cycling every 64 rows).
    b.assert_zero(Scope::FirstRow, col(round(0)) - b.constant(1));
    for r in 1..ROUNDS {
        b.assert_zero(Scope::FirstRow, col(round(r)));
    }
    for r in 0..ROUNDS {
        b.assert_zero(Scope::Transition, next(round((r + 1) % ROUNDS)) - col(round(r)));
    }

    // (S2) Every bit column is a bit.
    for c in a(0, 0)..WIDTH {
        b.assert_bool(col(c));
    }

    let wa: Vec<Bits<'_>> = (0..4).map(|k| word(&|i| a(k, i))).collect();
    let we: Vec<Bits<'_>> = (0..4).map(|k| word(&|i| e(k, i))).collect();
    let ww: Vec<Bits<'_>> = (0..16).map(|j| word(&|i| w(j, i))).collect();
    let (na, ne, nw) = (word(&new_a), word(&new_e), word(&new_w));
    let choose: Bits<'_> = (0..32).map(|i| we[2][i] + we[0][i] * (we[1][i] - we[2][i])).collect();
    let majority: Bits<'_> = (0..32)
        .map(|i| {
            let (x, y, z) = (wa[0][i], wa[1][i], wa[2][i]);
            x * y + x * z + y * z - x * y * z * 2
        })
        .collect();
    let big1 = sigma(&b, &we[0], [6, 11, 25], false);
    let big0 = sigma(&b, &wa[0], [2, 13, 22], false);
    let small1 = sigma(&b, &ww[14], [17, 19, 10], true);
    let small0 = sigma(&b, &ww[1], [7, 18, 3], true);
    let constant = |l: usize| -> Expr<'_> {
        (0..ROUNDS).fold(b.constant(0), |acc, r| acc + col(round(r)) * ((K[r] >> (16 * l)) & 0xffff))
    };
    let carry = |f: fn(usize, usize) -> usize, l: usize, bits: usize| -> Expr<'_> {
        number(&b, &(0..bits).map(|bit| col(f(l, bit))).collect::<Vec<_>>())
    };

    // (S3) new_e = d + h + Σ1(e) + Ch(e, f, g) + K[t] + W[t] modulo 2^32, limb by limb.
    // (S4) new_a = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t] + Σ0(a) + Maj(a, b, c) modulo 2^32.
    // (S5) W[t + 16] = σ1(W[t + 14]) + W[t + 9] + σ0(W[t + 1]) + W[t] modulo 2^32.
    for l in 0..2 {
        let t1 = limb(&b, &we[3], l)
            + limb(&b, &big1, l)
            + limb(&b, &choose, l)
            + constant(l)
            + limb(&b, &ww[0], l);
        let into = |l: usize, f: fn(usize, usize) -> usize, bits: usize| {
            if l == 0 { b.constant(0) } else { carry(f, 0, bits) }
        };
        let e_sum = limb(&b, &wa[3], l) + t1 + into(l, carry_e, 3);
        b.assert_zero(Scope::EveryRow, e_sum - limb(&b, &ne, l) - carry(carry_e, l, 3) * (1 << 16));
        let a_sum = t1 + limb(&b, &big0, l) + limb(&b, &majority, l) + into(l, carry_a, 3);
        b.assert_zero(Scope::EveryRow, a_sum - limb(&b, &na, l) - carry(carry_a, l, 3) * (1 << 16));
        let w_sum = limb(&b, &small1, l) + limb(&b, &ww[9], l) + limb(&b, &small0, l) + limb(&b, &ww[0], l);
        let w_sum = w_sum + into(l, carry_w, 2);
        b.assert_zero(Scope::EveryRow, w_sum - limb(&b, &nw, l) - carry(carry_w, l, 2) * (1 << 16));
    }

    // (S6) Within a call's block, the next row's variables are this row's shifted by one
    // round, and its schedule window moves by one word.
    let not_last = b.constant(1) - col(round(ROUNDS - 1));
    let shift = |target: usize, value: Expr<'_>| {
        b.assert_zero(Scope::Transition, not_last * (next(target) - value));
    };
    for i in 0..32 {
        shift(a(0, i), na[i]);
        shift(e(0, i), ne[i]);
        for k in 1..4 {
            shift(a(k, i), wa[k - 1][i]);
            shift(e(k, i), we[k - 1][i]);
        }
        for j in 0..15 {
            shift(w(j, i), ww[j + 1][i]);
        }
        shift(w(15, i), nw[i]);
    }

    // (S7) On a block's first row, the variables are the input state and the window is the
    // input block.
    let first = col(round(0));
    for k in 0..8 {
        let bits = if k < 4 { &wa[k] } else { &we[k - 4] };
        for j in 0..4 {
            b.assert_zero(
                Scope::EveryRow,
                first * (number(&b, &bits[8 * j..8 * j + 8]) - b.local(layout.input(k, j))),
            );
        }
    }
    for (j, bits) in ww.iter().enumerate() {
        for byte_index in 0..4 {
            b.assert_zero(
                Scope::EveryRow,
                first
                    * (number(&b, &bits[8 * byte_index..8 * byte_index + 8])
                        - b.local(layout.input(8 + j, byte_index))),
            );
        }
    }

    // (S8) On the last round's row, each output state word is the input word plus the final
    // variable (a after the round is new_a, b is a, ..., e is new_e, ...) modulo 2^32.
    let last = col(round(ROUNDS - 1));
    let finals: [&Bits<'_>; 8] = [&na, &wa[0], &wa[1], &wa[2], &ne, &we[0], &we[1], &we[2]];
    let frame_limb = |f: &dyn Fn(usize) -> usize, l: usize| b.local(f(2 * l)) + b.local(f(2 * l + 1)) * 256;
    for (k, fin) in finals.iter().enumerate() {
        for l in 0..2 {
            let carry_in = if l == 0 { b.constant(0) } else { col(feed_forward(k, 0)) };
            let input = frame_limb(&|j| layout.input(k, j), l);
            let output = frame_limb(&|j| layout.output(k, j), l);
            let sum = input + limb(&b, fin, l) + carry_in - output - col(feed_forward(k, l)) * (1 << 16);
            b.assert_zero(Scope::EveryRow, last * sum);
        }
    }

    // (S9) The input and output state bytes are constant within a block (the host reads the
    // output and the input on the block's first row).
    for k in 0..8 {
        for j in 0..4 {
            for c in [layout.input(k, j), layout.output(k, j)] {
                b.assert_zero(Scope::Transition, not_last * (b.next(c) - b.local(c)));
            }
        }
    }
    // (S10) The block words are left unchanged.
    for k in 8..24 {
        for j in 0..4 {
            b.assert_zero(Scope::EveryRow, b.local(layout.output(k, j)) - b.local(layout.input(k, j)));
        }
    }
    b.build()
}
