//! The interpreter loop: the one implementation of RV32IM semantics and of the guest ABI.

use std::sync::Arc;

use super::observer::{EcallRecord, Observer, Step, WordAccess};
use super::{ExecError, Executor, RegisterState, RunStatus};
use crate::abi;
use crate::isa::{DecodeError, Instruction, Opcode, decode, reg};

impl Executor {
    /// Executes up to `budget` instructions, reporting them to `observer`.
    ///
    /// On error the state is left at the faulting instruction (its pc, the registers before it).
    ///
    /// Never inlined: inlined into its callers, the loop was measured 2x slower (LLVM lays the
    /// dispatch out worse), 210 vs 450 M instructions/s on the loop guest.
    #[inline(never)]
    pub(super) fn interpret<O: Observer>(
        &mut self,
        budget: u64,
        observer: &mut O,
    ) -> Result<RunStatus, ExecError> {
        let program = Arc::clone(&self.program);
        let mut region = &program.code[0];
        let mut regs = self.state.regs;
        let mut pc = self.state.pc;
        let mut executed: u64 = 0;

        let outcome = loop {
            if executed == budget {
                break Ok(RunStatus::Paused);
            }
            // `pc` is always 4-byte aligned: the entry point is checked at load time and every
            // control transfer checks its target.
            let index = (pc.wrapping_sub(region.base) >> 2) as usize;
            let Some(&instruction) = region.instructions.get(index) else {
                match program.fetch_index(pc) {
                    Some((r, _)) => {
                        region = &program.code[r];
                        continue;
                    }
                    None => break Err(ExecError::FetchOutsideCode { pc }),
                }
            };
            observer.opcode(instruction.opcode);
            let Instruction { opcode, rd, rs1, rs2, imm } = instruction;
            let a = regs[usize::from(rs1 & 31)];
            let b = regs[usize::from(rs2 & 31)];
            let mut next_pc = pc.wrapping_add(4);

            // Each arm yields the value written to `rd`; instructions that write no register
            // were decoded with rd = x0, whose write is discarded below.
            use Opcode::*;
            let value = match opcode {
                Add => a.wrapping_add(b),
                Sub => a.wrapping_sub(b),
                Xor => a ^ b,
                Or => a | b,
                And => a & b,
                Slt => u32::from((a as i32) < (b as i32)),
                Sltu => u32::from(a < b),
                Sll => a << (b & 31),
                Srl => a >> (b & 31),
                Sra => ((a as i32) >> (b & 31)) as u32,
                Addi => a.wrapping_add(imm),
                Xori => a ^ imm,
                Ori => a | imm,
                Andi => a & imm,
                Slti => u32::from((a as i32) < (imm as i32)),
                Sltiu => u32::from(a < imm),
                Slli => a << (imm & 31),
                Srli => a >> (imm & 31),
                Srai => ((a as i32) >> (imm & 31)) as u32,
                Beq | Bne | Blt | Bge | Bltu | Bgeu => {
                    let taken = match opcode {
                        Beq => a == b,
                        Bne => a != b,
                        Blt => (a as i32) < (b as i32),
                        Bge => (a as i32) >= (b as i32),
                        Bltu => a < b,
                        _ => a >= b,
                    };
                    if taken {
                        next_pc = pc.wrapping_add(imm);
                        if next_pc & 3 != 0 {
                            break Err(ExecError::MisalignedJump { pc, target: next_pc });
                        }
                    }
                    0
                }
                Jal | Jalr => {
                    next_pc = if opcode == Jal { pc.wrapping_add(imm) } else { a.wrapping_add(imm) & !1 };
                    if next_pc & 3 != 0 {
                        break Err(ExecError::MisalignedJump { pc, target: next_pc });
                    }
                    pc.wrapping_add(4)
                }
                Lui => imm,
                Auipc => pc.wrapping_add(imm),
                Lb | Lh | Lw | Lbu | Lhu => {
                    let addr = a.wrapping_add(imm);
                    let width = match opcode {
                        Lw => 4,
                        Lh | Lhu => 2,
                        _ => 1,
                    };
                    if addr & (width - 1) != 0 {
                        break Err(ExecError::MisalignedLoad { pc, addr, width });
                    }
                    let word = self.memory.load_word(addr);
                    if O::TRACE {
                        observer.word_access(WordAccess { address: addr & !3, before: word, after: word });
                    }
                    let shifted = word >> (8 * (addr & 3));
                    match opcode {
                        Lw => word,
                        Lh => shifted as u16 as i16 as u32,
                        Lhu => shifted & 0xffff,
                        Lb => shifted as u8 as i8 as u32,
                        _ => shifted & 0xff,
                    }
                }
                Sb | Sh | Sw => {
                    let addr = a.wrapping_add(imm);
                    let width = match opcode {
                        Sw => 4,
                        Sh => 2,
                        _ => 1,
                    };
                    if addr & (width - 1) != 0 {
                        break Err(ExecError::MisalignedStore { pc, addr, width });
                    }
                    if opcode == Sw && !O::TRACE {
                        self.memory.store_word(addr, b);
                    } else {
                        let before = self.memory.load_word(addr);
                        let shift = 8 * (addr & 3);
                        let mask = if width == 4 { u32::MAX } else { ((1u32 << (8 * width)) - 1) << shift };
                        let after = (before & !mask) | ((b << shift) & mask);
                        self.memory.store_word(addr, after);
                        if O::TRACE {
                            observer.word_access(WordAccess { address: addr & !3, before, after });
                        }
                    }
                    0
                }
                Mul => a.wrapping_mul(b),
                Mulh => ((i64::from(a as i32) * i64::from(b as i32)) >> 32) as u32,
                Mulhsu => ((i64::from(a as i32) * i64::from(b)) >> 32) as u32,
                Mulhu => ((u64::from(a) * u64::from(b)) >> 32) as u32,
                // Division by zero and signed overflow follow the RISC-V specification: no trap.
                Div if b == 0 => u32::MAX,
                Div => (a as i32).wrapping_div(b as i32) as u32,
                Divu => a.checked_div(b).unwrap_or(u32::MAX),
                Rem if b == 0 => a,
                Rem => (a as i32).wrapping_rem(b as i32) as u32,
                Remu => a.checked_rem(b).unwrap_or(a),
                Fence => 0,
                Ecall => match self.ecall(pc, &mut regs, observer) {
                    Ok(None) => 0,
                    Ok(Some(exit_code)) => {
                        if O::TRACE {
                            let word = region.words[index];
                            let rd_value = 0;
                            observer.step(&Step {
                                pc,
                                next_pc: pc,
                                word,
                                instruction,
                                rs1_value: a,
                                rs2_value: b,
                                rd_value,
                            });
                        }
                        executed += 1;
                        self.exit_code = Some(exit_code);
                        break Ok(RunStatus::Halted(exit_code));
                    }
                    Err(error) => break Err(error),
                },
                Ebreak => break Err(ExecError::Breakpoint { pc }),
                Invalid => break Err(decode_failure(pc, region.words[index])),
            };
            regs[usize::from(rd & 31)] = value;
            regs[0] = 0;
            if O::TRACE {
                let rd_value = regs[usize::from(rd & 31)];
                let word = region.words[index];
                observer.step(&Step { pc, next_pc, word, instruction, rs1_value: a, rs2_value: b, rd_value });
            }
            pc = next_pc;
            executed += 1;
        };

        self.state = RegisterState { pc, regs };
        self.cycles += executed;
        outcome
    }

