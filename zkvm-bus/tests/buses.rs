//! The registry is consistent, and the helpers, the balancer and the inventory work on a real
//! two-chip proof: a chip querying 16-bit range checks and the range table answering them.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_baby_bear::{BabyBear, Poseidon2BabyBear, default_babybear_poseidon2_16};
use p3_batch_stark::{ProverData, StarkInstance, prove_batch, verify_batch};
use p3_challenger::DuplexChallenger;
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::extension::BinomialExtensionField;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_lookup::InteractionBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{PaddingFreeSponge, TruncatedPermutation};
use p3_uni_stark::StarkConfig;
use zkvm_bus::inventory::{ColumnNames, Direction, bus_inventory, chip_interactions};
use zkvm_bus::message::{
    ByteMessage, ExecuteMessage, MemoryLeafMessage, MemoryMessage, MerkleNodeMessage, ProgramMessage,
};
use zkvm_bus::registry::{RANGE16, RETIRED_BUS_IDS};
use zkvm_bus::{
    CORE_BUSES, ChipTrace, Message, RECURSION_BUSES, Range16Message, WitnessMessage, check_balance, provide,
    send,
};

type Val = BabyBear;
type Challenge = BinomialExtensionField<Val, 5>;
type Perm = Poseidon2BabyBear<16>;
type Hash = PaddingFreeSponge<Perm, 16, 8, 8>;
type Compress = TruncatedPermutation<Perm, 2, 8, 16>;
type ValMmcs = MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, Hash, Compress, 2, 8>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
type Pcs = TwoAdicFriPcs<Val, Radix2DitParallel<Val>, ValMmcs, ChallengeMmcs>;
type Config = StarkConfig<Pcs, Challenge, DuplexChallenger<Val, Perm, 16, 8>>;

#[test]
fn ids_and_names_are_unique_and_layouts_match_the_messages() {
    let all: Vec<_> = CORE_BUSES.iter().chain(RECURSION_BUSES).collect();
    for (i, bus) in all.iter().enumerate() {
        assert!(i == 0 || all[i - 1].id < bus.id, "ids are unique and in order");
        assert!(!RETIRED_BUS_IDS.contains(&bus.id), "retired ids are never reused");
        assert!(!bus.fields.is_empty());
        assert_eq!(all.iter().filter(|b| b.name == bus.name).count(), 1, "{}", bus.name);
    }
    let witness = WitnessMessage { index: 0u32, value: [0; 5] };
    assert_eq!(witness.into_fields().len(), <WitnessMessage<u32> as Message<u32>>::BUS.width());
    let z = 0u32;
    let program = ProgramMessage { pc: z, opcode: z, rd: z, rs1: z, rs2: z, imm: [z; 4], rd_nonzero: z };
    assert_eq!(program.into_fields().len(), <ProgramMessage<u32> as Message<u32>>::BUS.width());
    let execute = ExecuteMessage {
        clk: z,
        opcode: z,
        pc: z,
        next_pc: z,
        rs1: [z; 4],
        rs2: [z; 4],
        imm: [z; 4],
        rd: [z; 4],
    };
    assert_eq!(execute.into_fields().len(), <ExecuteMessage<u32> as Message<u32>>::BUS.width());
    assert_eq!(MemoryMessage { space: z, address: z, value: [z; 4], timestamp: z }.into_fields().len(), 7);
    assert_eq!(<MemoryMessage<u32> as Message<u32>>::BUS.width(), 7);
    assert_eq!(ByteMessage { operation: z, a: z, b: z, result: z }.into_fields().len(), 4);
    assert_eq!(<ByteMessage<u32> as Message<u32>>::BUS.width(), 4);
    assert_eq!(Range16Message { value: z }.into_fields().len(), RANGE16.width());
    let leaf = MemoryLeafMessage { address: z, initial: [z; 2], last: [z; 2] };
    assert_eq!(leaf.into_fields().len(), <MemoryLeafMessage<u32> as Message<u32>>::BUS.width());
    let node = MerkleNodeMessage { level: z, index: z, before: [z; 8], after: [z; 8] };
    assert_eq!(node.into_fields().len(), <MerkleNodeMessage<u32> as Message<u32>>::BUS.width());
}

