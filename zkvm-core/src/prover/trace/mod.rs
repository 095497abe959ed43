//! From a segment's execution events to the traces of every chip.

use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;
use zkvm_bus::ByteOperation;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_memory::memory_merkle::{memory_merkle_trace, public_values as merkle_public_values};
use zkvm_memory::merkle::{LEAF_WORDS, NodeRow, TreeUpdate};
use zkvm_memory::ram_boundary::{RamCell, ram_boundary_trace};
use zkvm_memory::register_boundary::{
    BoundaryState, public_values as register_public_values, register_boundary_trace,
};
use zkvm_memory::{
    AccessColumns, INPUT_POSITION, MemoryTracker, OUTPUT_POSITION, RAM_SPACE, REGISTER_SPACE, fill_access,
    slot, timestamp,
};

use super::air::{CPU_TABLE, ECALL_TABLE, MERKLE_TABLE, RAM_TABLE, REGISTER_TABLE};
use super::{StatementTables, Val};
use crate::abi;
use crate::chips::alu::ALU_OPCODES;
use crate::chips::branch::BRANCH_OPCODES;
use crate::chips::byte_table::ByteCounts;
use crate::chips::cpu::CpuColumns;
use crate::chips::divrem::DIVREM_OPCODES;
use crate::chips::jump::JUMP_OPCODES;
use crate::chips::load_store::LOAD_STORE_OPCODES;
use crate::chips::mul::MUL_OPCODES;
use crate::chips::program::{FetchCounts, fetch_row};
use crate::chips::range16::Range16Counts;
use crate::chips::shift::SHIFT_OPCODES;
use crate::executor::SegmentTrace;
use crate::isa::Opcode;
use crate::precompile::{PrecompileCall, precompile_trace};

/// Why a segment cannot be proven.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TraceError {
    /// The segment executes an instruction the prover has no chip for yet.
    #[error("instruction {instruction} at pc {pc:#010x} is not supported by the prover yet")]
    Unsupported {
        /// Its address.
        pc: u32,
        /// The instruction, disassembled.
        instruction: String,
    },
    /// The memory tree update does not belong to the segment (a caller bug).
    #[error("internal error: the memory tree update is not the segment's: {0}")]
    Tree(String),
    /// The chips computed another result than the executor: a bug, reported instead of proving
    /// a different execution.
    #[error(
        "internal error: at pc {pc:#010x} the prover computed {computed:#x} but the executor wrote {executed:#x}"
    )]
    Mismatch {
        /// The instruction's address.
        pc: u32,
        /// The chips' result.
        computed: u32,
        /// The executor's result.
        executed: u32,
    },
    /// The segment's view of memory disagrees with itself (an access does not follow the
    /// previous one, or a final value is not the leaf's): a bug.
    #[error("internal error: {0}")]
    Inconsistent(String),
    /// A precompile plugin could not build its trace.
    #[error("precompile {name}: {message}")]
    Precompile {
        /// The precompile's name.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// The segment is longer than the memory argument's timestamps allow.
    #[error("the segment has {0} cycles, above the limit of {max}", max = zkvm_memory::MAX_SEGMENT_CYCLES)]
    TooLong(usize),
    /// The segment does not fit the shape it was to be padded to: a table needs more rows than
    /// the shape gives it, or has a height the verifying key fixes to another value.
    #[error("table {chip} has 2^{natural} rows, the shape gives it 2^{target}")]
    Shape {
        /// The chip.
        chip: String,
        /// log2 of the rows the segment gives the table.
        natural: usize,
        /// log2 of the rows the shape gives it.
        target: usize,
    },
    /// The shape does not name one height per chip.
    #[error("the shape names {found} tables, the machine has {expected}")]
    ShapeLength {
        /// Tables the machine has.
        expected: usize,
        /// Heights the shape names.
        found: usize,
    },
}

/// The log2 height of every table of a segment proof, one per chip in
/// [`MachineAir::chips`](super::MachineAir::chips) order.
///
/// Segments proven to one shape have proofs of the same shape, so one recursive verifier
/// circuit verifies any of them (the recursion's leaves are built per shape, not per segment).
pub type SegmentShape = Vec<usize>;

