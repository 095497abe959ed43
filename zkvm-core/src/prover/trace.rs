//! From a segment's execution events to the traces of every chip.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;
use zkvm_bus::ByteOperation;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_memory::register_boundary::{public_values as register_public_values, register_boundary_trace};
use zkvm_memory::{MemoryTracker, REGISTER_SPACE, fill_access, slot, timestamp};

use super::Val;
use crate::abi;
use crate::chips::alu::{ALU_OPCODES, AluColumns};
use crate::chips::branch::{BRANCH_OPCODES, BranchColumns};
use crate::chips::byte_table::ByteCounts;
use crate::chips::cpu::CpuColumns;
use crate::chips::ecall::EcallColumns;
use crate::chips::jump::{JUMP_OPCODES, JumpColumns};
use crate::chips::mul::{MUL_OPCODES, MulColumns};
use crate::chips::program::{FetchCounts, ProgramChip, fetch_row};
use crate::chips::range16::Range16Counts;
use crate::chips::shift::{SHIFT_OPCODES, ShiftColumns};
use crate::executor::SegmentTrace;
use crate::isa::Opcode;

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
    /// The segment does not end with HALT (single-segment proofs must).
    #[error("the segment does not halt")]
    NotHalted,
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
    /// The segment is longer than the memory argument's timestamps allow.
    #[error("the segment has {0} cycles, above the limit of {max}", max = zkvm_memory::MAX_SEGMENT_CYCLES)]
    TooLong(usize),
}

/// The main traces of every chip (in [`MachineAir::chips`](super::MachineAir::chips) order) and
/// the public values of each.
pub struct SegmentTraces {
    /// One main trace per chip.
    pub traces: Vec<RowMajorMatrix<Val>>,
    /// One list of public values per chip.
    pub public_values: Vec<Vec<Val>>,
}

fn bytes(value: u32) -> [Val; 4] {
    value.to_le_bytes().map(Val::from_u8)
}

/// Rows padded with zero rows to a power of two (at least 4).
fn padded<C: Columns<Val> + Copy>(rows: &[C]) -> RowMajorMatrix<Val> {
    let width = C::WIDTH;
    let height = rows.len().next_power_of_two().max(4);
    let mut trace = RowMajorMatrix::new(vec![Val::ZERO; height * width], width);
    for (cells, row) in trace.values.chunks_exact_mut(width).zip(rows) {
        *borrow_mut::<Val, C>(cells) = *row;
    }
    trace
}