/// Two chips: `Queries` (columns x, is_real) sends x for a range check on real rows;
/// `Table` (preprocessed value = 0..2^16, main multiplicity) answers.
#[derive(Clone)]
enum Chip {
    Queries,
    Table,
}

impl<F: Field> BaseAir<F> for Chip {
    fn width(&self) -> usize {
        match self {
            Chip::Queries => 2,
            Chip::Table => 1,
        }
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        match self {
            Chip::Queries => None,
            Chip::Table => Some(RowMajorMatrix::new((0..1 << 16).map(F::from_u32).collect(), 1)),
        }
    }
    fn preprocessed_width(&self) -> usize {
        match self {
            Chip::Queries => 0,
            Chip::Table => 1,
        }
    }
}

impl<AB: InteractionBuilder> Air<AB> for Chip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        match self {
            Chip::Queries => {
                let main = builder.main();
                let (x, is_real) = (main.current(0).unwrap(), main.current(1).unwrap());
                // is_real is a boolean selector.
                builder.assert_bool(is_real);
                send(builder, Range16Message { value: x.into() }, is_real);
            }
            Chip::Table => {
                let value = builder.preprocessed().current(0).unwrap();
                let multiplicity = builder.main().current(0).unwrap();
                provide(builder, Range16Message { value: value.into() }, multiplicity);
            }
        }
    }
}

fn traces(queries: &[u32]) -> (RowMajorMatrix<Val>, RowMajorMatrix<Val>) {
    let rows = queries.len().next_power_of_two();
    let mut main = Vec::new();
    let mut multiplicities = vec![0u32; 1 << 16];
    for i in 0..rows {
        let (x, real) = queries.get(i).map_or((0, 0), |&x| (x, 1));
        main.extend([Val::from_u32(x), Val::from_u32(real)]);
        if real == 1 && x < 1 << 16 {
            multiplicities[x as usize] += 1;
        }
    }
    (
        RowMajorMatrix::new(main, 2),
        RowMajorMatrix::new(multiplicities.into_iter().map(Val::from_u32).collect(), 1),
    )
}

fn balance(
    queries: &RowMajorMatrix<Val>,
    table: &RowMajorMatrix<Val>,
) -> Result<(), zkvm_bus::ImbalanceReport> {
    let pre = <Chip as BaseAir<Val>>::preprocessed_trace(&Chip::Table).unwrap();
    check_balance::<Val, Challenge, Chip>(&[
        ChipTrace {
            name: "queries",
            air: &Chip::Queries,
            main: queries,
            preprocessed: None,
            public_values: &[],
        },
        ChipTrace {
            name: "range16-table",
            air: &Chip::Table,
            main: table,
            preprocessed: Some(&pre),
            public_values: &[],
        },
    ])
}

fn config() -> Config {
    let perm = default_babybear_poseidon2_16();
    let mmcs = ValMmcs::new(Hash::new(perm.clone()), Compress::new(perm.clone()), 0);
    let fri = FriParameters {
        log_blowup: 1,
        log_final_poly_len: 0,
        max_log_arity: 1,
        num_queries: 40,
        batch_proof_of_work_bits: 0,
        commit_proof_of_work_bits: 0,
        query_proof_of_work_bits: 0,
        mmcs: ChallengeMmcs::new(mmcs.clone()),
    };
    Config::new(Pcs::new(Radix2DitParallel::default(), mmcs, fri), DuplexChallenger::new(perm))
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Accepted,
    /// The prover produced a proof and the verifier rejected it.
    Rejected,
}

/// Proves (release builds do not check constraints before proving, so an invalid trace still
/// yields a proof) and verifies.
fn prove_and_verify(queries: &RowMajorMatrix<Val>, table: &RowMajorMatrix<Val>) -> Outcome {
    let config = config();
    let airs = [Chip::Queries, Chip::Table];
    let log_rows = queries.height().trailing_zeros() as usize;
    let data = ProverData::<Config>::from_airs_and_degrees(&config, &airs, &[log_rows, 16]).unwrap();
    let public_values = vec![vec![], vec![]];
    let traces = [queries, table];
    let instances = StarkInstance::new_multiple(&airs, &traces, &public_values);
    let proof = prove_batch(&config, &instances, &data).expect("the prover runs");
    match verify_batch(&config, &airs, &proof, &public_values, &data.common) {
        Ok(()) => Outcome::Accepted,
        Err(_) => Outcome::Rejected,
    }
}

