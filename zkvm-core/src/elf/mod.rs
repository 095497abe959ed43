//! Loading RV32 ELF executables into a [`Program`].
//!
//! Only what the machine needs is read: the file header and the `PT_LOAD` program headers. Every
//! offset and size is bounds-checked; a malformed file gives an [`ElfError`], never a panic.

mod writer;

pub use writer::ElfWriter;

use thiserror::Error;

use crate::isa::{Instruction, decode};

/// ELF machine number of RISC-V.
pub const EM_RISCV: u16 = 243;
/// `e_flags` bit saying the file may contain compressed (RVC) instructions.
pub const EF_RISCV_RVC: u32 = 1;
/// Program header type of a loadable segment.
pub const PT_LOAD: u32 = 1;
/// Segment flag: executable.
pub const PF_X: u32 = 1;
/// Segment flag: writable.
pub const PF_W: u32 = 2;
/// Segment flag: readable.
pub const PF_R: u32 = 4;

const EHDR_SIZE: usize = 52;
const PHDR_SIZE: usize = 32;

/// Why a byte string is not an executable this machine can load.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ElfError {
    /// The file is shorter than the structure being read at `offset`.
    #[error("truncated ELF: {what} at byte {offset} runs past the end of the {len}-byte file")]
    Truncated {
        /// Which structure was being read.
        what: &'static str,
        /// Where it starts in the file.
        offset: u64,
        /// Length of the file.
        len: usize,
    },
    /// The first four bytes are not `\x7fELF`.
    #[error("not an ELF file (bad magic number)")]
    BadMagic,
    /// The file is a 64-bit ELF; the machine runs RV32 only.
    #[error("64-bit ELF: the machine runs 32-bit RISC-V (RV32IM) programs only")]
    Elf64,
    /// The ELF class byte is neither 32-bit nor 64-bit.
    #[error("invalid ELF class {0}")]
    BadClass(u8),
    /// The file is big-endian (or has an invalid data encoding); RISC-V is little-endian.
    #[error("big-endian or unknown data encoding ({0}): RISC-V programs are little-endian")]
    NotLittleEndian(u8),
    /// The file targets another architecture.
    #[error("ELF machine {0} is not RISC-V ({EM_RISCV})")]
    NotRiscV(u16),
    /// The file is not an executable (`ET_EXEC`), e.g. an object file or a shared library.
    #[error("ELF type {0} is not an executable (ET_EXEC = 2)")]
    NotExecutable(u16),
    /// The file was compiled for compressed instructions, which the machine does not execute.
    #[error("ELF flags {0:#x} ask for compressed (RVC) instructions: build for rv32im without C")]
    Compressed(u32),
    /// The program header entry size is not the RV32 size (32 bytes).
    #[error("program header entry size {0} is not 32")]
    BadProgramHeaderSize(u16),
    /// A loadable segment's file size exceeds its memory size.
    #[error("segment {index}: file size {file_size:#x} exceeds memory size {mem_size:#x}")]
    FileSizeExceedsMemSize {
        /// Index of the program header.
        index: usize,
        /// `p_filesz`.
        file_size: u32,
        /// `p_memsz`.
        mem_size: u32,
    },
    /// A loadable segment extends past the end of the 32-bit address space.
    #[error("segment {index}: {vaddr:#x} + {mem_size:#x} runs past the 32-bit address space")]
    AddressOverflow {
        /// Index of the program header.
        index: usize,
        /// `p_vaddr`.
        vaddr: u32,
        /// `p_memsz`.
        mem_size: u32,
    },
    /// Two loadable segments overlap in memory.
    #[error("segments {first} and {second} overlap in memory")]
    OverlappingSegments {
        /// Index of one program header.
        first: usize,
        /// Index of the other.
        second: usize,
    },
    /// An executable segment does not start on a 4-byte boundary.
    #[error("executable segment {index} starts at {vaddr:#x}, not a multiple of 4")]
    MisalignedCode {
        /// Index of the program header.
        index: usize,
        /// `p_vaddr`.
        vaddr: u32,
    },
    /// The file has no executable loadable segment.
    #[error("no executable PT_LOAD segment")]
    NoCode,
    /// The entry point is not a 4-byte aligned address inside an executable segment.
    #[error("entry point {0:#x} is not an aligned address inside an executable segment")]
    BadEntry(u32),
}

