#pragma once
/// The command line of a migration executable. Every executable built with
/// `sonamu_add_migrations` has a `main` that only calls this.

#include <ostream>

namespace sonamu::cli {

/// Runs the program as `main` would and returns its exit code (see the README's table).
/// `program` is the name it is run by, in usage, hints and its completion script.
int run_app(int argc, char** argv, std::ostream& out, std::ostream& err, const char* program);

/// The same, for an executable built from the migrations in the absolute folder
/// `migrations_dir`: it compares their sources with its compiled code from any working folder.
int run_app(int argc, char** argv, std::ostream& out, std::ostream& err, const char* program,
            const char* migrations_dir);

/// The same, as `sonamu`.
int run_app(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace sonamu::cli
