fn main() {
    std::process::exit(oberih::cli::main());
}
