//! A bump allocator: memory from the end of the program up to `__heap_limit`, never freed.
//! Guests are short-lived and single-threaded, so this is both the simplest and the fastest.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

unsafe extern "C" {
    static _end: u8;
    static __heap_limit: u8;
}

struct BumpAllocator {
    next: Cell<usize>,
}

// SAFETY: guests run on a single hart with no threads or interrupts.
unsafe impl Sync for BumpAllocator {}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let mut next = self.next.get();
        if next == 0 {
            next = &raw const _end as usize;
        }
        let start = (next + layout.align() - 1) & !(layout.align() - 1);
        let limit = &raw const __heap_limit as usize;
        match start.checked_add(layout.size()) {
            Some(end) if end <= limit => {
                self.next.set(end);
                start as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static HEAP: BumpAllocator = BumpAllocator { next: Cell::new(0) };
