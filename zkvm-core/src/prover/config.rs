//! The proof system's configuration: BabyBear, its degree-5 extension for challenges, Poseidon2
//! Merkle commitments and FRI, with parameters chosen by [`ProofParameters`].

use p3_baby_bear::{BabyBear, Poseidon2BabyBear, default_babybear_poseidon2_16};
use p3_challenger::DuplexChallenger;
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::Field;
use p3_field::extension::BinomialExtensionField;
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{PaddingFreeSponge, TruncatedPermutation};
use p3_uni_stark::StarkConfig;
use thiserror::Error;

/// The base field: BabyBear, `p = 2^31 - 2^27 + 1`.
pub type Val = BabyBear;
/// The challenge field: the degree-5 binomial extension of BabyBear (|F| ≈ 2^155), so that the
/// batching and out-of-domain terms of the soundness error stay below 2^-128.
pub type Challenge = BinomialExtensionField<Val, 5>;
/// Poseidon2 over BabyBear, width 16, with Plonky3's default round constants.
pub type Permutation = Poseidon2BabyBear<16>;
/// Leaf hash: a Poseidon2 sponge absorbing 8 elements per permutation, 8-element digests.
pub type LeafHash = PaddingFreeSponge<Permutation, 16, 8, 8>;
/// Node compression: Poseidon2 on two 8-element digests, truncated to 8 elements.
pub type NodeCompression = TruncatedPermutation<Permutation, 2, 8, 16>;
/// Merkle commitments to base-field matrices.
pub type ValMmcs =
    MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, LeafHash, NodeCompression, 2, 8>;
/// Merkle commitments to extension-field matrices.
pub type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
/// The polynomial commitment scheme: FRI over two-adic BabyBear domains.
pub type Pcs = TwoAdicFriPcs<Val, Radix2DitParallel<Val>, ValMmcs, ChallengeMmcs>;
/// The Fiat-Shamir challenger: a Poseidon2 duplex sponge.
pub type Challenger = DuplexChallenger<Val, Permutation, 16, 8>;
/// The STARK configuration every zkvm proof uses.
pub type Config = StarkConfig<Pcs, Challenge, Challenger>;

/// The Merkle commitment scheme of every base-field commitment (binary tree of Poseidon2 leaf
/// hashes and node compressions, no cap).
pub fn merkle_mmcs() -> ValMmcs {
    let permutation = default_babybear_poseidon2_16();
    ValMmcs::new(LeafHash::new(permutation.clone()), NodeCompression::new(permutation), 0)
}

/// The proof parameters of one circuit: the FRI code and query count, and the proof-of-work
/// ("grinding") bits before each challenge the prover could otherwise search over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProofParameters {
    /// log2 of the blowup factor (the rate is `2^-log_blowup`).
    pub log_blowup: usize,
    /// Number of FRI queries.
    pub num_queries: usize,
    /// Proof-of-work bits before the query indices are drawn.
    pub query_pow_bits: usize,
    /// Proof-of-work bits before each FRI folding challenge.
    pub commit_pow_bits: usize,
    /// Proof-of-work bits before the challenge that batches every opened polynomial into one
    /// FRI instance.
    pub batch_pow_bits: usize,
    /// Proof-of-work bits before the LogUp challenges `(alpha, beta)` of the buses.
    pub lookup_pow_bits: usize,
    /// Proof-of-work bits before the DEEP out-of-domain point `zeta`.
    pub ood_pow_bits: usize,
    /// log2 of the largest FRI folding arity.
    pub max_log_arity: usize,
    /// log2 of the length of the final FRI polynomial, sent in the clear.
    pub log_final_poly_len: usize,
}

/// The FRI parameters in one line, as the size reports print them: rate, queries, query
/// grinding, folding arity and final polynomial (the other grinding bits left out).
impl std::fmt::Display for ProofParameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rate 1/{}, {} queries, {}-bit query grinding, folding by {}, final polynomial 2^{}",
            1u64 << self.log_blowup.min(63),
            self.num_queries,
            self.query_pow_bits,
            1u64 << self.max_log_arity.min(63),
            self.log_final_poly_len
        )
    }
}

impl ProofParameters {
    /// Parameters for tests and development only: fast, and far from 128 bits of security
    /// (rate 1/2, 40 queries, no grinding).
    pub const TESTING: ProofParameters = ProofParameters {
        log_blowup: 1,
        num_queries: 40,
        query_pow_bits: 0,
        commit_pow_bits: 0,
        batch_pow_bits: 0,
        lookup_pow_bits: 0,
        ood_pow_bits: 0,
        max_log_arity: 1,
        log_final_poly_len: 0,
    };

    /// The default parameters: rate 1/4, 168 queries and grinding chosen so that every term
    /// of the segment circuit's soundness error stays below 2^-128 in the unique-decoding
    /// regime (provable, no proximity-gap conjecture). `zkvm soundcalc --bits` prints the
    /// computation; `crate::soundness` holds it and a test keeps it at 128 bits or more.
    ///
    /// FRI folds by 4 (`max_log_arity` 2): a query opens one FRI commitment per two levels
    /// instead of per level, so a circuit verifying these proofs hashes a third fewer
    /// permutations in all (the final circuit over the README job's nodes: 72,452 -> 55,808,
    /// which fits its tables in 2^17 rows instead of 2^18), at the cost of a few more
    /// relations per query to fold four values. Folding by 8 or 16 saves fewer permutations
    /// than it adds relations there.
    pub const DEFAULT: ProofParameters = ProofParameters {
        log_blowup: 2,
        num_queries: 168,
        query_pow_bits: 16,
        commit_pow_bits: 0,
        batch_pow_bits: 16,
        lookup_pow_bits: 12,
        ood_pow_bits: 4,
        max_log_arity: 2,
        log_final_poly_len: 0,
    };

