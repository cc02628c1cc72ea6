fn main() {
    eprintln!("whoclicked: the command line lands with the report command");
    std::process::exit(2);
}
