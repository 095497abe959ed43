//! The machine described as data: every chip's columns, constraint count and degree, bus
//! interactions, and every bus with the chips on each side. `zkvm spec` writes it as JSON for
//! the whitepaper, which renders its chip and bus tables from it; a test fails when the
//! committed copy is stale.

use std::sync::Arc;

use p3_air::BaseAir;
use p3_air::symbolic::AirLayout;
use p3_lookup::InteractionSymbolicBuilder;
use serde::Serialize;
use zkvm_bus::columns::Columns;
use zkvm_bus::inventory::{BusEntry, ColumnNames, InteractionEntry, bus_inventory, chip_interactions};
use zkvm_memory::memory_merkle::MemoryMerkleColumns;
use zkvm_memory::ram_boundary::RamBoundaryColumns;
use zkvm_memory::register_boundary::RegisterBoundaryColumns;

use super::{Challenge, MachineAir, StatementTables, Val};
use crate::chips::alu::AluColumns;
use crate::chips::branch::BranchColumns;
use crate::chips::byte_table::{ByteTableColumns, ByteTablePreprocessed};
use crate::chips::cpu::CpuColumns;
use crate::chips::divrem::DivRemColumns;
use crate::chips::ecall::EcallColumns;
use crate::chips::io_table::{IoTableColumns, IoTablePreprocessed};
use crate::chips::jump::JumpColumns;
use crate::chips::load_store::LoadStoreColumns;
use crate::chips::mul::MulColumns;
use crate::chips::program::{ProgramColumns, ProgramPreprocessed};
use crate::chips::range16::{Range16Columns, Range16Preprocessed};
use crate::chips::shift::ShiftColumns;
use crate::precompile::{ConstraintError, PrecompileSet};

/// One chip of a segment proof, as the whitepaper's chip inventory lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ChipSpec {
    /// The chip's name (its table in the proof).
    pub name: String,
    /// Position of its table in the proof.
    pub table: usize,
    /// What the chip proves, in one sentence.
    pub summary: String,
    /// Names of its main (witness) columns, in order.
    pub main_columns: Vec<String>,
    /// Names of its preprocessed columns (fixed by the verifying key), in order.
    pub preprocessed_columns: Vec<String>,
    /// Number of polynomial constraints of its AIR (not counting the LogUp constraints the
    /// lookup argument adds for its interactions).
    pub constraints: usize,
    /// Largest degree among those constraints.
    pub max_degree: usize,
    /// Number of public values the chip exposes.
    pub public_values: usize,
    /// Whether its constraints read the next row, so that a proof opens its traces at the
    /// next row's point too (else at the out-of-domain point only).
    pub opened_at_next_row: bool,
    /// Its bus interactions, in the order its AIR declares them.
    pub interactions: Vec<InteractionEntry>,
}

/// The whole machine: chips in proof order and the buses between them.
#[derive(Clone, Debug, Serialize)]
pub struct MachineSpec {
    /// Every chip, in the order of the proof's tables.
    pub chips: Vec<ChipSpec>,
    /// Every bus of the registry with its senders, receivers and providers.
    pub buses: Vec<BusEntry>,
}

impl MachineAir {
    /// What the chip proves, in one sentence (the whitepaper's chip table).
    pub fn summary(&self) -> &'static str {
        match self {
            MachineAir::Program(_) => {
                "Preprocessed table of the decoded program, one row per code word; answers instruction fetches."
            }
            MachineAir::Cpu(_) => {
                "One row per cycle: pc sequencing, instruction fetch, reads of rs1 and rs2 and the write of rd through the memory argument; hands each instruction to its family chip."
            }
            MachineAir::Alu(_) => {
                "add, sub, xor, or, and, their immediate forms, and fence (proven as x0 + x0 into x0)."
            }
            MachineAir::Branch(_) => "slt, sltu, slti, sltiu and the six conditional branches.",
            MachineAir::Jump(_) => "jal, jalr, lui, auipc.",
            MachineAir::Mul(_) => "mul, mulh, mulhsu, mulhu: schoolbook products of bytes with carries.",
            MachineAir::DivRem(_) => {
                "div, divu, rem, remu: b = q c + r over 64-bit extensions with |r| < |c| and r of b's sign; division by zero and signed overflow as RISC-V defines them."
            }
            MachineAir::Shift(_) => "sll, srl, sra and their immediate forms.",
            MachineAir::LoadStore(_) => {
                "lb, lh, lw, lbu, lhu, sb, sh, sw: one access to an aligned RAM word per row."
            }
            MachineAir::Ecall(_) => "HALT, WRITE (no state change), READ_WORD, INPUT_LENGTH, COMMIT.",
            MachineAir::ByteTable(_) => {
                "Preprocessed table of all byte pairs with range, and, or, xor and less-than results."
            }
            MachineAir::Range16(_) => "Preprocessed table of 0 .. 2^16.",
            MachineAir::IoTable(_) => "Preprocessed table of the input words and the public output bytes.",
            MachineAir::RamBoundary(_) => {
                "Initial and final state of every word of every 8-word leaf the segment touches, handed to the Merkle chip."
            }
            MachineAir::MemoryMerkle(_) => {
                "The touched part of the Poseidon2 memory tree, one row per node with its compressions before and after: opens the initial words against the public start root and yields the public end root."
            }
            MachineAir::RegisterBoundary(_) => {
                "Initial and final state of the 32 registers and the two stream positions, bound to public values."
            }
            MachineAir::Precompile(_) => {
                "A precompile: one row per call, reading and writing its words through the memory argument; the plugin's constraints make the output its function of the input."
            }
        }
    }

    /// Names of the chip's main and preprocessed columns.
    pub fn column_names(&self) -> (Vec<String>, Vec<String>) {
        match self {
            MachineAir::Program(_) => (ProgramColumns::<Val>::names(), ProgramPreprocessed::<Val>::names()),
            MachineAir::Cpu(_) => (CpuColumns::<Val>::names(), vec![]),
            MachineAir::Alu(_) => (AluColumns::<Val>::names(), vec![]),
            MachineAir::Branch(_) => (BranchColumns::<Val>::names(), vec![]),
            MachineAir::Jump(_) => (JumpColumns::<Val>::names(), vec![]),
            MachineAir::Mul(_) => (MulColumns::<Val>::names(), vec![]),
            MachineAir::DivRem(_) => (DivRemColumns::<Val>::names(), vec![]),
            MachineAir::Shift(_) => (ShiftColumns::<Val>::names(), vec![]),
            MachineAir::LoadStore(_) => (LoadStoreColumns::<Val>::names(), vec![]),
            MachineAir::Ecall(_) => (EcallColumns::<Val>::names(), vec![]),
            MachineAir::ByteTable(_) => {
                (ByteTableColumns::<Val>::names(), ByteTablePreprocessed::<Val>::names())
            }
            MachineAir::Range16(_) => (Range16Columns::<Val>::names(), Range16Preprocessed::<Val>::names()),
            MachineAir::IoTable(_) => (IoTableColumns::<Val>::names(), IoTablePreprocessed::<Val>::names()),
            MachineAir::RamBoundary(_) => (RamBoundaryColumns::<Val>::names(), vec![]),
            MachineAir::MemoryMerkle(_) => (MemoryMerkleColumns::<Val>::names(), vec![]),
            MachineAir::RegisterBoundary(_) => (RegisterBoundaryColumns::<Val>::names(), vec![]),
            MachineAir::Precompile(chip) => (chip.column_names(), vec![]),
        }
    }
}

