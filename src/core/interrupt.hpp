#pragma once
/// Ctrl-C and SIGTERM: the command line records the signal here; the core checks it between
/// statements and before every commit, so an interrupted batch is rolled back, never committed.

#include <stdexcept>
#include <string>

namespace sonamu {

/// Thrown where work stops because of a signal; the batch in progress is rolled back.
class Interrupted : public std::runtime_error {
 public:
  /// `at_question`: the signal came while a question waited for its answer, when nothing is
  /// held (no transaction, no lock), so nothing was changed.
  explicit Interrupted(int signal_number, bool at_question = false);
  int signal_number() const { return signal_number_; }
  bool at_question() const { return at_question_; }

 private:
  int signal_number_;
  bool at_question_;
};

/// Records that `signal_number` arrived (callable from any thread).
void request_interrupt(int signal_number);

/// The signal that arrived, or 0.
int interrupt_signal();

/// Throws Interrupted if a signal arrived.
void throw_if_interrupted();

/// True once the core has stopped because of the signal (an Interrupted was raised): from
/// then on nothing needs cancelling, and the clean-up statements must not be cancelled.
bool interrupt_acknowledged();

/// Forgets a recorded signal. A process stops after a signal; tests that simulate one in
/// the middle of a command use this to go on with the next.
void clear_interrupt();

}  // namespace sonamu
