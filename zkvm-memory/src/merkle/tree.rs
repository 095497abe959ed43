//! The prover's copy of the memory tree, and the rows of one segment's update.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use thiserror::Error;

use super::{Digest, LEAF_WORDS, TREE_DEPTH, compress, leaf_digest, node_input, zero_digest};

/// The words of one leaf a segment touched, at the segment's start and end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafUpdate {
    /// Leaf index (word address / 8), below 2^27.
    pub index: u32,
    /// The 8 words at the segment's start.
    pub before: [u32; LEAF_WORDS as usize],
    /// The 8 words at the segment's end.
    pub after: [u32; LEAF_WORDS as usize],
}

/// One row of the Merkle chip: a node of the touched part of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeRow {
    /// A touched leaf.
    Leaf(LeafUpdate),
    /// An inner node on the path of a touched leaf.
    Inner {
        /// Height above the leaves (1..=27).
        level: u32,
        /// Position within the level.
        index: u32,
        /// Left child's digests (before, after).
        left: (Digest, Digest),
        /// Right child's digests (before, after).
        right: (Digest, Digest),
        /// Whether the left child is a row too (else it is untouched: before = after).
        left_is_node: bool,
        /// Whether the right child is a row too.
        right_is_node: bool,
    },
}

/// One segment's change of the memory tree: the rows the Merkle chip proves (the root first)
/// and the roots before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeUpdate {
    /// The rows, root first.
    pub rows: Vec<NodeRow>,
    /// Root at the segment's start.
    pub before_root: Digest,
    /// Root at the segment's end.
    pub after_root: Digest,
}

/// An untouched node next to a touched path, with its digest: with the touched leaves, these
/// determine the root (a Merkle multi-opening).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sibling {
    /// Height above the leaves (0..27).
    pub level: u32,
    /// Position within the level.
    pub index: u32,
    /// Its digest (the same before and after the segment).
    pub digest: Digest,
}

impl TreeUpdate {
    /// The untouched children of the update's inner rows: what, with the touched leaves' words
    /// at the start, opens the start root ([`MemoryTree::from_opening`]).
    pub fn siblings(&self) -> Vec<Sibling> {
        let mut siblings = Vec::new();
        for row in &self.rows {
            if let NodeRow::Inner { level, index, left, right, left_is_node, right_is_node } = row {
                if !left_is_node {
                    siblings.push(Sibling { level: level - 1, index: 2 * index, digest: left.0 });
                }
                if !right_is_node {
                    siblings.push(Sibling { level: level - 1, index: 2 * index + 1, digest: right.0 });
                }
            }
        }
        siblings
    }
}

/// Why a tree update was refused (a caller bug, reported instead of proving a wrong state).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MerkleError {
    /// A leaf index is outside RAM.
    #[error("leaf {0:#x} is outside the 2^27 leaves of RAM")]
    OutOfRange(u32),
    /// An opening names a node that is not in the tree.
    #[error("node {index:#x} at level {level} is not in the tree")]
    NodeOutOfRange {
        /// Its level.
        level: u32,
        /// Its index.
        index: u32,
    },
    /// The same leaf was listed twice.
    #[error("leaf {0:#x} is listed twice")]
    Duplicate(u32),
    /// The leaf's words at the segment's start are not what the tree holds.
    #[error("leaf {0:#x} does not hold the words the segment says it started with")]
    Stale(u32),
}

/// A sparse copy of the memory tree: only nodes above nonzero leaves are stored, every other
/// node is the zero digest of its level.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    nodes: FxHashMap<(u32, u32), Digest>,
}

impl MemoryTree {
    /// The tree of all-zero memory.
    pub fn new() -> Self {
        MemoryTree::default()
    }

    /// The tree of the memory holding `words` (`(word address, value)`, addresses below 2^30;
    /// larger addresses are ignored) and zero elsewhere.
    pub fn from_words(words: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let mut leaves: FxHashMap<u32, [u32; LEAF_WORDS as usize]> = FxHashMap::default();
        for (address, value) in words {
            if address < 1 << 30 {
                leaves.entry(address / LEAF_WORDS).or_default()[(address % LEAF_WORDS) as usize] = value;
            }
        }
        let mut tree = MemoryTree::new();
        let leaves: Vec<(u32, [u32; 8])> = leaves.into_iter().collect();
        tree.set_leaves(leaves.iter().map(|(i, w)| (*i, w)));
        tree
    }