/// The smallest shape that every one of `shapes` fits: the tallest height of each table.
/// Empty for no shapes.
pub fn enclosing_shape<'a>(shapes: impl IntoIterator<Item = &'a SegmentShape>) -> SegmentShape {
    let mut enclosing: SegmentShape = Vec::new();
    for shape in shapes {
        if enclosing.len() < shape.len() {
            enclosing.resize(shape.len(), 0);
        }
        for (tallest, &bits) in enclosing.iter_mut().zip(shape) {
            *tallest = (*tallest).max(bits);
        }
    }
    enclosing
}

/// The shape of `traces`: log2 of each table's height.
pub fn traces_shape(traces: &SegmentTraces) -> SegmentShape {
    log_heights(&traces.traces)
}

/// log2 of each matrix's height.
fn log_heights(traces: &[RowMajorMatrix<Val>]) -> SegmentShape {
    traces
        .iter()
        .map(|t| t.values.len().checked_div(t.width).unwrap_or(0).trailing_zeros() as usize)
        .collect()
}

/// The main traces of every chip (in [`MachineAir::chips`](super::MachineAir::chips) order) and
/// the public values of each.
pub struct SegmentTraces {
    /// One main trace per chip.
    pub traces: Vec<RowMajorMatrix<Val>>,
    /// One list of public values per chip.
    pub public_values: Vec<Vec<Val>>,
}

mod rows;

use rows::{alu_row, branch_row, divrem_row, ecall_row, jump_row, load_store_row, mul_row, shift_row};

/// The bytes of `value`, least significant first, as field elements.
fn bytes(value: u32) -> [Val; 4] {
    value.to_le_bytes().map(Val::from_u8)
}

/// Rows padded with zero rows to a power of two (at least 4 and at least `min_height`).
fn padded<C: Columns<Val> + Copy>(rows: &[C], min_height: usize) -> RowMajorMatrix<Val> {
    let width = C::WIDTH;
    let height = rows.len().next_power_of_two().max(4).max(min_height);
    let mut trace = RowMajorMatrix::new(vec![Val::ZERO; height * width], width);
    for (cells, row) in trace.values.chunks_exact_mut(width).zip(rows) {
        *borrow_mut::<Val, C>(cells) = *row;
    }
    trace
}

/// The state the trace generator carries through a segment: the memory argument's cells and
/// every lookup table's multiplicities.
struct Lookups {
    tracker: MemoryTracker,
    bytes: ByteCounts,
    ranges: Range16Counts,
}

impl Lookups {
    /// Records an access to `(space, address)` at `timestamp` leaving `value`, fills its
    /// memory-argument columns, and returns the value it found.
    fn access(
        &mut self,
        space: u32,
        address: u32,
        value: u32,
        timestamp: u32,
        columns: &mut AccessColumns<Val>,
    ) -> u32 {
        let previous = self.tracker.access(space, address, value, timestamp);
        let (lo, hi) = fill_access(columns, previous.timestamp, timestamp);
        self.ranges.add(lo);
        self.bytes.add(ByteOperation::Range, hi as u8, 0);
        previous.value
    }
}

/// Builds every chip's trace for `segment` of the statement whose tables are `tables`; `memory`
/// is the memory tree's update by the segment's leaves
/// ([`MemoryTree::update`](zkvm_memory::merkle::MemoryTree::update) of `segment.leaves`).
pub fn generate_traces(
    tables: &StatementTables,
    segment: &SegmentTrace,
    memory: &TreeUpdate,
) -> Result<SegmentTraces, TraceError> {
    generate_traces_padded(tables, segment, memory, None)
}

