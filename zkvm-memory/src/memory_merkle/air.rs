//! Constraints of the memory Merkle chip.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{MemoryLeafMessage, MerkleNodeMessage, receive, send};

use super::MemoryMerkleColumns;
use crate::merkle::poseidon2::{eval_permutation, output};
use crate::merkle::{DIGEST_ELEMENTS, LEAF_WORDS, TREE_DEPTH};

/// Public values: the memory root at the segment's start (8 elements), then at its end.
pub const NUM_PUBLIC_VALUES: usize = 2 * DIGEST_ELEMENTS;

/// The memory Merkle chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryMerkleChip;

impl<F: Field> BaseAir<F> for MemoryMerkleChip {
    fn width(&self) -> usize {
        MemoryMerkleColumns::<F>::WIDTH
    }

    fn num_public_values(&self) -> usize {
        NUM_PUBLIC_VALUES
    }
}

impl<AB: InteractionBuilder> Air<AB> for MemoryMerkleChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &MemoryMerkleColumns<AB::Var> = borrow(main.current_slice());
        let next: &MemoryMerkleColumns<AB::Var> = borrow(main.next_slice());
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();
        let one = || AB::Expr::ONE;
        let is_real: AB::Expr = local.is_real.into();

        // (C1) The flags are boolean.
        for flag in [local.is_real, local.is_root, local.is_leaf, local.left_is_node, local.right_is_node] {
            builder.assert_bool(flag);
        }
        // (C2) No node row follows a padding row.
        builder.when_transition().assert_zero(next.is_real * (one() - is_real.clone()));
        // (C3) The first row is the root and (C4) no other row is: exactly one root row.
        builder.when_first_row().assert_one(local.is_root);
        builder.when_transition().assert_zero(next.is_root);
        // (C5) The root, a leaf and a touched child only occur on node rows, and (C6) a leaf
        // has no children rows.
        for flag in [local.is_root, local.is_leaf, local.left_is_node, local.right_is_node] {
            builder.assert_zero(flag * (one() - is_real.clone()));
        }
        builder.assert_zero(local.is_leaf * local.left_is_node);
        builder.assert_zero(local.is_leaf * local.right_is_node);
        // (C7) The root is node 0 of level 27, and its digests are the public roots.
        let before_digest = output(&local.before);
        let after_digest = output(&local.after);
        builder.assert_zero(local.is_root * (local.level.into() - AB::Expr::from_u32(TREE_DEPTH)));
        builder.assert_zero(local.is_root * local.index);
        for k in 0..DIGEST_ELEMENTS {
            builder.assert_zero(local.is_root * (before_digest[k].into() - public[k].clone()));
            let end = public[DIGEST_ELEMENTS + k].clone();
            builder.assert_zero(local.is_root * (after_digest[k].into() - end));
        }
        // (C8) Leaves are at level 0.
        builder.assert_zero(local.is_leaf * local.level);
        // (C9) An inner node's child that has no row of its own is untouched: its digest is the
        // same before and after (padding rows hash equal zero inputs and satisfy this too).
        let inner = one() - local.is_leaf.into();
        for (flag, range) in [
            (local.left_is_node, 0..DIGEST_ELEMENTS),
            (local.right_is_node, DIGEST_ELEMENTS..2 * DIGEST_ELEMENTS),
        ] {
            for k in range {
                let same = local.before.inputs[k].into() - local.after.inputs[k].into();
                builder.assert_zero(inner.clone() * (one() - flag.into()) * same);
            }
        }
        // (C10) Both compressions are Poseidon2 permutations of their inputs.
        eval_permutation(builder, &local.before);
        eval_permutation(builder, &local.after);

        // (I1..I8) A leaf row receives its 8 words from the RAM boundary: word j of leaf i is at
        // address 8 i + j, its half-words are inputs 2j and 2j + 1 (before and after).
        for j in 0..LEAF_WORDS as usize {
            let address = local.index.into() * AB::Expr::from_u32(LEAF_WORDS) + AB::Expr::from_usize(j);
            let message = MemoryLeafMessage {
                address,
                initial: [local.before.inputs[2 * j].into(), local.before.inputs[2 * j + 1].into()],
                last: [local.after.inputs[2 * j].into(), local.after.inputs[2 * j + 1].into()],
            };
            receive(builder, message, local.is_leaf);
        }
        // (I9) An inner row receives its left child's row and (I10) its right child's row, when
        // they are touched.
        let child_level = local.level.into() - one();
        for (flag, offset, range) in [
            (local.left_is_node, 0, 0..DIGEST_ELEMENTS),
            (local.right_is_node, 1, DIGEST_ELEMENTS..2 * DIGEST_ELEMENTS),
        ] {
            let inputs = |columns: &[AB::Var; 16]| -> [AB::Expr; DIGEST_ELEMENTS] {
                std::array::from_fn(|k| columns[range.start + k].into())
            };
            let message = MerkleNodeMessage {
                level: child_level.clone(),
                index: local.index.into() * AB::Expr::TWO + AB::Expr::from_u32(offset),
                before: inputs(&local.before.inputs),
                after: inputs(&local.after.inputs),
            };
            receive(builder, message, flag);
        }
        // (I11) Every node row but the root sends its own digests to its parent's row.
        let message = MerkleNodeMessage {
            level: local.level.into(),
            index: local.index.into(),
            before: std::array::from_fn(|k| before_digest[k].into()),
            after: std::array::from_fn(|k| after_digest[k].into()),
        };
        send(builder, message, is_real - local.is_root.into());
    }
}
