fn main() { println!("{}", snaplab_engine::version()); }
