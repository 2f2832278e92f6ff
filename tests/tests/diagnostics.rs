#[test]
#[ignore]
fn dump() {
    if let Ok(p) = std::env::var("ONLY_PATH") {
        match wecard_codegen::load(&p) {
            Ok(_) => println!("OK"),
            Err(d) => println!("{}", d.render(false)),
        }
        return;
    }
    let mut names: Vec<_> = std::fs::read_dir("corpus")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        if let Ok(filter) = std::env::var("ONLY") {
            if !name.contains(&filter) {
                continue;
            }
        }
        let path = format!("corpus/{name}");
        match wecard_codegen::load(&path) {
            Ok(_) => println!("=== {name}: OK\n"),
            Err(d) => {
                println!("=== {name}");
                for x in d.iter() {
                    let s = x.span().unwrap_or_default();
                    println!(
                        "[{} {}:{} len {}]",
                        x.code().as_str(),
                        s.line,
                        s.column,
                        s.len
                    );
                }
                println!("{}", d.render(false));
            }
        }
    }
}