/// [`generate_traces`], with every table padded to the height `shape` gives it (each table's
/// own padding rows: zero rows, or rows that hash zeros, or a precompile's zero-input calls).
/// Refuses a shape that gives a table fewer rows than the segment needs, or another height
/// than the verifying key fixes (program, byte, range and io tables, the register boundary).
pub fn generate_traces_padded(
    tables: &StatementTables,
    segment: &SegmentTrace,
    memory: &TreeUpdate,
    shape: Option<&[usize]>,
) -> Result<SegmentTraces, TraceError> {
    let chips = super::MachineAir::chips(tables);
    if let Some(shape) = shape
        && shape.len() != chips.len()
    {
        return Err(TraceError::ShapeLength { expected: chips.len(), found: shape.len() });
    }
    // The rows table `i` must have at least (1 for no shape: its natural height).
    let min_height = |i: usize| shape.map_or(1, |s| 1usize.checked_shl(s[i] as u32).unwrap_or(usize::MAX));
    if segment.cycles.len() as u64 > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(TraceError::TooLong(segment.cycles.len()));
    }
    let leaves_in_update = memory.rows.iter().filter(|row| matches!(row, NodeRow::Leaf(_))).count();
    if leaves_in_update != segment.leaves.len() {
        return Err(TraceError::Tree(format!(
            "{leaves_in_update} leaves in the update, {} in the segment",
            segment.leaves.len()
        )));
    }
    let program = &tables.program;
    let start = BoundaryState {
        registers: segment.start.regs,
        input_position: segment.input.start.div_ceil(4) as u32,
        output_position: segment.public_output.start as u32,
    };
    let mut initial: Vec<((u32, u32), u32)> =
        (0..32).map(|r| ((REGISTER_SPACE, r), start.registers[r as usize])).collect();
    initial.push(((REGISTER_SPACE, INPUT_POSITION), start.input_position));
    initial.push(((REGISTER_SPACE, OUTPUT_POSITION), start.output_position));
    for leaf in &segment.leaves {
        for (j, &value) in leaf.before.iter().enumerate() {
            initial.push(((RAM_SPACE, leaf.index * LEAF_WORDS + j as u32), value));
        }
    }
    let mut lookups = Lookups {
        tracker: MemoryTracker::new(initial),
        bytes: ByteCounts::default(),
        ranges: Range16Counts::default(),
    };
    let mut fetches = FetchCounts::new(program);
    let (mut input_reads, mut output_commits): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    let (mut cpu, mut alu, mut branch, mut jump, mut mul, mut divrem, mut shift, mut load_store, mut ecall) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );

    let mut precompile_calls: Vec<Vec<PrecompileCall>> = vec![Vec::new(); tables.precompile_chips.len()];
    let mut ecalls = segment.ecalls.iter();
    for (clk, event) in segment.cycles.iter().enumerate() {
        let clk = clk as u32;
        let step = &event.step;
        let instruction = step.instruction;
        let unsupported = || TraceError::Unsupported { pc: step.pc, instruction: instruction.to_string() };
        let [pc, opcode, rd, rs1, rs2, i0, i1, i2, i3, rd_nonzero] = fetch_row(step.pc, &instruction);
        fetches.add(program, pc);

        // Register accesses, through the memory argument.
        let mut row = CpuColumns::<Val> {
            is_real: Val::ONE,
            clk: Val::from_u32(clk),
            pc: Val::from_u32(pc),
            next_pc: Val::from_u32(step.next_pc),
            opcode: Val::from_u32(opcode),
            rd: Val::from_u32(rd),
            rs1: Val::from_u32(rs1),
            rs2: Val::from_u32(rs2),
            imm: [i0, i1, i2, i3].map(Val::from_u32),
            rd_nonzero: Val::from_u32(rd_nonzero),
            ..Default::default()
        };
        let mut read = |register: u32, slot: u32, access: &mut AccessColumns<Val>| {
            let value = lookups.tracker.state(REGISTER_SPACE, register).value;
            lookups.access(REGISTER_SPACE, register, value, timestamp(clk, slot), access)
        };
        let rs1_value = read(rs1, slot::RS1, &mut row.rs1_access);
        let rs2_value = read(rs2, slot::RS2, &mut row.rs2_access);
        row.rs1_value = bytes(rs1_value);
        row.rs2_value = bytes(rs2_value);

        // The result, and the family chip's row.
        let rd_value = match instruction.opcode {
            op if ALU_OPCODES.contains(&op) => {
                let (row, result) =
                    alu_row(clk, pc, op, rs1_value, rs2_value, instruction.imm, &mut lookups.bytes);
                alu.push(row);
                result
            }
            op if BRANCH_OPCODES.contains(&op) => {
                let (row, result) =
                    branch_row(clk, pc, op, rs1_value, rs2_value, instruction.imm, &mut lookups.bytes);
                branch.push(row);
                result
            }
            op if MUL_OPCODES.contains(&op) => {
                let (row, result) =
                    mul_row(clk, pc, op, rs1_value, rs2_value, &mut lookups.bytes, &mut lookups.ranges);
                mul.push(row);
                result
            }
            op if DIVREM_OPCODES.contains(&op) => {
                let (row, result) = divrem_row(clk, pc, op, rs1_value, rs2_value, &mut lookups);
                divrem.push(row);
                result
            }
            op if SHIFT_OPCODES.contains(&op) => {
                let (row, result) = shift_row(
                    clk,
                    pc,
                    op,
                    rs1_value,
                    rs2_value,
                    instruction.imm,
                    &mut lookups.bytes,
                    &mut lookups.ranges,
                );
                shift.push(row);
                result
            }
            op if JUMP_OPCODES.contains(&op) => {
                let (row, result) = jump_row(clk, pc, op, rs1_value, instruction.imm, &mut lookups.bytes);
                jump.push(row);
                result
            }
            op if LOAD_STORE_OPCODES.contains(&op) => {
                let [access] = segment.accesses[event.accesses()] else {
                    return Err(TraceError::Inconsistent(format!(
                        "{op:?} at {pc:#x} without one memory access"
                    )));
                };
                let operands = (rs1_value, rs2_value, instruction.imm);
                let (row, result) = load_store_row(clk, pc, op, operands, access, &mut lookups)?;
                load_store.push(row);
                result
            }
            Opcode::Ecall => {
                let record = ecalls.next().ok_or_else(unsupported)?.record;
                // A precompile's call goes to its chip; a0 is unchanged.
                if let Some(chip) = tables.precompile_chips.iter().position(|c| c.number == record.call) {
                    let words = tables.precompile_chips[chip].layout.words;
                    let accesses = &segment.accesses[event.accesses()];
                    let call = precompile_call(clk, pc, rs2_value, words, accesses, &mut lookups)?;
                    precompile_calls[chip].push(call);
                    rs2_value
                } else {
                    let (row, result) =
                        ecall_row(clk, pc, record.call, rs2_value, record.result, &mut lookups)
                            .ok_or_else(unsupported)?;
                    let stream = match record.call {
                        abi::READ_WORD => Some(&mut input_reads),
                        abi::COMMIT => Some(&mut output_commits),
                        _ => None,
                    };
                    if let Some(counts) = stream {
                        let index = row.position.as_canonical_u32() as usize;
                        if counts.len() <= index {
                            counts.resize(index + 1, 0);
                        }
                        counts[index] += 1;
                    }
                    ecall.push(row);
                    result
                }
            }
            _ => return Err(unsupported()),
        };
        let executed = if instruction.opcode == Opcode::Ecall { None } else { Some(step.rd_value) };
        if instruction.rd != 0 && executed.is_some_and(|executed| executed != rd_value) {
            return Err(TraceError::Mismatch { pc, computed: rd_value, executed: step.rd_value });
        }
        row.rd_value = bytes(rd_value);

        if rd_nonzero == 1 {
            let previous =
                lookups.access(REGISTER_SPACE, rd, rd_value, timestamp(clk, slot::RD), &mut row.rd_access);
            row.rd_prev_value = bytes(previous);
            let b = rd_value.to_le_bytes();
            lookups.bytes.add(ByteOperation::Range, b[0], b[1]);
            lookups.bytes.add(ByteOperation::Range, b[2], b[3]);
        }
        cpu.push(row);
    }

    let ram = ram_cells(segment, &lookups.tracker)?;
    let (ram_trace, byte_pairs) = ram_boundary_trace::<Val>(&ram, min_height(RAM_TABLE));
    for [a, b] in byte_pairs {
        lookups.bytes.add(ByteOperation::Range, a, b);
    }
    let end = BoundaryState {
        registers: std::array::from_fn(|r| lookups.tracker.state(REGISTER_SPACE, r as u32).value),
        input_position: lookups.tracker.state(REGISTER_SPACE, INPUT_POSITION).value,
        output_position: lookups.tracker.state(REGISTER_SPACE, OUTPUT_POSITION).value,
    };
    let mut cpu_public = vec![Val::from_u32(segment.start.pc), Val::from_u32(segment.end.pc)];
    cpu_public.extend(bytes(segment.exit_code.unwrap_or(0)));
    cpu_public.push(Val::from_bool(segment.exit_code.is_some()));
    let input_length = bytes(tables.io.input_length() as u32).to_vec();
    // In `MachineAir::chips` order (the shape check below refuses any other).
    let traces = vec![
        fetches.trace(program),
        padded(&cpu, min_height(CPU_TABLE)),
        padded(&alu, min_height(2)),
        padded(&branch, min_height(3)),
        padded(&jump, min_height(4)),
        padded(&mul, min_height(5)),
        padded(&divrem, min_height(6)),
        padded(&shift, min_height(7)),
        padded(&load_store, min_height(8)),
        padded(&ecall, min_height(ECALL_TABLE)),
        lookups.bytes.trace(),
        lookups.ranges.trace(),
        tables.io.trace(&input_reads, &output_commits),
        ram_trace,
        memory_merkle_trace(memory, min_height(MERKLE_TABLE)),
        register_boundary_trace(&start, &lookups.tracker),
    ];
    let mut traces = traces;
    for (k, (chip, calls)) in tables.precompile_chips.iter().zip(&precompile_calls).enumerate() {
        traces.push(
            precompile_trace(chip, calls, min_height(REGISTER_TABLE + 1 + k))
                .map_err(|message| TraceError::Precompile { name: chip.name().to_string(), message })?,
        );
    }
    if let Some(shape) = shape {
        for ((natural, &target), chip) in log_heights(&traces).into_iter().zip(shape).zip(&chips) {
            if natural != target {
                return Err(TraceError::Shape { chip: chip.name().to_string(), natural, target });
            }
        }
    }
    // Public values: the CPU's (pcs, exit code, halted), the ecall chip's (input length), the
    // Merkle chip's (memory roots) and the register boundary's (start and end registers and
    // stream positions).
    let mut public_values = vec![Vec::new(); traces.len()];
    public_values[CPU_TABLE] = cpu_public;
    public_values[ECALL_TABLE] = input_length;
    public_values[MERKLE_TABLE] = merkle_public_values(memory);
    public_values[REGISTER_TABLE] = register_public_values(&start, &end);
    Ok(SegmentTraces { traces, public_values })
}