/// One `PT_LOAD` segment: `data` is placed at `vaddr`, followed by zeros up to `mem_size` bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadSegment {
    /// First address of the segment.
    pub vaddr: u32,
    /// Size in memory; bytes past `data.len()` are zero.
    pub mem_size: u32,
    /// The bytes from the file (`p_filesz` of them).
    pub data: Vec<u8>,
    /// `PF_*` flags.
    pub flags: u32,
}

impl LoadSegment {
    /// Whether instructions may be fetched from this segment.
    pub fn is_executable(&self) -> bool {
        self.flags & PF_X != 0
    }

    /// One past the last address (as a 64-bit number, since it may be 2^32).
    pub fn end(&self) -> u64 {
        u64::from(self.vaddr) + u64::from(self.mem_size)
    }
}

/// A contiguous range of executable words, decoded once at load time.
///
/// Instruction fetch reads from these regions only, never from data memory: the program is fixed
/// when it is loaded (stores into a code address change memory but not what is fetched).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRegion {
    /// Address of the first word.
    pub base: u32,
    /// The raw instruction words.
    pub words: Vec<u32>,
    /// `words` decoded; a word that does not decode is [`Instruction::INVALID`].
    pub instructions: Vec<Instruction>,
}

impl CodeRegion {
    /// One past the last address, as a 64-bit number.
    pub fn end(&self) -> u64 {
        u64::from(self.base) + 4 * self.words.len() as u64
    }

    /// The index of the word at `pc`, if `pc` is an aligned address inside this region.
    pub fn index_of(&self, pc: u32) -> Option<usize> {
        let offset = pc.wrapping_sub(self.base);
        let index = (offset / 4) as usize;
        (offset.is_multiple_of(4) && index < self.words.len()).then_some(index)
    }
}

