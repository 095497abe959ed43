//! The lookup packing: the layout chosen per table is the narrowest, and it is the one the
//! prover's key has.

use p3_air::BaseAir;
use p3_matrix::Matrix;

use crate::asm::Assembler;
use crate::prover::packing::{
    LookupPacking, PackingGoal, best_layout, candidate_layouts, packed_prover_data,
};
use crate::prover::{MachineAir, ProofParameters, StatementTables, Val};

/// The chips of a one-instruction program (their AIRs do not depend on the program).
fn chips() -> Vec<MachineAir> {
    let program = Assembler::new(0x1000).halt().program();
    MachineAir::chips(&StatementTables::new(&program, &[], &[]).unwrap())
}

#[test]
fn every_chip_takes_the_layout_its_goal_asks_for() {
    let parameters = ProofParameters::DEFAULT;
    let config = parameters.config().unwrap();
    for air in chips() {
        let candidates = candidate_layouts(&config, &air, 10, parameters.log_blowup);
        let chosen = best_layout(&config, &air, 10, parameters.log_blowup);
        assert!(chosen.log_quotient_chunks <= parameters.log_blowup, "{}", air.name());
        // The first candidate is Plonky3's default packing (the chip's own degree).
        match air.packing_goal() {
            PackingGoal::OwnDegree => assert_eq!(chosen, candidates[0], "{}", air.name()),
            PackingGoal::Narrowest => {
                let narrowest = candidates.iter().map(|l| l.opened_width()).min().unwrap();
                assert_eq!(chosen.opened_width(), narrowest, "{}", air.name());
            }
        }
    }
    // Only the one-row register boundary packs past its degree.
    let narrowest: Vec<String> = chips()
        .iter()
        .filter(|air| air.packing_goal() == PackingGoal::Narrowest)
        .map(|air| air.name().to_string())
        .collect();
    assert_eq!(narrowest, ["register_boundary"]);
}

#[test]
fn the_key_has_the_chosen_running_sum_columns() {
    let parameters = ProofParameters::DEFAULT;
    let config = parameters.config().unwrap();
    let airs = chips();
    // Tables with a fixed (preprocessed) height at it, the others at 2^10 rows.
    let fixed = |air: &MachineAir| {
        BaseAir::<Val>::preprocessed_trace(air).map(|t| t.height().trailing_zeros() as usize)
    };
    let heights: Vec<usize> = airs.iter().map(|air| fixed(air).unwrap_or(10)).collect();
    let data = packed_prover_data(&config, &airs, &heights, parameters.log_blowup).unwrap();
    for ((air, lookups), &height) in airs.iter().zip(&data.common.lookups).zip(&heights) {
        let chosen = best_layout(&config, air, height, parameters.log_blowup);
        let columns = if lookups.is_empty() { 0 } else { lookups.len() + 1 };
        assert_eq!(columns, chosen.running_sum_columns, "{}", air.name());
    }
}

#[test]
fn the_register_boundary_packs_its_messages_into_fewer_columns() {
    // 68 messages (32 registers and 2 stream positions, each put on the memory bus and taken
    // off it): one column each at degree 2, four per column at degree 5 with four quotient
    // chunks instead of one.
    let parameters = ProofParameters::DEFAULT;
    let config = parameters.config().unwrap();
    let air = chips().into_iter().find(|air| air.name() == "register_boundary").unwrap();
    let candidates = candidate_layouts(&config, &air, 10, parameters.log_blowup);
    assert_eq!(candidates[0].running_sum_columns, 69);
    let chosen = best_layout(&config, &air, 10, parameters.log_blowup);
    assert_eq!((chosen.running_sum_columns, chosen.log_quotient_chunks), (18, 2));
    assert!(chosen.opened_width() < candidates[0].opened_width() / 3);
}