/// Builds every chip's trace for `segment` of the program whose table is `program`.
pub fn generate_traces(program: &ProgramChip, segment: &SegmentTrace) -> Result<SegmentTraces, TraceError> {
    if segment.cycles.len() as u64 > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(TraceError::TooLong(segment.cycles.len()));
    }
    let exit_code = segment.exit_code.ok_or(TraceError::NotHalted)?;
    let start = segment.start.regs;
    let mut tracker = MemoryTracker::new((0..32).map(|r| ((REGISTER_SPACE, r), start[r as usize])));
    let mut bytes_used = ByteCounts::default();
    let mut ranges = Range16Counts::default();
    let mut fetches = FetchCounts::new(program);
    let (mut cpu, mut alu, mut branch, mut jump, mut mul, mut shift, mut ecall) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());

    let mut ecalls = segment.ecalls.iter().peekable();
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
        let mut read = |register: u32, slot: u32, access: &mut zkvm_memory::AccessColumns<Val>| {
            let ts = timestamp(clk, slot);
            let value = tracker.state(REGISTER_SPACE, register).value;
            let previous = tracker.access(REGISTER_SPACE, register, value, ts);
            let (lo, hi) = fill_access(access, previous.timestamp, ts);
            ranges.add(lo);
            bytes_used.add(ByteOperation::Range, hi as u8, 0);
            value
        };
        let rs1_value = read(rs1, slot::RS1, &mut row.rs1_access);
        let rs2_value = read(rs2, slot::RS2, &mut row.rs2_access);
        row.rs1_value = bytes(rs1_value);
        row.rs2_value = bytes(rs2_value);

        // The result, and the family chip's row.
        let rd_value = match instruction.opcode {
            op if ALU_OPCODES.contains(&op) => {
                let imm = instruction.imm;
                let is_imm = matches!(op, Opcode::Addi | Opcode::Xori | Opcode::Ori | Opcode::Andi);
                let operand = if is_imm { imm } else { rs2_value };
                let mut columns = AluColumns::<Val> {
                    clk: Val::from_u32(clk),
                    pc: Val::from_u32(pc),
                    rs1: bytes(rs1_value),
                    rs2: bytes(rs2_value),
                    imm: bytes(imm),
                    rd: bytes(step.rd_value),
                    ..Default::default()
                };
                columns.selector[ALU_OPCODES.iter().position(|o| *o == op).expect("ALU opcode")] = Val::ONE;
                let result = match op {
                    Opcode::Add | Opcode::Addi => rs1_value.wrapping_add(operand),
                    Opcode::Sub => rs1_value.wrapping_sub(operand),
                    Opcode::Xor | Opcode::Xori => rs1_value ^ operand,
                    Opcode::Or | Opcode::Ori => rs1_value | operand,
                    _ => rs1_value & operand,
                };
                // Carries of rs1 + operand (add) or of rd + rs2 (sub).
                let (x, y) = match op {
                    Opcode::Sub => (result, operand),
                    _ => (rs1_value, operand),
                };
                if matches!(op, Opcode::Add | Opcode::Addi | Opcode::Sub) {
                    columns.carry = carries(x, y, 0).map(Val::from_u32);
                }
                if let Some(byte_op) = match op {
                    Opcode::Xor | Opcode::Xori => Some(ByteOperation::Xor),
                    Opcode::Or | Opcode::Ori => Some(ByteOperation::Or),
                    Opcode::And | Opcode::Andi => Some(ByteOperation::And),
                    _ => None,
                } {
                    for i in 0..4 {
                        bytes_used.add(byte_op, (rs1_value >> (8 * i)) as u8, (operand >> (8 * i)) as u8);
                    }
                }
                columns.rd = bytes(result);
                alu.push(columns);
                result
            }
            op if BRANCH_OPCODES.contains(&op) => {
                let (row, result) =
                    branch_row(clk, pc, op, rs1_value, rs2_value, instruction.imm, &mut bytes_used);
                branch.push(row);
                result
            }
            op if MUL_OPCODES.contains(&op) => {
                let (row, result) = mul_row(clk, pc, op, rs1_value, rs2_value, &mut bytes_used, &mut ranges);
                mul.push(row);
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
                    &mut bytes_used,
                    &mut ranges,
                );
                shift.push(row);
                result
            }
            op if JUMP_OPCODES.contains(&op) => {
                let (row, result) = jump_row(clk, pc, op, rs1_value, instruction.imm, &mut bytes_used);
                jump.push(row);
                result
            }
            Opcode::Ecall => {
                let record = ecalls.next().ok_or_else(unsupported)?;
                if record.record.call != abi::HALT {
                    return Err(unsupported());
                }
                ecall.push(EcallColumns::<Val> {
                    clk: Val::from_u32(clk),
                    pc: Val::from_u32(pc),
                    a0: bytes(rs2_value),
                    is_halt: Val::ONE,
                });
                rs2_value
            }
            _ => return Err(unsupported()),
        };
        if instruction.opcode != Opcode::Ecall && instruction.rd != 0 && rd_value != step.rd_value {
            return Err(TraceError::Mismatch { pc, computed: rd_value, executed: step.rd_value });
        }
        row.rd_value = bytes(rd_value);

        if rd_nonzero == 1 {
            let ts = timestamp(clk, slot::RD);
            let previous = tracker.access(REGISTER_SPACE, rd, rd_value, ts);
            row.rd_prev_value = bytes(previous.value);
            let (lo, hi) = fill_access(&mut row.rd_access, previous.timestamp, ts);
            ranges.add(lo);
            bytes_used.add(ByteOperation::Range, hi as u8, 0);
            let b = rd_value.to_le_bytes();
            bytes_used.add(ByteOperation::Range, b[0], b[1]);
            bytes_used.add(ByteOperation::Range, b[2], b[3]);
        }
        cpu.push(row);
    }

    let end = std::array::from_fn(|r| tracker.state(REGISTER_SPACE, r as u32).value);
    let mut cpu_public = vec![Val::from_u32(segment.start.pc), Val::from_u32(segment.end.pc)];
    cpu_public.extend(bytes(exit_code));
    let traces = vec![
        fetches.trace(program),
        padded(&cpu),
        padded(&alu),
        padded(&branch),
        padded(&jump),
        padded(&mul),
        padded(&shift),
        padded(&ecall),
        bytes_used.trace(),
        ranges.trace(),
        register_boundary_trace(&start, &tracker),
    ];
    // Public values: the CPU's (pcs and exit code) and the register boundary's (start and end
    // registers, the last table); the other chips have none.
    let mut public_values = vec![Vec::new(); traces.len()];
    public_values[1] = cpu_public;
    public_values[traces.len() - 1] = register_public_values(&start, &end);
    Ok(SegmentTraces { traces, public_values })
}

