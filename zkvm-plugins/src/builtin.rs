//! The built-in chipset: RV32IM and the core guest ABI, registered as a plugin that is always
//! enabled.

use zkvm_core::abi;

use crate::plugin::{ChipInfo, EcallSpec, Plugin};
use crate::registry::StaticPlugin;

/// The RV32IM machine: CPU, instruction-family chips, memory argument, boundary and lookup
/// tables, and the core ABI's ecalls (numbers fixed by the ABI).
pub struct Rv32im;

/// The core ABI's calls (see `zkvm_core::abi`).
const CORE_ECALLS: [EcallSpec; 5] = [
    EcallSpec {
        name: "halt",
        default_number: abi::HALT,
        configurable: false,
        summary: "stop with exit code a0",
    },
    EcallSpec {
        name: "write",
        default_number: abi::WRITE,
        configurable: false,
        summary: "show a2 bytes at a1 on fd a0 (not proven: changes no state)",
    },
    EcallSpec {
        name: "read_word",
        default_number: abi::READ_WORD,
        configurable: false,
        summary: "a0 = the next four input bytes",
    },
    EcallSpec {
        name: "input_length",
        default_number: abi::INPUT_LENGTH,
        configurable: false,
        summary: "a0 = the input's length in bytes",
    },
    EcallSpec {
        name: "commit",
        default_number: abi::COMMIT,
        configurable: false,
        summary: "append the byte a0 to the public output",
    },
];

impl Plugin for Rv32im {
    fn name(&self) -> &'static str {
        "rv32im"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn summary(&self) -> &'static str {
        "the RV32IM machine and the core guest ABI"
    }

    fn ecalls(&self) -> &'static [EcallSpec] {
        &CORE_ECALLS
    }

    fn chips(&self) -> Vec<ChipInfo> {
        zkvm_core::prover::machine_spec()
            .chips
            .into_iter()
            .map(|chip| {
                let mut buses: Vec<String> = Vec::new();
                for interaction in &chip.interactions {
                    if !buses.contains(&interaction.bus) {
                        buses.push(interaction.bus.clone());
                    }
                }
                ChipInfo { name: chip.name, summary: chip.summary, buses }
            })
            .collect()
    }

    fn always_enabled(&self) -> bool {
        true
    }
}

inventory::submit! { StaticPlugin(&Rv32im) }