    /// The final node's default: 128 bits in the unique-decoding regime with a smaller proof
    /// than [`Self::DEFAULT`] gives: rate 1/8, 123 queries after 26 bits of query grinding,
    /// folding by 8 and 2 bits of grinding before each folding challenge. Rate 1/8
    /// rather than 1/16: the final circuit's codewords are half as long (no longer than a node
    /// proof's, so the final node needs no more memory than a node and half the time), for a
    /// proof of the same size within 1 % (more queries, shorter paths). 26 bits of query
    /// grinding rather than 20: about 2^26 Poseidon2 permutations (seconds on two cores) buy
    /// 8 fewer queries, 5 % of the proof; 28 bits, four times the work, would save 2 more.
    pub const SMALL_PROOF: ProofParameters = ProofParameters {
        log_blowup: 3,
        num_queries: 123,
        query_pow_bits: 26,
        commit_pow_bits: 2,
        batch_pow_bits: 16,
        lookup_pow_bits: 12,
        ood_pow_bits: 4,
        max_log_arity: 3,
        log_final_poly_len: 0,
    };

    /// The final node's default: [`Self::SMALL_PROOF`] folding by 16 and with FRI stopped at a
    /// final polynomial of 2^10 coefficients, sent in the clear (20 KiB), instead of folding
    /// by 8 on to a constant: the final circuit's codewords of 2^20 rows take two folding
    /// rounds (by 16 and 8), each a Merkle opening and the sibling values per query, instead of
    /// seven; by the size model 1.8 KiB less than folding by 8 to 2^9 coefficients (three
    /// rounds by 8 and one by 2), the best at this rate and query grinding. Every committed
    /// table must then be taller than 2^10 rows (FRI takes no codeword shorter than the final
    /// one), which the recursion circuits are (their public table, and the final circuit's one
    /// table, have 2^11 rows at least) and segment proofs need not be, so this preset is for
    /// the final node only.
    pub const FINAL: ProofParameters =
        ProofParameters { max_log_arity: 4, log_final_poly_len: 10, ..Self::SMALL_PROOF };

    /// Checks the parameters are usable.
    pub fn validate(&self) -> Result<(), ParameterError> {
        if !(1..=6).contains(&self.log_blowup) {
            return Err(ParameterError::Blowup(self.log_blowup));
        }
        if !(1..=1000).contains(&self.num_queries) {
            return Err(ParameterError::Queries(self.num_queries));
        }
        let grinding = [
            self.query_pow_bits,
            self.commit_pow_bits,
            self.batch_pow_bits,
            self.lookup_pow_bits,
            self.ood_pow_bits,
        ];
        if let Some(&bits) = grinding.iter().find(|&&bits| bits > 30) {
            return Err(ParameterError::Grinding(bits));
        }
        if !(1..=4).contains(&self.max_log_arity) {
            return Err(ParameterError::Arity(self.max_log_arity));
        }
        Ok(())
    }

    /// FRI's parameters (Plonky3's form) for these parameters.
    pub fn fri_parameters(&self) -> FriParameters<ChallengeMmcs> {
        FriParameters {
            log_blowup: self.log_blowup,
            log_final_poly_len: self.log_final_poly_len,
            max_log_arity: self.max_log_arity,
            num_queries: self.num_queries,
            batch_proof_of_work_bits: self.batch_pow_bits,
            commit_proof_of_work_bits: self.commit_pow_bits,
            query_proof_of_work_bits: self.query_pow_bits,
            mmcs: ChallengeMmcs::new(merkle_mmcs()),
        }
    }

    /// The STARK configuration with these parameters.
    pub fn config(&self) -> Result<Config, ParameterError> {
        self.validate()?;
        let pcs = Pcs::new(Radix2DitParallel::default(), merkle_mmcs(), self.fri_parameters());
        Ok(Config::new(pcs, Challenger::new(default_babybear_poseidon2_16()))
            .with_lookup_proof_of_work_bits(self.lookup_pow_bits)
            .with_ood_proof_of_work_bits(self.ood_pow_bits))
    }
}

/// A proof parameter out of its allowed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ParameterError {
    /// `log_blowup` must be 1..=6.
    #[error("log_blowup {0} is out of range (1..=6)")]
    Blowup(usize),
    /// `num_queries` must be 1..=1000.
    #[error("num_queries {0} is out of range (1..=1000)")]
    Queries(usize),
    /// Grinding must be at most 30 bits.
    #[error("{0} bits of grinding is out of range (0..=30)")]
    Grinding(usize),
    /// `max_log_arity` must be 1..=4.
    #[error("max_log_arity {0} is out of range (1..=4)")]
    Arity(usize),
}
