fn main() {
    println!(
        "State {} Mm {} Actor {} RwSem {} Vma {} Task {}",
        std::mem::size_of::<mmrace_core::State>(),
        std::mem::size_of::<mmrace_core::mm::Mm>(),
        std::mem::size_of::<mmrace_core::sim::Actor>(),
        std::mem::size_of::<mmrace_core::rwsem::RwSem>(),
        std::mem::size_of::<mmrace_core::mm::Vma>(),
        std::mem::size_of::<mmrace_core::mm::Task>()
    );
}