#[test]
fn balanced_traces_prove_and_verify() {
    let (queries, table) = traces(&[0, 1, 65535, 1, 1234, 1, 0, 77]);
    assert_eq!(balance(&queries, &table), Ok(()));
    assert_eq!(prove_and_verify(&queries, &table), Outcome::Accepted);
}

#[test]
fn an_out_of_range_query_is_named_and_rejected() {
    let (queries, table) = traces(&[5, 70_000, 9, 9]);
    let report = balance(&queries, &table).unwrap_err();
    assert_eq!(report.imbalances.len(), 1);
    let imbalance = &report.imbalances[0];
    assert_eq!(
        (imbalance.bus.as_str(), imbalance.message.as_slice(), imbalance.net),
        ("range16", &[70_000][..], 1)
    );
    assert_eq!(imbalance.endpoints.len(), 1);
    assert_eq!((imbalance.endpoints[0].chip.as_str(), imbalance.endpoints[0].row), ("queries", 1));
    let text = report.to_string();
    assert!(
        text.contains(
            "bus range16: message [70000] is off by +1: sent by queries row 1 (x1); received by nobody"
        ),
        "{text}"
    );
    assert_eq!(prove_and_verify(&queries, &table), Outcome::Rejected);
}

#[test]
fn a_wrong_multiplicity_is_named_and_rejected() {
    let (queries, mut table) = traces(&[5, 6, 7, 8]);
    table.values[6] += Val::ONE; // value 6 claimed queried twice
    let report = balance(&queries, &table).unwrap_err();
    let text = report.to_string();
    assert!(text.contains("bus range16: message [6] is off by -1: sent by queries row 1 (x1); received by range16-table row 6 (x2)"), "{text}");
    assert_eq!(prove_and_verify(&queries, &table), Outcome::Rejected);
}

#[test]
fn a_padding_row_flagged_real_is_rejected() {
    let (mut queries, table) = traces(&[5, 6, 7]); // 4 rows: the last is padding
    queries.values[7] = Val::ONE; // is_real = 1 on the padding row: sends an unanswered 0
    assert!(balance(&queries, &table).is_err());
    assert_eq!(prove_and_verify(&queries, &table), Outcome::Rejected);
}

#[test]
fn the_inventory_lists_each_side() {
    let queries = chip_interactions::<Val, Challenge, Chip>(
        "queries",
        &Chip::Queries,
        ColumnNames { main: &["x", "is_real"], preprocessed: &[] },
    );
    let table = chip_interactions::<Val, Challenge, Chip>(
        "range16-table",
        &Chip::Table,
        ColumnNames { main: &["multiplicity"], preprocessed: &["value"] },
    );
    let send = &queries.interactions[0];
    assert_eq!(
        (send.bus.as_str(), send.direction, send.fields.clone(), send.multiplicity.as_str(), send.bound),
        ("range16", Direction::Send, vec!["x".to_string()], "is_real", 1)
    );
    let provided = &table.interactions[0];
    assert_eq!(
        (provided.direction, provided.fields.clone(), provided.multiplicity.as_str(), provided.bound),
        (Direction::Provide, vec!["pre.value".to_string()], "-multiplicity", 0)
    );
    let buses = bus_inventory(&[queries, table]);
    let range = buses.iter().find(|b| b.spec.name == "range16").unwrap();
    assert_eq!(
        (range.senders.clone(), range.providers.clone()),
        (vec!["queries".to_string()], vec!["range16-table".to_string()])
    );
    assert!(range.receivers.is_empty());
    let json = serde_json::to_string(&buses).unwrap();
    assert!(json.contains("\"name\":\"range16\""));
}
