//! The machine's byte-addressed, little-endian memory: the full 32-bit address space, zero where
//! nothing was written, stored as 4 KiB pages allocated on first write.

use crate::elf::Program;

/// log2 of the page size in bytes.
pub const PAGE_BITS: u32 = 12;
/// Page size in bytes.
pub const PAGE_SIZE: usize = 1 << PAGE_BITS;
const WORDS_PER_PAGE: usize = PAGE_SIZE / 4;
const NUM_PAGES: usize = 1 << (32 - PAGE_BITS);

type Page = [u32; WORDS_PER_PAGE];

/// Sparse memory over the whole 32-bit address space, read and written in aligned words.
///
/// Sub-word accesses are done by the executor on top of [`Memory::load_word`] and
/// [`Memory::store_word`], which is also how the memory argument sees them: every access is a
/// whole aligned word.
#[derive(Clone)]
pub struct Memory {
    pages: Vec<Option<Box<Page>>>,
    allocated: usize,
}

impl Default for Memory {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory").field("pages", &self.allocated).finish()
    }
}

impl Memory {
    /// An all-zero memory.
    pub fn new() -> Self {
        Memory { pages: vec![None; NUM_PAGES], allocated: 0 }
    }

    /// The memory image of `program` before its first instruction: every segment's file bytes at
    /// its address, zeros elsewhere.
    pub fn from_program(program: &Program) -> Self {
        let mut memory = Memory::new();
        for segment in &program.segments {
            memory.write_bytes(segment.vaddr, &segment.data);
        }
        memory
    }

    /// Reads the word at the 4-byte aligned address `addr` (the low two bits are ignored).
    #[inline(always)]
    pub fn load_word(&self, addr: u32) -> u32 {
        match &self.pages[(addr >> PAGE_BITS) as usize] {
            Some(page) => page[(addr as usize & (PAGE_SIZE - 1)) >> 2],
            None => 0,
        }
    }

    /// Writes the word at the 4-byte aligned address `addr` (the low two bits are ignored).
    #[inline(always)]
    pub fn store_word(&mut self, addr: u32, value: u32) {
        let slot = &mut self.pages[(addr >> PAGE_BITS) as usize];
        let page = match slot {
            Some(page) => page,
            None => {
                self.allocated += 1;
                slot.insert(Box::new([0; WORDS_PER_PAGE]))
            }
        };
        page[(addr as usize & (PAGE_SIZE - 1)) >> 2] = value;
    }

    /// Reads one byte.
    pub fn load_byte(&self, addr: u32) -> u8 {
        (self.load_word(addr) >> (8 * (addr & 3))) as u8
    }

    /// Writes one byte.
    pub fn store_byte(&mut self, addr: u32, value: u8) {
        let shift = 8 * (addr & 3);
        let word = self.load_word(addr) & !(0xff << shift) | (u32::from(value) << shift);
        self.store_word(addr, word);
    }

    /// Reads `len` bytes starting at `addr`, wrapping around the end of the address space.
    pub fn read_bytes(&self, addr: u32, len: usize) -> Vec<u8> {
        (0..len).map(|i| self.load_byte(addr.wrapping_add(i as u32))).collect()
    }

    /// Writes `bytes` starting at `addr`, wrapping around the end of the address space.
    pub fn write_bytes(&mut self, addr: u32, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            self.store_byte(addr.wrapping_add(i as u32), b);
        }
    }

    /// Number of 4 KiB pages holding data (pages never written read as zero and take no space).
    pub fn allocated_pages(&self) -> usize {
        self.allocated
    }

    /// The allocated pages, as (page number, words), in address order.
    pub fn pages(&self) -> impl Iterator<Item = (u32, &[u32; WORDS_PER_PAGE])> {
        self.pages.iter().enumerate().filter_map(|(i, p)| p.as_deref().map(|p| (i as u32, p)))
    }
}