/// Describes the machine's chips and buses (the built-in chipset). The description does not
/// depend on the statement (the preprocessed chips' column layouts are fixed), so it is built
/// for a one-instruction program.
pub fn machine_spec() -> MachineSpec {
    machine_spec_with(&Arc::default()).expect("the built-in chipset has no precompile to refuse")
}

/// [`machine_spec`] of the machine with `precompiles` enabled.
pub fn machine_spec_with(precompiles: &Arc<PrecompileSet>) -> Result<MachineSpec, ConstraintError> {
    let program = crate::asm::Assembler::new(0x1000).halt().program();
    let tables = StatementTables::new(&program, &[], &[])
        .expect("a one-instruction program has tables")
        .with_precompiles(Arc::clone(precompiles))?;
    let airs = MachineAir::chips(&tables);
    let mut interactions = Vec::with_capacity(airs.len());
    let chips = airs
        .iter()
        .enumerate()
        .map(|(table, air)| {
            let (main, preprocessed) = air.column_names();
            let main_refs: Vec<&str> = main.iter().map(String::as_str).collect();
            let preprocessed_refs: Vec<&str> = preprocessed.iter().map(String::as_str).collect();
            let names = ColumnNames { main: &main_refs, preprocessed: &preprocessed_refs };
            let chip = chip_interactions::<Val, Challenge, MachineAir>(air.name(), air, names);
            let builder =
                InteractionSymbolicBuilder::<Val, Challenge>::from_air(air, AirLayout::from_air::<Val>(air));
            let constraints = builder.base_constraints();
            let spec = ChipSpec {
                name: air.name().to_string(),
                table,
                summary: air.summary().to_string(),
                main_columns: main,
                preprocessed_columns: preprocessed,
                constraints: constraints.len(),
                max_degree: constraints.iter().map(|c| c.degree_multiple()).max().unwrap_or(0),
                public_values: BaseAir::<Val>::num_public_values(air),
                opened_at_next_row: zkvm_bus::row::opens_next_row::<Val, _>(air),
                interactions: chip.interactions.clone(),
            };
            interactions.push(chip);
            spec
        })
        .collect();
    Ok(MachineSpec { chips, buses: bus_inventory(&interactions) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::Assembler;

    fn tables() -> StatementTables {
        StatementTables::new(&Assembler::new(0x1000).halt().program(), &[], &[]).unwrap()
    }

    #[test]
    fn every_chip_is_described_with_its_real_width() {
        let tables = tables();
        let spec = machine_spec();
        for (chip, air) in spec.chips.iter().zip(MachineAir::chips(&tables)) {
            assert_eq!(chip.main_columns.len(), BaseAir::<Val>::width(&air), "{}", chip.name);
            assert_eq!(
                chip.preprocessed_columns.len(),
                BaseAir::<Val>::preprocessed_width(&air),
                "{}",
                chip.name
            );
        }
    }

    #[test]
    fn every_bus_has_both_sides() {
        use zkvm_bus::registry::BusKind;
        for bus in machine_spec().buses {
            let other_side = match bus.spec.kind {
                BusKind::Permutation => &bus.receivers,
                BusKind::Lookup => &bus.providers,
            };
            assert!(!bus.senders.is_empty() && !other_side.is_empty(), "bus {} is one-sided", bus.spec.name);
        }
    }
}
