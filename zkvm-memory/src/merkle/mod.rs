//! The memory commitment: a Poseidon2 Merkle tree over all of RAM.
//!
//! RAM is 2^30 words. A *leaf* is 8 consecutive words (32 bytes, aligned), hashed as their 16
//! half-words by one Poseidon2 compression; an inner node compresses its two children's
//! digests (8 + 8 elements). The tree has a fixed depth of [`TREE_DEPTH`] levels above the
//! 2^27 leaves, so every node's position is known and no domain separation between leaves and
//! nodes is needed. A subtree of zero words has the digest [`zero_digest`] of its level, so the
//! tree of a sparse memory is computed from its nonzero leaves only.
//!
//! The compression is Plonky3's `TruncatedPermutation` over `default_babybear_poseidon2_16`:
//! the first 8 elements of the width-16 permutation of the input (the same function that
//! commits to the proof's traces).

pub mod poseidon2;
mod tree;

pub use tree::{LeafUpdate, MemoryTree, MerkleError, NodeRow, Sibling, TreeUpdate};

use std::sync::OnceLock;

use p3_baby_bear::{BabyBear, Poseidon2BabyBear, default_babybear_poseidon2_16};
use p3_field::PrimeCharacteristicRing;
use p3_symmetric::Permutation;

/// A digest: 8 BabyBear elements (about 248 bits).
pub type Digest = [BabyBear; DIGEST_ELEMENTS];

/// Elements of a digest.
pub const DIGEST_ELEMENTS: usize = 8;
/// Words of a leaf.
pub const LEAF_WORDS: u32 = 8;
/// Levels above the leaves: the root is at level 27, the 2^27 leaves at level 0.
pub const TREE_DEPTH: u32 = 27;

fn permutation() -> &'static Poseidon2BabyBear<16> {
    static PERMUTATION: OnceLock<Poseidon2BabyBear<16>> = OnceLock::new();
    PERMUTATION.get_or_init(default_babybear_poseidon2_16)
}

/// The compression function: the first 8 elements of the permutation of `input`.
pub fn compress(input: [BabyBear; 16]) -> Digest {
    let output = permutation().permute(input);
    std::array::from_fn(|i| output[i])
}

/// The compression input of a leaf: its words as 16 half-words, low half first.
pub fn leaf_input(words: &[u32; LEAF_WORDS as usize]) -> [BabyBear; 16] {
    std::array::from_fn(|i| {
        let word = words[i / 2];
        BabyBear::from_u32(if i % 2 == 0 { word & 0xffff } else { word >> 16 })
    })
}

/// The compression input of an inner node: the left child's digest, then the right one's.
pub fn node_input(left: &Digest, right: &Digest) -> [BabyBear; 16] {
    std::array::from_fn(|i| if i < DIGEST_ELEMENTS { left[i] } else { right[i - DIGEST_ELEMENTS] })
}

/// The digest of a leaf holding `words`.
pub fn leaf_digest(words: &[u32; LEAF_WORDS as usize]) -> Digest {
    compress(leaf_input(words))
}

/// The digest of a subtree of zero words whose root is at `level` (0 = a leaf).
///
/// # Panics
/// If `level` is above [`TREE_DEPTH`].
pub fn zero_digest(level: u32) -> Digest {
    static ZEROS: OnceLock<Vec<Digest>> = OnceLock::new();
    let zeros = ZEROS.get_or_init(|| {
        let mut zeros = vec![leaf_digest(&[0; LEAF_WORDS as usize])];
        for _ in 0..TREE_DEPTH {
            let below = zeros[zeros.len() - 1];
            zeros.push(compress(node_input(&below, &below)));
        }
        zeros
    });
    zeros[level as usize]
}

/// The root of the memory holding `words` (`(word address, value)` pairs, addresses below
/// 2^30) and zero elsewhere.
pub fn memory_root(words: impl IntoIterator<Item = (u32, u32)>) -> Digest {
    MemoryTree::from_words(words).root()
}