    /// Carries out an `ecall`. Returns the exit code if the guest halted.
    #[inline(never)]
    fn ecall<O: Observer>(
        &mut self,
        pc: u32,
        regs: &mut [u32; 32],
        observer: &mut O,
    ) -> Result<Option<u32>, ExecError> {
        let call = regs[usize::from(reg::T0)];
        let args = [regs[usize::from(reg::A0)], regs[usize::from(reg::A1)], regs[usize::from(reg::A2)]];
        let result = match call {
            abi::HALT => args[0],
            abi::WRITE => {
                let [fd, ptr, len] = args;
                if len > abi::MAX_WRITE_BYTES {
                    return Err(ExecError::WriteTooLong { pc, len });
                }
                check_buffer(pc, ptr, len)?;
                let bytes = self.memory.read_bytes(ptr, len as usize);
                let delivered = match fd {
                    abi::FD_STDOUT => self.io.stdout.write(&bytes),
                    abi::FD_STDERR => self.io.stderr.write(&bytes),
                    _ => return Err(ExecError::BadFileDescriptor { pc, fd }),
                };
                delivered.map_err(|e| ExecError::HostOutput(e.to_string()))?;
                args[0]
            }
            abi::READ_WORD => {
                let position = self.io.input_position;
                let Some(rest) = self.io.input.get(position..).filter(|rest| !rest.is_empty()) else {
                    return Err(ExecError::InputExhausted { pc, length: self.io.input.len() });
                };
                let mut word = [0u8; 4];
                let count = rest.len().min(4);
                word[..count].copy_from_slice(&rest[..count]);
                self.io.input_position += 4;
                u32::from_le_bytes(word)
            }
            abi::INPUT_LENGTH => self.io.input.len() as u32,
            abi::COMMIT => {
                let value = args[0];
                let byte = u8::try_from(value).map_err(|_| ExecError::NotAByte { pc, value })?;
                self.io.public_output.push(byte);
                value
            }
            number => match self.precompiles.get(number).map(|p| std::sync::Arc::clone(&p.precompile)) {
                Some(precompile) => {
                    self.run_precompile(pc, number, args[0], precompile.as_ref(), observer)?;
                    args[0]
                }
                None => return Err(ExecError::UnknownEcall { pc, number }),
            },
        };
        if O::TRACE {
            observer.ecall(EcallRecord { call, args, result });
        }
        if call == abi::HALT {
            return Ok(Some(result));
        }
        regs[usize::from(reg::A0)] = result;
        Ok(None)
    }
}