/// The jump chip's row for `op` at `pc`, and the value written to rd; records its byte queries.
fn jump_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    imm: u32,
    queries: &mut ByteCounts,
) -> (JumpColumns<Val>, u32) {
    let base = if op == Opcode::Jalr { rs1 } else { pc };
    let sum = base.wrapping_add(imm);
    let link = pc.wrapping_add(4);
    let result = match op {
        Opcode::Jal | Opcode::Jalr => link,
        Opcode::Lui => imm,
        _ => sum,
    };
    let mut row = JumpColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        pc_bytes: bytes(pc),
        rs1: bytes(rs1),
        imm: bytes(imm),
        rd: bytes(result),
        ..Default::default()
    };
    match op {
        Opcode::Jal => row.is_jal = Val::ONE,
        Opcode::Jalr => row.is_jalr = Val::ONE,
        Opcode::Lui => row.is_lui = Val::ONE,
        _ => row.is_auipc = Val::ONE,
    }
    let (p, s) = (pc.to_le_bytes(), sum.to_le_bytes());
    queries.add(ByteOperation::Range, p[0], p[1]);
    queries.add(ByteOperation::Range, p[2], p[3]);
    queries.add(ByteOperation::LessThan, p[3], crate::chips::jump::PC_TOP_BYTE_LIMIT);
    if op != Opcode::Lui {
        row.sum = bytes(sum);
        row.sum_carry = carries(base, imm, 0).map(Val::from_u32);
        queries.add(ByteOperation::Range, s[0], s[1]);
        queries.add(ByteOperation::Range, s[2], s[3]);
    }
    if matches!(op, Opcode::Jal | Opcode::Jalr) {
        row.link_carry = carries(pc, 4, 0).map(Val::from_u32);
        queries.add(ByteOperation::LessThan, s[3], crate::chips::jump::PC_TOP_BYTE_LIMIT);
    }
    if op == Opcode::Jalr {
        row.sum_bit0 = Val::from_u32(sum & 1);
        row.sum_half0 = Val::from_u32((sum & 0xff) >> 1);
        queries.add(ByteOperation::Range, ((sum & 0xff) >> 1) as u8, 0);
    }
    (row, result)
}

/// The carries out of each byte of the 32-bit sum `x + y + carry_in`.
fn carries(x: u32, y: u32, carry_in: u32) -> [u32; 4] {
    let mut carry = carry_in;
    std::array::from_fn(|i| {
        let sum = (x >> (8 * i) & 0xff) + (y >> (8 * i) & 0xff) + carry;
        carry = sum >> 8;
        carry
    })
}