/// The frame of one precompile call at cycle `clk` with pointer `pointer`, whose word accesses
/// are `accesses` (one per word, in order): each word's access goes through the memory
/// argument at `8 clk + 5`, and its pointer and output bytes are range-checked.
fn precompile_call(
    clk: u32,
    pc: u32,
    pointer: u32,
    words: usize,
    accesses: &[crate::executor::WordAccess],
    lookups: &mut Lookups,
) -> Result<PrecompileCall, TraceError> {
    if accesses.len() != words {
        let message = format!("precompile at {pc:#x} accessed {} words, not {words}", accesses.len());
        return Err(TraceError::Inconsistent(message));
    }
    let mut call =
        PrecompileCall { clk, pc, pointer, input: Vec::new(), output: Vec::new(), accesses: Vec::new() };
    let quarter = ((pointer & 0xff) / 4) as u8;
    lookups.bytes.add(ByteOperation::Range, quarter, quarter.wrapping_mul(4));
    for (i, access) in accesses.iter().enumerate() {
        if access.address != pointer.wrapping_add(4 * i as u32) {
            return Err(TraceError::Inconsistent(format!(
                "precompile at {pc:#x}: word {i} accessed out of order"
            )));
        }
        let mut columns = AccessColumns::default();
        let found = lookups.access(
            RAM_SPACE,
            access.address / 4,
            access.after,
            timestamp(clk, slot::RAM),
            &mut columns,
        );
        if found != access.before {
            return Err(TraceError::Inconsistent(format!(
                "precompile at {pc:#x}: word {:#x} held {found:#x}",
                access.address
            )));
        }
        let b = access.after.to_le_bytes();
        lookups.bytes.add(ByteOperation::Range, b[0], b[1]);
        lookups.bytes.add(ByteOperation::Range, b[2], b[3]);
        call.input.push(access.before);
        call.output.push(access.after);
        call.accesses.push(columns);
    }
    Ok(call)
}

/// The RAM boundary's cells: every word of every leaf the segment touched, by address, with
/// their initial and final states.
fn ram_cells(segment: &SegmentTrace, tracker: &MemoryTracker) -> Result<Vec<RamCell>, TraceError> {
    let mut cells = Vec::with_capacity(segment.leaves.len() * LEAF_WORDS as usize);
    for leaf in &segment.leaves {
        for j in 0..LEAF_WORDS as usize {
            let address = leaf.index * LEAF_WORDS + j as u32;
            let last = tracker.state(RAM_SPACE, address);
            if last.value != leaf.after[j] {
                let message = format!(
                    "word {:#x} ends at {:#x}, the leaf says {:#x}",
                    4 * address,
                    last.value,
                    leaf.after[j]
                );
                return Err(TraceError::Inconsistent(message));
            }
            cells.push(RamCell {
                address,
                initial: leaf.before[j],
                last: last.value,
                last_timestamp: last.timestamp,
            });
        }
    }
    Ok(cells)
}
