fn main() {
    for v in mmrace_core::variant::VARIANTS {
        let var = mmrace_core::Variant::by_id(v.id).unwrap();
        for p in &var.programs {
            for s in &p.steps {
                if s.label.contains(' ') || s.label.contains(',') || s.label.is_empty() {
                    println!("{} {:?} {:?} {:?}", v.id, p.id, s.id, s.label);
                }
            }
        }
    }
}
