#pragma once
/// What a command handler is given: the options as parsed, the settings as resolved, how to
/// print, and, for commands that talk to the database, the connected engine.

#include "cli/options.hpp"
#include "cli/settings.hpp"
#include "conninfo/connection_target.hpp"
#include "engine/migrator.hpp"
#include "engine/result_recorder.hpp"
#include "engine/silent_reporter.hpp"
#include "output/documents.hpp"
#include "output/format.hpp"
#include "output/progress_reporter.hpp"
#include "output/terminal_reporter.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace sonamu::cli {

class Connection;

/// One run of one command.
struct Invocation {
  const Options& options;
  Settings settings;
  Style style;
  Context& context;
  std::ostream& out;
  std::ostream& err;
  TerminalReporter terminal;
  SilentReporter silent;  ///< in place of the terminal with --json: the document says it all
  /// The command's value, collected from its events on their way to the terminal.
  ResultRecorder recorder;

  Invocation(const Options& options, Settings settings, Style style, Context& context,
             std::ostream& out, std::ostream& err);
  ~Invocation();

  /// The reporter the engine is made with: the progress of a command at work (status line,
  /// lock monitoring) in front of the recorder, in front of the terminal (silent with --json).
  Reporter& reporter();

  /// The progress display itself.
  ProgressReporter& progress();

  /// Ends the progress display (the status line is erased) before the command's last lines.
  void finish_progress();

  /// Checks what needs no server (the compiled migrations, the sources on disk, the guards
  /// for production), resolves the connection and, for a command that writes, says on
  /// stderr where it is about to write.
  void resolve_target(const Registry& registry, bool writes);

  /// The database this command talks to (after resolve_target).
  const conninfo::ConnectionTarget& target() const;

  /// Connects (once) and returns the engine for this command's database.
  Migrator& migrator();

 private:
  const Registry* registry_ = nullptr;
  std::unique_ptr<ProgressReporter> progress_;  ///< outlives the engine that reports to it
  std::optional<conninfo::ConnectionTarget> target_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace sonamu::cli
