//! Native checks of the tree and the trace layout; the chip's constraints are tested through
//! whole segment proofs in `zkvm-core/src/prover/tests/continuation.rs`.

use p3_baby_bear::BabyBear;
use zkvm_bus::columns::{Columns, borrow};

use super::{MemoryMerkleColumns, memory_merkle_trace, public_values};
use crate::merkle::poseidon2::output;
use crate::merkle::{
    LeafUpdate, MemoryTree, MerkleError, NodeRow, Sibling, compress, leaf_input, memory_root,
};

fn leaf(index: u32, before: [u32; 8], after: [u32; 8]) -> LeafUpdate {
    LeafUpdate { index, before, after }
}

#[test]
fn update_rows_prove_the_roots_of_both_memories() {
    let image = [(3u32, 7u32), (9, 1), (1 << 29, 5)];
    let mut tree = MemoryTree::from_words(image);
    assert_eq!(tree.root(), memory_root(image));
    let updates = [leaf(0, [0, 0, 0, 7, 0, 0, 0, 0], [1, 0, 0, 7, 0, 0, 0, 2]), leaf(5, [0; 8], [9; 8])];
    let update = tree.update(&updates).expect("consistent");
    let after: Vec<(u32, u32)> =
        [(0, 1), (3, 7), (7, 2), (9, 1), (1 << 29, 5)].into_iter().chain((40..48).map(|a| (a, 9))).collect();
    assert_eq!(update.before_root, memory_root(image));
    assert_eq!(update.after_root, memory_root(after.iter().copied()));
    assert_eq!(tree.root(), update.after_root);
    // The root comes first; leaves 0 and 5 have their own nodes at levels 0-2 and share
    // levels 3-27.
    assert!(matches!(update.rows[0], NodeRow::Inner { level: 27, index: 0, .. }));
    assert_eq!(update.rows.len(), 3 * 2 + 25);
}

#[test]
fn an_opening_holds_the_root_and_updates_like_the_whole_tree() {
    let image = [(3u32, 7u32), (9, 1), (100, 4), (1 << 29, 5)];
    let cases: [&[LeafUpdate]; 3] = [
        &[leaf(0, [0, 0, 0, 7, 0, 0, 0, 0], [1, 0, 0, 7, 0, 0, 0, 2]), leaf(5, [0; 8], [9; 8])],
        &[leaf(1, [0, 1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 3])],
        &[], // a segment that touches no memory: the root's two children open it
    ];
    for updates in cases {
        let mut whole = MemoryTree::from_words(image);
        let expected = whole.update(updates).expect("consistent");
        let leaves: Vec<(u32, [u32; 8])> = updates.iter().map(|l| (l.index, l.before)).collect();
        let mut opened = MemoryTree::from_opening(&leaves, &expected.siblings()).expect("in range");
        assert_eq!(opened.root(), expected.before_root);
        assert_eq!(opened.update(updates).expect("consistent"), expected);
        // A wrong word or a wrong sibling opens another root.
        if let Some((_, words)) = leaves.first() {
            let mut wrong = leaves.clone();
            wrong[0].1 = words.map(|w| w ^ 1);
            let tree = MemoryTree::from_opening(&wrong, &expected.siblings()).expect("in range");
            assert_ne!(tree.root(), expected.before_root);
        }
        let mut siblings = expected.siblings();
        siblings[0].digest[0] += BabyBear::new(1);
        assert_ne!(
            MemoryTree::from_opening(&leaves, &siblings).expect("in range").root(),
            expected.before_root
        );
    }
    let far = Sibling { level: 3, index: 1 << 24, digest: [BabyBear::new(0); 8] };
    assert_eq!(
        MemoryTree::from_opening(&[], &[far]).err(),
        Some(MerkleError::NodeOutOfRange { level: 3, index: 1 << 24 })
    );
}

#[test]
fn a_leaf_that_disagrees_with_the_tree_is_refused() {
    let mut tree = MemoryTree::from_words([(3u32, 7u32)]);
    let stale = leaf(0, [0; 8], [1; 8]);
    assert_eq!(tree.update(&[stale]), Err(MerkleError::Stale(0)));
    assert_eq!(tree.update(&[leaf(1 << 27, [0; 8], [0; 8])]), Err(MerkleError::OutOfRange(1 << 27)));
    let twice = [leaf(2, [0; 8], [1; 8]), leaf(2, [0; 8], [1; 8])];
    assert_eq!(tree.update(&twice), Err(MerkleError::Duplicate(2)));
}

#[test]
fn an_untouched_memory_still_has_a_root_row() {
    let mut tree = MemoryTree::from_words([(3u32, 7u32)]);
    let update = tree.update(&[]).expect("nothing to change");
    assert_eq!(update.rows.len(), 1);
    assert_eq!(update.before_root, update.after_root);
}

#[test]
fn trace_rows_hash_what_the_tree_hashes() {
    let mut tree = MemoryTree::new();
    let update = tree.update(&[leaf(12, [0; 8], [1, 2, 3, 4, 5, 6, 7, 0xffff_ffff])]).expect("consistent");
    let trace = memory_merkle_trace(&update, 0);
    let width = MemoryMerkleColumns::<BabyBear>::WIDTH;
    assert_eq!(MemoryMerkleColumns::<BabyBear>::names().len(), width);
    let root: &MemoryMerkleColumns<BabyBear> = borrow(&trace.values[..width]);
    let digest = |columns: &crate::merkle::poseidon2::PermutationColumns<BabyBear>| -> [BabyBear; 8] {
        std::array::from_fn(|k| output(columns)[k])
    };
    assert_eq!(digest(&root.before), update.before_root);
    assert_eq!(digest(&root.after), update.after_root);
    assert_eq!(public_values(&update)[..8], update.before_root);
    let leaf_row = borrow::<BabyBear, MemoryMerkleColumns<BabyBear>>(&trace.values[27 * width..28 * width]);
    assert_eq!(leaf_row.after.inputs, leaf_input(&[1, 2, 3, 4, 5, 6, 7, 0xffff_ffff]));
    assert_eq!(digest(&leaf_row.after), compress(leaf_row.after.inputs));
}