impl Executor {
    /// Applies `precompile` in place to the words at `ptr`, reporting each word's access.
    fn run_precompile<O: Observer>(
        &mut self,
        pc: u32,
        number: u32,
        ptr: u32,
        precompile: &dyn crate::precompile::Precompile,
        observer: &mut O,
    ) -> Result<(), ExecError> {
        let words = precompile.words();
        if !ptr.is_multiple_of(4) {
            let name = precompile.name().to_string();
            return Err(ExecError::MisalignedPrecompile { pc, number, name, ptr });
        }
        // The words must lie below 2^32 (the memory argument's word addresses stay below 2^30).
        check_buffer(pc, ptr, 4 * words as u32)?;
        let input: Vec<u32> = (0..words).map(|i| self.memory.load_word(ptr + 4 * i as u32)).collect();
        let output = precompile.compute(&input).map_err(|message| ExecError::PrecompileFailed {
            pc,
            name: precompile.name().to_string(),
            message,
        })?;
        if output.len() != words {
            let message = format!("returned {} words for {words}", output.len());
            return Err(ExecError::PrecompileFailed { pc, name: precompile.name().to_string(), message });
        }
        for (i, (&before, &after)) in input.iter().zip(&output).enumerate() {
            let address = ptr + 4 * i as u32;
            self.memory.store_word(address, after);
            if O::TRACE {
                observer.word_access(WordAccess { address, before, after });
            }
        }
        Ok(())
    }
}

fn check_buffer(pc: u32, ptr: u32, len: u32) -> Result<(), ExecError> {
    if u64::from(ptr) + u64::from(len) > 1 << 32 {
        return Err(ExecError::BufferOutOfRange { pc, ptr, len });
    }
    Ok(())
}

fn decode_failure(pc: u32, word: u32) -> ExecError {
    match decode(word) {
        Err(DecodeError::Unimp) => ExecError::Unimp { pc },
        Err(DecodeError::Csr(word)) => ExecError::CsrInstruction { pc, word },
        Err(DecodeError::Illegal(_)) | Ok(_) => ExecError::IllegalInstruction { pc, word },
    }
}