/// A loaded program: its entry point, its memory image and its decoded code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Address of the first instruction.
    pub entry: u32,
    /// The loadable segments, sorted by address.
    pub segments: Vec<LoadSegment>,
    /// The executable segments, decoded, sorted by address.
    pub code: Vec<CodeRegion>,
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn slice(&self, offset: u64, len: u64, what: &'static str) -> Result<&[u8], ElfError> {
        let truncated = ElfError::Truncated { what, offset, len: self.bytes.len() };
        let end = offset.checked_add(len).ok_or(truncated.clone())?;
        if end > self.bytes.len() as u64 {
            return Err(truncated);
        }
        Ok(&self.bytes[offset as usize..end as usize])
    }
    fn u16(&self, offset: u64) -> u16 {
        let b = &self.bytes[offset as usize..];
        u16::from_le_bytes([b[0], b[1]])
    }
    fn u32(&self, offset: u64) -> u32 {
        let b = &self.bytes[offset as usize..];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

impl Program {
    /// Parses an RV32 little-endian executable.
    pub fn from_elf(bytes: &[u8]) -> Result<Program, ElfError> {
        let reader = Reader { bytes };
        if bytes.len() < 4 || bytes[..4] != *b"\x7fELF" {
            return Err(if bytes.len() < 4 && b"\x7fELF".starts_with(bytes) {
                ElfError::Truncated { what: "ELF header", offset: 0, len: bytes.len() }
            } else {
                ElfError::BadMagic
            });
        }
        // Class and data encoding first, so that a 64-bit or big-endian file is named as such.
        let class = *bytes.get(4).ok_or(ElfError::Truncated { what: "ELF header", offset: 0, len: 4 })?;
        match class {
            1 => {}
            2 => return Err(ElfError::Elf64),
            other => return Err(ElfError::BadClass(other)),
        }
        let data = *bytes.get(5).ok_or(ElfError::Truncated { what: "ELF header", offset: 0, len: 5 })?;
        if data != 1 {
            return Err(ElfError::NotLittleEndian(data));
        }
        reader.slice(0, EHDR_SIZE as u64, "ELF header")?;
        let e_type = reader.u16(16);
        let machine = reader.u16(18);
        if machine != EM_RISCV {
            return Err(ElfError::NotRiscV(machine));
        }
        if e_type != 2 {
            return Err(ElfError::NotExecutable(e_type));
        }
        let entry = reader.u32(24);
        let phoff = u64::from(reader.u32(28));
        let flags = reader.u32(36);
        if flags & EF_RISCV_RVC != 0 {
            return Err(ElfError::Compressed(flags));
        }
        let phentsize = reader.u16(42);
        let phnum = u64::from(reader.u16(44));
        if phnum > 0 && usize::from(phentsize) != PHDR_SIZE {
            return Err(ElfError::BadProgramHeaderSize(phentsize));
        }
        reader.slice(phoff, phnum * PHDR_SIZE as u64, "program header table")?;

        let mut segments = Vec::new();
        let mut indices = Vec::new();
        for index in 0..phnum as usize {
            let ph = phoff + (index * PHDR_SIZE) as u64;
            if reader.u32(ph) != PT_LOAD {
                continue;
            }
            let (offset, vaddr) = (reader.u32(ph + 4), reader.u32(ph + 8));
            let (file_size, mem_size, seg_flags) =
                (reader.u32(ph + 16), reader.u32(ph + 20), reader.u32(ph + 24));
            if file_size > mem_size {
                return Err(ElfError::FileSizeExceedsMemSize { index, file_size, mem_size });
            }
            if u64::from(vaddr) + u64::from(mem_size) > 1 << 32 {
                return Err(ElfError::AddressOverflow { index, vaddr, mem_size });
            }
            if mem_size == 0 {
                continue;
            }
            let data = reader.slice(u64::from(offset), u64::from(file_size), "segment data")?.to_vec();
            if seg_flags & PF_X != 0 && !vaddr.is_multiple_of(4) {
                return Err(ElfError::MisalignedCode { index, vaddr });
            }
            segments.push(LoadSegment { vaddr, mem_size, data, flags: seg_flags });
            indices.push(index);
        }
        let mut order: Vec<usize> = (0..segments.len()).collect();
        order.sort_by_key(|&i| segments[i].vaddr);
        for pair in order.windows(2) {
            if segments[pair[0]].end() > u64::from(segments[pair[1]].vaddr) {
                return Err(ElfError::OverlappingSegments {
                    first: indices[pair[0]],
                    second: indices[pair[1]],
                });
            }
        }
        let segments: Vec<LoadSegment> = order.into_iter().map(|i| segments[i].clone()).collect();
        let code: Vec<CodeRegion> =
            segments.iter().filter(|s| s.is_executable()).map(Self::decode_segment).collect();
        if code.is_empty() {
            return Err(ElfError::NoCode);
        }
        if !code.iter().any(|region| region.index_of(entry).is_some()) {
            return Err(ElfError::BadEntry(entry));
        }
        Ok(Program { entry, segments, code })
    }

    fn decode_segment(segment: &LoadSegment) -> CodeRegion {
        // Code is the segment's file bytes, padded with zeros to a whole word. The zero-filled
        // tail up to `mem_size` is not code (a zero word is not an instruction anyway), which
        // keeps decoding bounded by the file size whatever `p_memsz` claims.
        let num_words = segment.data.len().div_ceil(4);
        let words: Vec<u32> = (0..num_words)
            .map(|i| {
                let mut word = [0u8; 4];
                for (k, byte) in word.iter_mut().enumerate() {
                    *byte = segment.data.get(4 * i + k).copied().unwrap_or(0);
                }
                u32::from_le_bytes(word)
            })
            .collect();
        let instructions = words.iter().map(|&w| decode(w).unwrap_or(Instruction::INVALID)).collect();
        CodeRegion { base: segment.vaddr, words, instructions }
    }

    /// The code region containing the aligned address `pc`, with the word's index in it.
    pub fn fetch_index(&self, pc: u32) -> Option<(usize, usize)> {
        self.code.iter().enumerate().find_map(|(r, region)| region.index_of(pc).map(|i| (r, i)))
    }

    /// Total number of instruction words in the program.
    pub fn code_len(&self) -> usize {
        self.code.iter().map(|r| r.words.len()).sum()
    }
}
