//! Prints the README interaction rows of every machine chip (`cargo test --release -p zkvm-core
//! print_readme_rows -- --ignored --nocapture`), for pasting into the chips' READMEs.

use zkvm_bus::columns::Columns;
use zkvm_memory::memory_merkle::{MemoryMerkleChip, MemoryMerkleColumns};
use zkvm_memory::ram_boundary::{RamBoundaryChip, RamBoundaryColumns};
use zkvm_memory::register_boundary::{RegisterBoundaryChip, RegisterBoundaryColumns};

use crate::chips::alu::{AluChip, AluColumns};
use crate::chips::branch::{BranchChip, BranchColumns};
use crate::chips::cpu::{CpuChip, CpuColumns};
use crate::chips::divrem::{DivRemChip, DivRemColumns};
use crate::chips::ecall::{EcallChip, EcallColumns};
use crate::chips::jump::{JumpChip, JumpColumns};
use crate::chips::load_store::{LoadStoreChip, LoadStoreColumns};
use crate::chips::mul::{MulChip, MulColumns};
use crate::chips::shift::{ShiftChip, ShiftColumns};
use crate::chips::testing::{Val, interaction_rows};
use crate::prover::MachineAir;

/// The machine chips without preprocessed columns, with their column names.
pub fn documented_chips() -> Vec<(&'static str, MachineAir, Vec<String>)> {
    vec![
        ("cpu", MachineAir::Cpu(CpuChip), CpuColumns::<Val>::names()),
        ("alu", MachineAir::Alu(AluChip), AluColumns::<Val>::names()),
        ("branch", MachineAir::Branch(BranchChip), BranchColumns::<Val>::names()),
        ("jump", MachineAir::Jump(JumpChip), JumpColumns::<Val>::names()),
        ("mul", MachineAir::Mul(MulChip), MulColumns::<Val>::names()),
        ("divrem", MachineAir::DivRem(DivRemChip), DivRemColumns::<Val>::names()),
        ("shift", MachineAir::Shift(ShiftChip), ShiftColumns::<Val>::names()),
        ("load_store", MachineAir::LoadStore(LoadStoreChip), LoadStoreColumns::<Val>::names()),
        ("ecall", MachineAir::Ecall(EcallChip), EcallColumns::<Val>::names()),
        ("ram_boundary", MachineAir::RamBoundary(RamBoundaryChip), RamBoundaryColumns::<Val>::names()),
        ("memory_merkle", MachineAir::MemoryMerkle(MemoryMerkleChip), MemoryMerkleColumns::<Val>::names()),
        (
            "register_boundary",
            MachineAir::RegisterBoundary(RegisterBoundaryChip),
            RegisterBoundaryColumns::<Val>::names(),
        ),
    ]
}

#[test]
#[ignore = "prints documentation rows"]
#[allow(clippy::print_stdout)] // printing the rows is the point
fn print_readme_rows() {
    for (name, air, columns) in documented_chips() {
        println!("## {name}");
        for row in interaction_rows(name, &air, &columns, &[]) {
            println!("{row}");
        }
    }
}

#[test]
fn readmes_list_every_interaction() {
    let readmes = [
        include_str!("cpu/README.md"),
        include_str!("alu/README.md"),
        include_str!("branch/README.md"),
        include_str!("jump/README.md"),
        include_str!("mul/README.md"),
        include_str!("divrem/README.md"),
        include_str!("shift/README.md"),
        include_str!("load_store/README.md"),
        include_str!("ecall/README.md"),
        include_str!("../../../zkvm-memory/src/ram_boundary/README.md"),
        include_str!("../../../zkvm-memory/src/memory_merkle/README.md"),
        include_str!("../../../zkvm-memory/src/register_boundary/README.md"),
    ];
    for ((name, air, columns), readme) in documented_chips().into_iter().zip(readmes) {
        crate::chips::testing::assert_readme_lists_interactions(readme, name, &air, &columns, &[]);
    }
}
