//! `snaplab`: the native batch runner — the headless console for scripts, tests and tutorial
//! authors (SPEC §18). Reads command lines, prints one JSON object per line, flushed after each.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The runner is a native program; in the browser the engine is used through its JS API.
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use snaplab_engine::session::{block_on, Session};
    use snaplab_engine::store::memory::MemoryStore;
    use std::io::{BufRead, BufReader, Write};

    const HELP: &str = "\
snaplab — the Alibaba Cloud ECS snapshot service, emulated (Snaplab's batch runner)

USAGE:
    snaplab [FILE...]        run the command lines of each FILE in order ('-' or none: stdin)
    snaplab --help           print this help

Each line is one command, as in the aliyun CLI or Snaplab's emulator namespace:
    aliyun ecs CreateSnapshot --DiskId d-bp1... --SnapshotName before-upgrade
    aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --output cols=SnapshotId,Status rows=Snapshots.Snapshot[]
    snaplab service activate
    snaplab guest write --DiskId d-bp1... --Block 1 --Text B1
    snaplab clock run-until-idle
Blank lines and lines starting with '#' are skipped. Quoting follows a POSIX shell.

OUTPUT:
    One JSON object per command line, on one line, flushed at once, so that another program can
    drive snaplab line by line through a pipe:
      - the API's reply (RequestId and the action's fields), or
      - {\"Output\": \"<table>\"} for a command with --output, or
      - the API error object {\"RequestId\", \"HostId\", \"Code\", \"Message\", \"Recommend\", \"HttpStatus\"}.
    A refused command changes nothing. All lines share one world, kept in memory; it starts new
    (seed 1, 1 MiB blocks, the snapshot service not activated): 'snaplab world reset' changes that.

EXIT STATUS:
    0 when every line was read (refused commands included), 1 when a file cannot be read.
";

    fn run(session: &mut Session<MemoryStore>, input: &mut dyn BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if let Some(reply) = block_on(session.exec_line(line.trim_end_matches(['\n', '\r']))) {
                let value = match reply.table {
                    Some(table) => serde_json::json!({ "Output": table }),
                    None => reply.body,
                };
                writeln!(out, "{value}")?;
                out.flush()?;
            }
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.iter().any(|a| a == "--help" || a == "-h") {
            print!("{HELP}");
            return;
        }
        let mut session = match block_on(Session::open(MemoryStore::new())) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("snaplab: {e}");
                std::process::exit(1);
            }
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let files = if args.is_empty() { vec!["-".to_string()] } else { args };
        for file in files {
            let result = if file == "-" {
                run(&mut session, &mut std::io::stdin().lock(), &mut out)
            } else {
                match std::fs::File::open(&file) {
                    Ok(f) => run(&mut session, &mut BufReader::new(f), &mut out),
                    Err(e) => {
                        eprintln!("snaplab: cannot read {file}: {e}");
                        std::process::exit(1);
                    }
                }
            };
            if let Err(e) = result {
                // A closed pipe ends the run quietly; other errors are reported.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("snaplab: {e}");
                    std::process::exit(1);
                }
                return;
            }
        }
    }
}
