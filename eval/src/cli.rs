//! Argument helpers and standard output that survives a closed pipe.

use lintas::Lang;
use std::io::Write;

/// `println!` that does not panic when standard output is closed (`| head`): a broken pipe
/// ends the program quietly with status 0, any other write error with status 1.
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {
        $crate::cli::emit(&format!($($t)*))
    };
}

/// Writes one line to standard output (see [`say!`]).
pub fn emit(line: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// The `main` of a tool: parses the arguments (`Err("")` asks for the usage, which is printed
/// with status 0; another `Err` is a usage error, status 2), then runs the tool (`Ok(true)`:
/// status 0; `Ok(false)`: a check failed, status 1; `Err`: a runtime error, status 1). Messages
/// are prefixed with the tool's `name`.
pub fn run_tool<A>(
    name: &str,
    usage: &str,
    parsed: Result<A, String>,
    run: impl FnOnce(A) -> Result<bool, String>,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let args = match parsed {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            emit(usage);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{name}: {e}\n{usage}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::from(1)
        }
    }
}

/// Parses `LANG:PATH` (`id:extra.tsv`), the value of `--lexicon` and `--freedict`.
///
/// # Errors
/// A message naming `flag` when there is no `:` or the language code is unknown.
pub fn lang_path(flag: &str, v: &str) -> Result<(Lang, String), String> {
    let (code, path) = v
        .split_once(':')
        .ok_or_else(|| format!("{flag} takes LANG:PATH, e.g. id:extra.tsv"))?;
    let lang =
        Lang::from_code(code).ok_or_else(|| format!("{flag}: unknown language code {code:?}"))?;
    Ok((lang, path.to_string()))
}

/// Whether a command-line word is an option (`-x`, `--x`) rather than a file name; `-` alone
/// is not an option.
pub fn is_option(arg: &str) -> bool {
    arg.starts_with('-') && arg.len() > 1
}

/// The value after an option, or an error naming the option and what it needs.
///
/// # Errors
/// `"{flag} needs {what}"` when the arguments end.
pub fn value(
    it: &mut impl Iterator<Item = String>,
    flag: &str,
    what: &str,
) -> Result<String, String> {
    it.next().ok_or_else(|| format!("{flag} needs {what}"))
}

/// The number after an option.
///
/// # Errors
/// `"{flag} needs a number"` when the arguments end, `"{flag}: not a number: {v}"` when the
/// value does not parse.
pub fn number<T: std::str::FromStr>(
    it: &mut impl Iterator<Item = String>,
    flag: &str,
) -> Result<T, String> {
    let v = value(it, flag, "a number")?;
    v.parse().map_err(|_| format!("{flag}: not a number: {v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_path_parses_and_rejects() {
        assert_eq!(
            lang_path("--lexicon", "id:x.tsv").unwrap(),
            (Lang::Indonesian, "x.tsv".to_string())
        );
        assert!(lang_path("--lexicon", "x.tsv").is_err());
        assert!(lang_path("--lexicon", "zz:x.tsv")
            .unwrap_err()
            .contains("unknown language"));
    }

    #[test]
    fn single_dash_words_are_options_but_a_lone_dash_is_not() {
        assert!(is_option("-x") && is_option("--knob"));
        assert!(!is_option("-") && !is_option("pool.jsonl"));
    }
}
