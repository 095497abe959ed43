//! A minimal ELF32 writer, for programs assembled in code (tests, generated programs).

use super::{EHDR_SIZE, EM_RISCV, PHDR_SIZE, PT_LOAD};
use crate::memory::PAGE_SIZE;

/// Builds a little-endian RV32 `ET_EXEC` file with one program header per segment.
#[derive(Clone, Debug, Default)]
pub struct ElfWriter {
    entry: u32,
    segments: Vec<(u32, Vec<u8>, u32, u32)>,
}

impl ElfWriter {
    /// Starts a file whose entry point is `entry`.
    pub fn new(entry: u32) -> Self {
        ElfWriter { entry, segments: Vec::new() }
    }

    /// Adds a `PT_LOAD` segment with `data` at `vaddr`, `mem_size` bytes in memory (at least
    /// `data.len()`), and `PF_*` `flags`.
    pub fn segment(mut self, vaddr: u32, data: Vec<u8>, mem_size: u32, flags: u32) -> Self {
        self.segments.push((vaddr, data, mem_size, flags));
        self
    }

    /// Adds an executable segment holding `words` at `vaddr`.
    pub fn code(self, vaddr: u32, words: &[u32]) -> Self {
        let data: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let size = data.len() as u32;
        self.segment(vaddr, data, size, super::PF_R | super::PF_X)
    }

    /// Serialises the file.
    pub fn build(&self) -> Vec<u8> {
        let phnum = self.segments.len();
        let mut out = vec![0u8; EHDR_SIZE + PHDR_SIZE * phnum];
        out[..4].copy_from_slice(b"\x7fELF");
        out[4] = 1; // ELFCLASS32
        out[5] = 1; // little-endian
        out[6] = 1; // EV_CURRENT
        put16(&mut out, 16, 2); // ET_EXEC
        put16(&mut out, 18, EM_RISCV);
        put32(&mut out, 20, 1);
        put32(&mut out, 24, self.entry);
        put32(&mut out, 28, EHDR_SIZE as u32);
        put16(&mut out, 40, EHDR_SIZE as u16);
        put16(&mut out, 42, PHDR_SIZE as u16);
        put16(&mut out, 44, phnum as u16);
        put16(&mut out, 46, 40); // e_shentsize: no section headers, but loaders check the size
        for (i, (vaddr, data, mem_size, flags)) in self.segments.iter().enumerate() {
            // Keep file offset and address congruent modulo the page size, as Linux and
            // qemu-user require of a loadable segment.
            let page = PAGE_SIZE as u32;
            let pad = (vaddr % page).wrapping_sub(out.len() as u32 % page) % page;
            out.resize(out.len() + pad as usize, 0);
            let offset = out.len() as u32;
            let ph = EHDR_SIZE + i * PHDR_SIZE;
            put32(&mut out, ph, PT_LOAD);
            put32(&mut out, ph + 4, offset);
            put32(&mut out, ph + 8, *vaddr);
            put32(&mut out, ph + 12, *vaddr);
            put32(&mut out, ph + 16, data.len() as u32);
            put32(&mut out, ph + 20, *mem_size);
            put32(&mut out, ph + 24, *flags);
            put32(&mut out, ph + 28, PAGE_SIZE as u32);
            out.extend_from_slice(data);
        }
        out
    }
}

fn put16(out: &mut [u8], at: usize, value: u16) {
    out[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut [u8], at: usize, value: u32) {
    out[at..at + 4].copy_from_slice(&value.to_le_bytes());
}