    /// The part of a tree given by an opening: the `leaves` (index and words) and the digests
    /// of the `siblings` of their paths. Its root is the opened tree's root when the opening is
    /// honest, and it updates like the whole tree for those leaves. Entries out of range are
    /// refused.
    pub fn from_opening(
        leaves: &[(u32, [u32; LEAF_WORDS as usize])],
        siblings: &[Sibling],
    ) -> Result<Self, MerkleError> {
        let mut tree = MemoryTree::new();
        // The nodes whose parents must be computed, per level.
        let mut given: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); TREE_DEPTH as usize + 1];
        for sibling in siblings {
            if sibling.level >= TREE_DEPTH || sibling.index >= 1 << (TREE_DEPTH - sibling.level) {
                return Err(MerkleError::NodeOutOfRange { level: sibling.level, index: sibling.index });
            }
            tree.nodes.insert((sibling.level, sibling.index), sibling.digest);
            given[sibling.level as usize].insert(sibling.index);
        }
        for (index, words) in leaves {
            if *index >= 1 << TREE_DEPTH {
                return Err(MerkleError::OutOfRange(*index));
            }
            tree.nodes.insert((0, *index), leaf_digest(words));
            given[0].insert(*index);
        }
        // Every ancestor of a given node, from the leaves up (a segment that touches no memory
        // opens the root by its two children alone).
        for level in 1..=TREE_DEPTH {
            let parents: BTreeSet<u32> = given[level as usize - 1].iter().map(|i| i / 2).collect();
            for &index in &parents {
                let (left, right) = (tree.node(level - 1, 2 * index), tree.node(level - 1, 2 * index + 1));
                tree.nodes.insert((level, index), compress(node_input(&left, &right)));
            }
            given[level as usize].extend(parents);
        }
        Ok(tree)
    }

    /// The digest of node `index` at `level`.
    pub fn node(&self, level: u32, index: u32) -> Digest {
        self.nodes.get(&(level, index)).copied().unwrap_or_else(|| zero_digest(level))
    }

    /// The root.
    pub fn root(&self) -> Digest {
        self.node(TREE_DEPTH, 0)
    }

    /// Sets the given leaves and recomputes their ancestors.
    fn set_leaves<'a>(&mut self, leaves: impl Iterator<Item = (u32, &'a [u32; LEAF_WORDS as usize])>) {
        let mut touched = BTreeSet::new();
        for (index, words) in leaves {
            self.nodes.insert((0, index), leaf_digest(words));
            touched.insert(index);
        }
        for level in 1..=TREE_DEPTH {
            touched = touched.into_iter().map(|i| i / 2).collect();
            for &index in &touched {
                let (left, right) = (self.node(level - 1, 2 * index), self.node(level - 1, 2 * index + 1));
                self.nodes.insert((level, index), compress(node_input(&left, &right)));
            }
        }
    }

    /// Applies one segment's leaf updates and returns the rows that prove the change: every
    /// touched leaf and every ancestor of one, with the digests of their children before and
    /// after.
    pub fn update(&mut self, leaves: &[LeafUpdate]) -> Result<TreeUpdate, MerkleError> {
        let mut indices = BTreeSet::new();
        for leaf in leaves {
            if leaf.index >= 1 << TREE_DEPTH {
                return Err(MerkleError::OutOfRange(leaf.index));
            }
            if !indices.insert(leaf.index) {
                return Err(MerkleError::Duplicate(leaf.index));
            }
            if self.node(0, leaf.index) != leaf_digest(&leaf.before) {
                return Err(MerkleError::Stale(leaf.index));
            }
        }
        // The touched nodes of every level, from the leaves up.
        let mut levels = vec![indices];
        for level in 1..=TREE_DEPTH as usize {
            let above = levels[level - 1].iter().map(|i| i / 2).collect();
            levels.push(above);
        }
        // The root is always a row (with untouched children when nothing was touched).
        levels[TREE_DEPTH as usize].insert(0);
        let before_root = self.root();
        // The digests of every child of a touched inner node, read from `tree`.
        let child_digests = |tree: &MemoryTree| -> FxHashMap<(u32, u32), Digest> {
            let mut digests = FxHashMap::default();
            for (level, indices) in levels.iter().enumerate().skip(1) {
                for &index in indices {
                    for child in [2 * index, 2 * index + 1] {
                        digests.insert((level as u32 - 1, child), tree.node(level as u32 - 1, child));
                    }
                }
            }
            digests
        };
        let children_before = child_digests(self);
        self.set_leaves(leaves.iter().map(|leaf| (leaf.index, &leaf.after)));
        let children_after = child_digests(self);

        let mut rows = Vec::new();
        for level in (1..=TREE_DEPTH).rev() {
            for &index in &levels[level as usize] {
                let child = |i: u32| {
                    let key = (level - 1, i);
                    (children_before[&key], children_after[&key])
                };
                let below = &levels[level as usize - 1];
                rows.push(NodeRow::Inner {
                    level,
                    index,
                    left: child(2 * index),
                    right: child(2 * index + 1),
                    left_is_node: below.contains(&(2 * index)),
                    right_is_node: below.contains(&(2 * index + 1)),
                });
            }
        }
        rows.extend(leaves.iter().cloned().map(NodeRow::Leaf));
        Ok(TreeUpdate { rows, before_root, after_root: self.root() })
    }
}