/// The branch chip's row for `op`, and the value written to rd (the comparison result; 0 for
/// branches, which write no register); records its byte queries.
fn branch_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    rs2: u32,
    imm: u32,
    queries: &mut ByteCounts,
) -> (BranchColumns<Val>, u32) {
    let operand = if matches!(op, Opcode::Slti | Opcode::Sltiu) { imm } else { rs2 };
    let diff = rs1.wrapping_sub(operand);
    let less_unsigned = rs1 < operand;
    let less_signed = (rs1 as i32) < (operand as i32);
    let equal = rs1 == operand;
    let taken = match op {
        Opcode::Beq => equal,
        Opcode::Bne => !equal,
        Opcode::Blt => less_signed,
        Opcode::Bge => !less_signed,
        Opcode::Bltu => less_unsigned,
        Opcode::Bgeu => !less_unsigned,
        _ => false,
    };
    let result = match op {
        Opcode::Slt | Opcode::Slti => u32::from(less_signed),
        Opcode::Sltu | Opcode::Sltiu => u32::from(less_unsigned),
        _ => 0,
    };
    let diff_sum: u32 = diff.to_le_bytes().iter().map(|&b| u32::from(b)).sum();
    let mut row = BranchColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1),
        rs2: bytes(rs2),
        imm: bytes(imm),
        diff: bytes(diff),
        carry: carries(operand, diff, 0).map(Val::from_u32),
        sign1: Val::from_u32(rs1 >> 31),
        sign2: Val::from_u32(operand >> 31),
        less_signed: Val::from_bool(less_signed),
        equal: Val::from_bool(equal),
        diff_sum_inverse: if diff_sum == 0 { Val::ZERO } else { Val::from_u32(diff_sum).inverse() },
        taken: Val::from_bool(taken),
        ..Default::default()
    };
    row.selector[BRANCH_OPCODES.iter().position(|o| *o == op).expect("branch opcode")] = Val::ONE;
    let d = diff.to_le_bytes();
    queries.add(ByteOperation::Range, d[0], d[1]);
    queries.add(ByteOperation::Range, d[2], d[3]);
    queries.add(ByteOperation::LessThan, 127, (rs1 >> 24) as u8);
    queries.add(ByteOperation::LessThan, 127, (operand >> 24) as u8);
    (row, result)
}

/// The multiply chip's row for `op`, and the value written to rd; records its lookups.
fn mul_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    b: u32,
    c: u32,
    queries: &mut ByteCounts,
    ranges: &mut Range16Counts,
) -> (MulColumns<Val>, u32) {
    let signed_b = matches!(op, Opcode::Mulh | Opcode::Mulhsu);
    let signed_c = op == Opcode::Mulh;
    let extend = |v: u32, signed: bool| -> [u32; 8] {
        let high = if signed && v >> 31 == 1 { 0xff } else { 0 };
        std::array::from_fn(|i| if i < 4 { v >> (8 * i) & 0xff } else { high })
    };
    let (b_ext, c_ext) = (extend(b, signed_b), extend(c, signed_c));
    let (product, carry) = schoolbook::<8>(&b_ext, &c_ext, &[]);
    let low = product[..4].iter().rev().fold(0u32, |acc, &p| acc << 8 | p);
    let high = product[4..].iter().rev().fold(0u32, |acc, &p| acc << 8 | p);
    let result = if op == Opcode::Mul { low } else { high };
    let mut row = MulColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        b: bytes(b),
        c: bytes(c),
        sign_b: Val::from_u32(b >> 31),
        sign_c: Val::from_u32(c >> 31),
        b_high: Val::from_u32(b_ext[4]),
        c_high: Val::from_u32(c_ext[4]),
        product: product.map(Val::from_u32),
        carry: carry.map(Val::from_u32),
        ..Default::default()
    };
    match op {
        Opcode::Mul => row.is_mul = Val::ONE,
        Opcode::Mulh => row.is_mulh = Val::ONE,
        Opcode::Mulhsu => row.is_mulhsu = Val::ONE,
        _ => row.is_mulhu = Val::ONE,
    }
    for pair in product.chunks(2) {
        queries.add(ByteOperation::Range, pair[0] as u8, pair[1] as u8);
    }
    for &k in &carry {
        ranges.add(k);
    }
    queries.add(ByteOperation::LessThan, 127, (b >> 24) as u8);
    queries.add(ByteOperation::LessThan, 127, (c >> 24) as u8);
    (row, result)
}

/// The shift chip's row for `op`, and the value written to rd; records its lookups.
#[allow(clippy::too_many_arguments)]
fn shift_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    rs2: u32,
    imm: u32,
    queries: &mut ByteCounts,
    ranges: &mut Range16Counts,
) -> (ShiftColumns<Val>, u32) {
    let operand = if matches!(op, Opcode::Slli | Opcode::Srli | Opcode::Srai) { imm } else { rs2 };
    let amount = operand & 31;
    let pow = 1u32 << amount;
    let left = matches!(op, Opcode::Sll | Opcode::Slli);
    let negate = matches!(op, Opcode::Sra | Opcode::Srai) && rs1 >> 31 == 1;
    let result = match op {
        Opcode::Sll | Opcode::Slli => rs1 << amount,
        Opcode::Srl | Opcode::Srli => rs1 >> amount,
        _ => ((rs1 as i32) >> amount) as u32,
    };
    let mut row = ShiftColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1),
        rs2: bytes(rs2),
        imm: bytes(imm),
        rd: bytes(result),
        amount_bit: std::array::from_fn(|i| Val::from_u32(amount >> i & 1)),
        amount_rest: Val::from_u32((operand & 0xff) >> 5),
        pow_low_partial: Val::from_u32(1 << (amount & 3)),
        pow_low: Val::from_u32(1 << (amount & 7)),
        pow: bytes(pow),
        msb: Val::from_u32(rs1 >> 31),
        negate: Val::from_bool(negate),
        ..Default::default()
    };
    row.selector[SHIFT_OPCODES.iter().position(|o| *o == op).expect("shift opcode")] = Val::ONE;
    queries.add(ByteOperation::Range, ((operand & 0xff) >> 5) as u8, 0);
    queries.add(ByteOperation::LessThan, 127, (rs1 >> 24) as u8);
    let pow_bytes = pow.to_le_bytes().map(u32::from);
    let mut product_carries = [0u32; 8];
    if left {
        let (_, low_carries) = schoolbook::<4>(&rs1.to_le_bytes().map(u32::from), &pow_bytes, &[]);
        product_carries[..4].copy_from_slice(&low_carries);
    } else {
        let b_prime = if negate { !rs1 } else { rs1 };
        let quotient = b_prime >> amount;
        let remainder = b_prime & (pow - 1);
        let slack = pow - 1 - remainder;
        let (q, r) = (quotient.to_le_bytes().map(u32::from), remainder.to_le_bytes().map(u32::from));
        let (product, right_carries) = schoolbook::<8>(&q, &pow_bytes, &r);
        debug_assert_eq!(product, std::array::from_fn(|k| if k < 4 { b_prime >> (8 * k) & 0xff } else { 0 }));
        product_carries = right_carries;
        row.quotient = bytes(quotient);
        row.remainder = bytes(remainder);
        row.slack = bytes(slack);
        row.slack_carry = carries(remainder, slack, 1).map(Val::from_u32);
        for value in [quotient, remainder, slack] {
            let v = value.to_le_bytes();
            queries.add(ByteOperation::Range, v[0], v[1]);
            queries.add(ByteOperation::Range, v[2], v[3]);
        }
    }
    row.product_carry = product_carries.map(Val::from_u32);
    for &k in &product_carries {
        ranges.add(k);
    }
    (row, result)
}

/// Bytes and carries of the byte-wise product `x * y + addend` truncated to `N` bytes, as the
/// multiply and shift chips constrain it: `sum_{i+j=k} x[i] y[j] + addend[k] + carry[k-1] =
/// byte[k] + 256 carry[k]`.
fn schoolbook<const N: usize>(x: &[u32], y: &[u32], addend: &[u32]) -> ([u32; N], [u32; N]) {
    let (mut bytes, mut carries) = ([0u32; N], [0u32; N]);
    let mut carry = 0;
    for k in 0..N {
        let products: u32 =
            (0..=k).filter(|&i| i < x.len() && k - i < y.len()).map(|i| x[i] * y[k - i]).sum();
        let sum = products + addend.get(k).copied().unwrap_or(0) + carry;
        bytes[k] = sum & 0xff;
        carry = sum >> 8;
        carries[k] = carry;
    }
    (bytes, carries)
}
